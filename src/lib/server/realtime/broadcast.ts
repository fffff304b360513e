/**
 * How a message reaches many sockets without stopping the process: a slice of them per turn of the event
 * loop (ROOM_SLICE, FEEDS_SLICE). Writing one message to 10,000 sockets is 10,000 system calls; done in one
 * block it took this process 200–350 ms on a small machine, during which no command was answered and
 * nothing it had allocated for those writes could be collected: the garbage collector copied and promoted
 * all of it, and now and then stopped the process for a further 100–200 ms right in the middle of a posting
 * (the scale bench, README).
 *
 * Messages go out one after another within a lane (the next waits for the last slice of the one before),
 * so every socket gets them in order:
 * - a live room's messages (room-batch.ts) have the room's topic as their lane;
 * - every other published event goes by one lane, the feeds': a socket follows several topics and an event
 *   may be on several, and publication order is what keeps each topic's events in order for every socket.
 *   A room topic and a feed topic are separate feeds to a client (each has its own cursor), so the room
 *   lanes need no order against this one.
 *
 * Each slice is one socket.io broadcast to the sockets' own rooms, encoded once (and framed once: socket.io
 * pre-encodes the WebSocket frame). The sockets are those in the message's topics when its turn comes. A
 * socket that joins a topic meanwhile may get an event already in its snapshot or replay, which the client
 * drops by id (feed.svelte.ts).
 */
import type { ServerToClientEvents } from '$lib/realtime/protocol';
import { COUNTER_BATCH_MS } from './room-batch';
import type { AppIo } from './server';

/**
 * Sockets a live room's message is written to in one turn of the event loop. Small, because every round trip
 * to the database waits for the slice in progress, and in a room's apply rush an apply's group transaction is
 * seven of them (postgres.js sends each unprepared statement with parameters in two: Describe, then Execute).
 * A slice of 500 takes some 20 ms on a busy small machine; of 100, a fifth of that, and the pin to 5,000
 * viewers is no slower; 50 measured no better (README, the room suite).
 */
export const ROOM_SLICE = 100;
/**
 * The same for every other event. A posting to thousands of followers (of `jobs`, a region) comes now and
 * then, not hundreds a second with applies queueing behind each slice, so its slices are larger: 500 sockets
 * (10–20 ms) a turn reached 20,000 clients of two processes with p99 368–435 ms over four runs of the scale
 * suite, 100 with 330–565 ms over five.
 */
export const FEEDS_SLICE = 500;
/**
 * Between two slices of a message that may trickle out (the counters of a room in an apply rush, viewer
 * counts): so many ms, so that 5,000 viewers' once-a-second counter is 50 small bursts over 400 ms, not one
 * block of writes that every apply's round trips to the database queue behind. The room bench had nine in
 * ten of its slow applies (over 60 ms) inside the 300 ms after each counter batch went out.
 */
export const UNHURRIED_GAP_MS = 8;

/** The lane of every published event that is not a live room's batch; no topic has this name. */
const FEEDS = '(feeds)';

export interface Slices {
	room: number;
	feeds: number;
}

type Sent = 'event:batch' | 'room:viewers' | 'event:published';
type Message = { [K in Sent]: [K, ...Parameters<ServerToClientEvents[K]>] }[Sent];

export class Broadcaster {
	#queues = new Map<string, Promise<void>>();
	/** Messages of each lane handed in and not yet sent out (the one going out included). */
	#waiting = new Map<string, number>();

	constructor(
		private readonly io: AppIo,
		private readonly slices: Slices = { room: ROOM_SLICE, feeds: FEEDS_SLICE },
		/** Between two slices: let the event loop run (I/O, timers, commands) before the next one. */
		private readonly pause = () => new Promise<void>((resolve) => setImmediate(resolve)),
		/** Between two slices of an unhurried message. */
		private readonly wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
	) {}

	/** A live room's message, to its sockets. */
	emit(topic: string, ...message: Message) {
		this.#enqueue(topic, [topic], message, this.slices.room, false);
	}

	/**
	 * A room's message nobody waits for to the millisecond (counters): its slices UNHURRIED_GAP_MS apart, at
	 * most half of COUNTER_BATCH_MS in all, so it is out before the next. Anything else for the room, handed
	 * in meanwhile, hurries the rest of it along: that message stays behind it, and stays on time.
	 */
	emitUnhurried(topic: string, ...message: Message) {
		this.#enqueue(topic, [topic], message, this.slices.room, true);
	}

	/** A published event, to every socket in any of `topics` (each socket once), in the feeds' lane. */
	emitToFeeds(topics: string[], ...message: Message) {
		this.#enqueue(FEEDS, topics, message, this.slices.feeds, false);
	}

	#enqueue(lane: string, topics: string[], message: Message, slice: number, unhurried: boolean) {
		this.#waiting.set(lane, (this.#waiting.get(lane) ?? 0) + 1);
		const send = () => this.#send(lane, topics, message, slice, unhurried);
		const previous = this.#queues.get(lane);
		const next = (previous ? previous.then(send) : send()).finally(() => {
			const left = (this.#waiting.get(lane) ?? 1) - 1;
			if (left) this.#waiting.set(lane, left);
			else this.#waiting.delete(lane);
		});
		this.#queues.set(lane, next);
		void next.finally(() => {
			if (this.#queues.get(lane) === next) this.#queues.delete(lane);
		});
	}

	/** Resolves when every message handed in so far has gone out (shutdown, tests). */
	async drained() {
		while (this.#queues.size) await Promise.all(this.#queues.values());
	}

	async #send(lane: string, topics: string[], [event, payload]: Message, slice: number, unhurried: boolean) {
		const rooms = this.io.of('/').adapter.rooms;
		let upTo = 0;
		for (const t of topics) upTo += rooms.get(t)?.size ?? 0;
		if (!upTo) return;
		if (upTo <= slice) {
			this.io.local.to(topics).emit(event, payload as never);
			return;
		}
		// Every socket is in a room of its own id: a slice is a broadcast to those rooms.
		const members = new Set<string>();
		for (const t of topics) for (const id of rooms.get(t) ?? []) members.add(id);
		const ids = [...members];
		const gap = Math.min(UNHURRIED_GAP_MS, COUNTER_BATCH_MS / 2 / Math.ceil(ids.length / slice));
		for (let i = 0; i < ids.length; i += slice) {
			if (i) await (unhurried && this.#waiting.get(lane) === 1 ? this.wait(gap) : this.pause());
			this.io.local.to(ids.slice(i, i + slice)).emit(event, payload as never);
		}
	}
}
