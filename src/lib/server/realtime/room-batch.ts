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
 *   to receive and decode; a batch of them alone also trickles out (RoomBroadcaster.emitUnhurried);
 * - anything else (a pin, going live, a hidden message) never waits: it goes at once, after whatever is
 *   pending, so events stay in order;
 * - an application reaches the room as its event id only, in a run per position (protocol.ts
 *   ApplicationRun): the viewer's card needs its count, not the application's details (the log keeps the
 *   whole event, and a resuming client replays it);
 *   a chat line as its event id and message (the rest of its event is the batch's).
 *
 * The client expands a batch back into the same events (src/lib/realtime/batch.ts), so feeds apply them by
 * id, in order, and detect gaps exactly as for single events. Everything else about an event is unchanged:
 * its other topics (seeker, region, org…) get it at once, with the room topic left out.
 */
import type { ApplicationRun, BatchedEvent, BatchedMessage, LiveEvent, RoomBatch, ServerToClientEvents } from '$lib/realtime/protocol';
import type { AppIo } from './server';

export const ROOM_BATCH_MS = 200;
/** How often a room's application counters may tick while nothing else is said. */
export const COUNTER_BATCH_MS = 1000;
/**
 * Sockets written to in one turn of the event loop when a room's message goes out. Small, because every
 * round trip to the database waits for the slice in progress, and an apply's group transaction is seven of
 * them (postgres.js sends each unprepared statement with parameters in two: Describe, then Execute). A slice
 * of 500 takes some 20 ms on a busy small machine; of 100, a fifth of that, and the pin to 5,000 viewers is
 * no slower; 50 measured no better (README, the room suite).
 */
export const BROADCAST_SLICE = 100;
/**
 * Between two slices of a message that may trickle out (the counters of a room in an apply rush, viewer
 * counts): so many ms, so that 5,000 viewers' once-a-second counter is 50 small bursts over 400 ms, not one
 * block of writes that every apply's round trips to the database queue behind. The room bench had nine in
 * ten of its slow applies (over 60 ms) inside the 300 ms after each counter batch went out.
 */
export const UNHURRIED_GAP_MS = 8;

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

type RoomMessage = { [K in 'event:batch' | 'room:viewers']: [K, ...Parameters<ServerToClientEvents[K]>] }['event:batch' | 'room:viewers'];

/**
 * Sends a room's messages to its sockets BROADCAST_SLICE at a time, one slice per turn of the event loop
 * (counters further apart: emitUnhurried): writing one message to 5,000 sockets is 5,000 system calls, a
 * block of 100 ms and more on a small machine, during which no command is answered. Each slice is encoded once, like any broadcast. A room's
 * messages go out one after another (the next waits for the last slice of the one before), so every socket
 * gets them in order; a socket that joins meanwhile already has their events from its snapshot or replay
 * (they were published before it joined).
 */
export class RoomBroadcaster {
	#queues = new Map<string, Promise<void>>();
	/** Messages of each topic handed in and not yet sent out (the one going out included). */
	#waiting = new Map<string, number>();

	constructor(
		private readonly io: AppIo,
		private readonly slice = BROADCAST_SLICE,
		/** Between two slices: let the event loop run (I/O, timers, commands) before the next one. */
		private readonly pause = () => new Promise<void>((resolve) => setImmediate(resolve)),
		/** Between two slices of an unhurried message. */
		private readonly wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
	) {}

	emit(topic: string, ...message: RoomMessage) {
		this.#enqueue(topic, message, false);
	}

	/**
	 * A message nobody waits for to the millisecond (counters): its slices UNHURRIED_GAP_MS apart, at most
	 * half of COUNTER_BATCH_MS in all, so it is out before the next. Anything else for the room, handed in
	 * meanwhile, hurries the rest of it along: that message stays behind it, and stays on time.
	 */
	emitUnhurried(topic: string, ...message: RoomMessage) {
		this.#enqueue(topic, message, true);
	}

	#enqueue(topic: string, message: RoomMessage, unhurried: boolean) {
		this.#waiting.set(topic, (this.#waiting.get(topic) ?? 0) + 1);
		const send = () => this.#send(topic, message, unhurried);
		const previous = this.#queues.get(topic);
		const next = (previous ? previous.then(send) : send()).finally(() => {
			const left = (this.#waiting.get(topic) ?? 1) - 1;
			if (left) this.#waiting.set(topic, left);
			else this.#waiting.delete(topic);
		});
		this.#queues.set(topic, next);
		void next.finally(() => {
			if (this.#queues.get(topic) === next) this.#queues.delete(topic);
		});
	}

	/** Resolves when every message handed in so far has gone out (shutdown, tests). */
	async drained() {
		while (this.#queues.size) await Promise.all(this.#queues.values());
	}

	async #send(topic: string, [event, payload]: RoomMessage, unhurried: boolean) {
		const members = this.io.of('/').adapter.rooms.get(topic);
		if (!members?.size) return;
		if (members.size <= this.slice) {
			this.io.local.to(topic).emit(event, payload as never);
			return;
		}
		// Every socket is in a room of its own id: a slice is a broadcast to those rooms.
		const ids = [...members];
		const gap = Math.min(UNHURRIED_GAP_MS, COUNTER_BATCH_MS / 2 / Math.ceil(ids.length / this.slice));
		for (let i = 0; i < ids.length; i += this.slice) {
			if (i) await (unhurried && this.#waiting.get(topic) === 1 ? this.wait(gap) : this.pause());
			this.io.local.to(ids.slice(i, i + this.slice)).emit(event, payload as never);
		}
	}
}
