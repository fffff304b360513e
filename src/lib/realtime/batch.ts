/**
 * A room batch (protocol.ts RoomBatch) back into the events it carries, as the topic's feed would have
 * received them one by one: in id order, each with the topic and the id of the event before it as `prev`,
 * so the feed's rules (apply by id once, resync on a gap, buffer while syncing) hold unchanged. An
 * application comes back as `application.created` with what the room's viewers need: its position.
 */
import type { LiveEvent, RoomBatch } from './protocol';

export function expandBatch(batch: RoomBatch): LiveEvent[] {
	const roomId = Number(batch.topic.slice(batch.topic.indexOf(':') + 1));
	const out: LiveEvent[] = [];
	let prev = batch.prev;
	let e = 0;
	let a = 0;
	while (e < batch.events.length || a < batch.applications.length) {
		const event = batch.events[e];
		const application = batch.applications[a];
		let next: Omit<LiveEvent, 'topics' | 'prev'>;
		if (event && (!application || event.id < application[0])) {
			next = event;
			e++;
		} else {
			next = { id: application[0], type: 'application.created', payload: { roomId, positionId: application[1] }, at: batch.at };
			a++;
		}
		out.push({ ...next, topics: [batch.topic], prev: { [batch.topic]: prev } });
		prev = next.id;
	}
	return out;
}
