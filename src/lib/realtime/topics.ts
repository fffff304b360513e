/**
 * Topic names: socket.io rooms, event-log `topics` entries and subscription keys are the same strings.
 * Shared by server and client.
 */
export const REGION_CODE_LENGTHS = [2, 4, 6, 9, 12] as const;

export const topic = {
	station: (id: number) => `station:${id}`,
	region: (code: string) => `region:${code}`,
	org: (id: number) => `org:${id}`,
	seeker: (id: number) => `seeker:${id}`,
	room: (id: number) => `room:${id}`,
	/** A room's host console: applicants with masked contact, mutes, reveals. Host and its station only. */
	roomHost: (id: number) => `room_host:${id}`,
	fair: (id: number) => `fair:${id}`,
	display: (stationId: number) => `display:${stationId}`,
	/** Public: positions opening and closing anywhere (job search, boards). */
	jobs: 'jobs'
} as const;

export type TopicKind = 'station' | 'region' | 'org' | 'seeker' | 'room' | 'room_host' | 'fair' | 'display' | 'jobs';

export interface ParsedTopic {
	kind: TopicKind;
	/** Numeric id, or region code for `region`, or '' for `jobs`. */
	key: string;
}

const TOPIC_RE = /^(station|org|seeker|room|room_host|fair|display):([1-9][0-9]{0,9})$|^region:([0-9]{2,12})$|^jobs$/;

export function parseTopic(name: unknown): ParsedTopic | null {
	if (typeof name !== 'string' || name.length > 40) return null;
	const m = TOPIC_RE.exec(name);
	if (!m) return null;
	if (m[1]) return { kind: m[1] as TopicKind, key: m[2] };
	if (m[3]) return { kind: 'region', key: m[3] };
	return { kind: 'jobs', key: '' };
}

/** `region:44`, `region:4401`, … for every ancestor of (and including) a region code. */
export function regionTopics(code: string): string[] {
	return REGION_CODE_LENGTHS.filter((n) => n <= code.length).map((n) => topic.region(code.slice(0, n)));
}
