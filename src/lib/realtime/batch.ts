/**
 * A room batch (protocol.ts RoomBatch) back into the events it carries, as the topic's feed would have
 * received them one by one: in id order, each with the topic and the id of the event before it as `prev`,
 * so the feed's rules (apply by id once, resync on a gap, buffer while syncing) hold unchanged. An
 * application comes back as `application.created` with what the room's viewers need: its position; a chat
 * line as `room.message_posted` with its room and message.
 */
import type { ApplicationRun, LiveEvent, RoomBatch } from './protocol';

export function expandBatch(batch: RoomBatch): LiveEvent[] {
	const roomId = Number(batch.topic.slice(batch.topic.indexOf(':') + 1));
	const carried: Omit<LiveEvent, 'topics' | 'prev'>[] = [
		...batch.events,
		...batch.messages.map(([id, message]) => ({ id, type: 'room.message_posted', payload: { roomId, message }, at: message.at })),
		...batch.applications.flatMap(([positionId, ...ids]) => applicationIds(ids).map((id) => ({ id, type: 'application.created', payload: { roomId, positionId }, at: batch.at })))
	].sort((x, y) => x.id - y.id);
	let prev = batch.prev;
	return carried.map((event) => {
		const expanded = { ...event, topics: [batch.topic], prev: { [batch.topic]: prev } };
		prev = event.id;
		return expanded;
	});
}

/** The event ids of a run's applications (protocol.ts ApplicationRun, without its position). */
export function applicationIds(idAndGaps: number[]): number[] {
	let id = 0;
	return idAndGaps.map((step) => (id += step));
}

/** Applications a batch carries. */
export const applicationCount = (runs: ApplicationRun[]) => runs.reduce((n, run) => n + run.length - 1, 0);
