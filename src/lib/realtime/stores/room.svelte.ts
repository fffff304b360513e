/**
 * A live room as its viewers see it, and the host console's private side.
 *
 * RoomLiveStore follows the public `room:N` topic: the snapshot is the whole room (state, queue, pinned
 * card, visible chat, applications per position), so a late joiner or a resync replaces it wholesale and
 * later events apply on top, each once (TopicFeed dedupes by id). Viewer counts are not events: they come
 * as `room:viewers` presence messages. RoomHostStore follows `room_host:N`: applicants with masked contact.
 */
import type { RoomApplicant } from '$lib/server/services/room-source';
import type { PublicRoom, RoomCard, RoomLive, RoomMessage } from '$lib/server/services/rooms';
import type { RealtimeConnection } from '../connection.svelte';
import type { TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

export type { PublicRoom, RoomApplicant, RoomCard, RoomMessage };

/** Chat kept on screen: enough to scroll back, bounded for a phone in a busy room. */
export const CHAT_KEEP = 200;

export class RoomLiveStore {
	room = $state.raw<PublicRoom>() as PublicRoom;
	queue = $state.raw<RoomCard[]>([]);
	chat = $state.raw<RoomMessage[]>([]);
	applications = $state.raw<Record<number, number>>({});
	viewers = $state<number | null>(null);
	readonly feed: TopicFeed | null;
	#off: (() => void) | null = null;

	constructor(connection: RealtimeConnection | null, initial: RoomLive) {
		this.#replace(initial);
		if (!connection) {
			this.feed = null;
			return;
		}
		const roomId = initial.room.id;
		this.feed = connection.subscribe(topic.room(roomId), {
			snapshot: (snapshot) => {
				if (!snapshot) return;
				const s = snapshot as RoomLive & { viewers?: number };
				this.#replace(s);
				if (typeof s.viewers === 'number' && s.viewers > 0) this.viewers = s.viewers;
			},
			event: (event) => this.apply(event)
		});
		const onViewers = (info: { roomId: number; viewers: number }) => {
			if (info.roomId === roomId) this.viewers = info.viewers;
		};
		connection.socket.on('room:viewers', onViewers);
		this.#off = () => connection.socket.off('room:viewers', onViewers);
	}

	get pinned(): RoomCard | null {
		return this.queue.find((c) => c.positionId === this.room.pinnedPositionId) ?? null;
	}

	countFor(positionId: number) {
		return this.applications[positionId] ?? 0;
	}

	#replace(s: RoomLive) {
		this.room = s.room;
		this.queue = s.queue;
		this.chat = s.chat.slice(-CHAT_KEEP);
		this.applications = s.applications;
	}

	#upsertCard(card: RoomCard | null | undefined) {
		if (!card) return;
		const rest = this.queue.filter((c) => c.positionId !== card.positionId);
		this.queue = [...rest, card].sort((a, b) => a.sortOrder - b.sortOrder || a.positionId - b.positionId);
	}

	apply(event: LiveEvent) {
		const p = event.payload as Record<string, unknown>;
		switch (event.type) {
			case 'room.state_changed':
				this.room = { ...this.room, state: p.state as PublicRoom['state'], startedAt: (p.startedAt as string) ?? null, endedAt: (p.endedAt as string) ?? null };
				break;
			case 'room.pinned':
				this.#upsertCard(p.card as RoomCard | null);
				this.room = { ...this.room, pinnedPositionId: p.positionId as number };
				break;
			case 'room.queue_added':
				this.#upsertCard(p.card as RoomCard);
				break;
			case 'room.slow_mode_changed':
				this.room = { ...this.room, slowModeSeconds: p.seconds as number };
				break;
			case 'room.message_posted': {
				const message = p.message as RoomMessage;
				if (!this.chat.some((m) => m.id === message.id)) this.chat = [...this.chat, message].slice(-CHAT_KEEP);
				break;
			}
			case 'room.message_hidden':
				this.chat = this.chat.filter((m) => m.id !== p.messageId);
				break;
			case 'room.question_answered':
				this.chat = this.chat.map((m) => (m.id === p.messageId ? { ...m, answered: true } : m));
				break;
			case 'application.created': {
				const positionId = p.positionId as number;
				this.applications = { ...this.applications, [positionId]: (this.applications[positionId] ?? 0) + 1 };
				break;
			}
		}
	}

	close() {
		this.#off?.();
		this.#off = null;
	}
}

export const APPLICANTS_KEEP = 500;

export class RoomHostStore {
	/** Newest first. */
	applicants = $state.raw<RoomApplicant[]>([]);
	mutes = $state.raw<{ label: string; until: string }[]>([]);
	readonly feed: TopicFeed | null;

	constructor(connection: RealtimeConnection | null, roomId: number, initial: { applicants: RoomApplicant[]; mutes: { label: string; until: string }[] }) {
		this.applicants = initial.applicants;
		this.mutes = initial.mutes;
		this.feed = connection
			? connection.subscribe(topic.roomHost(roomId), {
					snapshot: (snapshot) => {
						const s = snapshot as { applicants?: RoomApplicant[]; mutes?: { label: string; until: string }[] } | null;
						if (s?.applicants) this.applicants = s.applicants;
						if (s?.mutes) this.mutes = s.mutes;
					},
					event: (event) => this.apply(event)
				})
			: null;
	}

	apply(event: LiveEvent) {
		const p = event.payload as Record<string, unknown>;
		if (event.type === 'room.applicant_added') {
			const a = p.applicant as RoomApplicant;
			if (!this.applicants.some((x) => x.applicationId === a.applicationId)) this.applicants = [a, ...this.applicants].slice(0, APPLICANTS_KEEP);
		} else if (event.type === 'room.viewer_muted') {
			this.mutes = [...this.mutes, { label: String(p.label), until: String(p.until) }];
		}
	}

	forPosition(positionId: number) {
		return this.applicants.filter((a) => a.positionId === positionId);
	}

	/** Applications that arrived in the minute before `now`. */
	perMinute(now: number) {
		return this.applicants.filter((a) => now - Date.parse(a.at) <= 60_000).length;
	}
}
