/**
 * How a live room's events reach its viewers. A busy room has thousands of sockets and bursts of events —
 * chat at a few hundred lines a second, a rush of applications after "apply now!" — and one socket.io emit
 * per event costs one system call per viewer: at 200 lines a second to 5,000 viewers, a million a second,
 * which no event loop keeps up with. So each `room:N` topic's events go to its sockets in batches
 * (`event:batch`, one message per room at most every ROOM_BATCH_MS while a burst lasts), and:
 *
 * - chat lines wait for the next batch, but the first one after a quiet spell goes at once, so a quiet room
 *   feels no delay;
 * - applications wait longer (COUNTER_BATCH_MS) unless a chat line or anything else goes first and takes
 *   them along: a viewer sees them only as the pinned card's counter, which need not tick five times a
 *   second, and in a rush after "apply now!" every batch is one more message for every phone in the room
 *   to receive and decode; a batch of them alone also trickles out (Broadcaster.emitUnhurried, broadcast.ts);
 * - anything else (a pin, going live, a hidden message) never waits: it goes at once, after whatever is
 *   pending, so events stay in order;
 * - an application reaches the room as its event id only, in a run per position (protocol.ts
 *   ApplicationRun): the viewer's card needs its count, not the application's details (the log keeps the
 *   whole event, and a resuming client replays it);
 *   a chat line as its event id and message (the rest of its event is the batch's).
 *
 * The client expands a batch back into the same events (src/lib/realtime/batch.ts), so feeds apply them by
 * id, in order, and detect gaps exactly as for single events. Everything else about an event is unchanged:
 * its other topics (seeker, region, org…) get it as any other event, with the room topic left out.
 */
import type { ApplicationRun, BatchedEvent, BatchedMessage, LiveEvent, RoomBatch } from '$lib/realtime/protocol';

export const ROOM_BATCH_MS = 200;
/** How often a room's application counters may tick while nothing else is said. */
export const COUNTER_BATCH_MS = 1000;
const ROOM_TOPIC = /^room:[0-9]+$/;
export const isRoomTopic = (t: string) => ROOM_TOPIC.test(t);

/** Kinds that come in bursts and may wait for the next batch; every other kind flushes it. */
const BURSTY = new Set(['room.message_posted', 'application.created']);

interface Pending {
	prev: number | null;
	events: BatchedEvent[];
	/** By position: its run, and the event id its last gap counts from. */
	applications: Map<number, { run: ApplicationRun; last: number }>;
	messages: [number, BatchedMessage][];
	at: string;
	timer: ReturnType<typeof setTimeout> | null;
	lastSentAt: number;
}

const isEmpty = (room: Pending) => !room.events.length && !room.applications.size && !room.messages.length;

const isBatchedMessage = (m: unknown): m is BatchedMessage => typeof m === 'object' && m !== null && typeof (m as { at?: unknown }).at === 'string';

/** One more application to `positionId` in the room's pending batch: a new run, or the gap from the run's last. */
function addApplication(room: Pending, positionId: number, eventId: number) {
	const position = room.applications.get(positionId);
	if (!position) room.applications.set(positionId, { run: [positionId, eventId], last: eventId });
	else {
		position.run.push(eventId - position.last);
		position.last = eventId;
	}
}

export class RoomBatcher {
	#rooms = new Map<string, Pending>();

	constructor(
		/** `countersOnly`: nothing in the batch but applications, which may trickle out (RoomBroadcaster). */
		private readonly send: (topic: string, batch: RoomBatch, countersOnly: boolean) => void,
		private readonly now: () => number = () => performance.now(),
		private readonly batchMs = ROOM_BATCH_MS,
		private readonly counterMs = COUNTER_BATCH_MS
	) {}

	/** One event of room topic `topic`, in relay (id) order. */
	add(topic: string, event: LiveEvent) {
		let room = this.#rooms.get(topic);
		if (!room) {
			room = { prev: null, events: [], applications: new Map(), messages: [], at: event.at, timer: null, lastSentAt: -Infinity };
			this.#rooms.set(topic, room);
		}
		if (isEmpty(room)) room.prev = event.prev?.[topic] ?? null;
		room.at = event.at;
		const { positionId, message } = event.payload as { positionId?: unknown; message?: unknown };
		const isApplication = event.type === 'application.created' && typeof positionId === 'number';
		const isLine = event.type === 'room.message_posted' && isBatchedMessage(message);
		if (isApplication) addApplication(room, positionId, event.id);
		else if (isLine) room.messages.push([event.id, message]);
		else room.events.push({ id: event.id, type: event.type, payload: event.payload, at: event.at });

		if (!BURSTY.has(event.type)) return this.flush(topic);
		// A pending chat line sets the chat's cadence; applications alone, the counters'.
		const wait = room.lastSentAt + (room.messages.length || room.events.length ? this.batchMs : this.counterMs) - this.now();
		if (wait <= 0) return this.flush(topic);
		// Only the first chat line behind waiting applications moves their timer (forward).
		const sooner = !isApplication && room.messages.length + room.events.length === 1;
		if (room.timer && !sooner) return;
		if (room.timer) clearTimeout(room.timer);
		room.timer = setTimeout(() => this.flush(topic), wait);
	}

	/** Send what is pending for `topic` now. */
	flush(topic: string) {
		const room = this.#rooms.get(topic);
		if (!room) return;
		if (room.timer) clearTimeout(room.timer);
		room.timer = null;
		if (isEmpty(room)) return;
		const { prev, at, events, applications, messages } = room;
		const batch: RoomBatch = { topic, prev, at, events, applications: [...applications.values()].map((a) => a.run), messages };
		room.events = [];
		room.applications = new Map();
		room.messages = [];
		room.lastSentAt = this.now();
		this.send(topic, batch, !events.length && !messages.length);
		this.#forgetIdle();
	}

	/** Send everything pending (shutdown). */
	close() {
		for (const topic of [...this.#rooms.keys()]) this.flush(topic);
		this.#rooms.clear();
	}

	/** Rooms quiet for a while need no entry: the next event starts a fresh one (and goes at once). */
	#forgetIdle() {
		if (this.#rooms.size < 1000) return;
		const before = this.now() - 10 * this.batchMs;
		for (const [topic, room] of this.#rooms) if (!room.timer && room.lastSentAt < before) this.#rooms.delete(topic);
	}
}
