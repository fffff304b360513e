/**
 * A live room's events in batches, without a server: the batcher (what waits, what goes at once, in which
 * order), and the client's expansion back into the events a feed applies — including through TopicFeed,
 * so its rules (by id once, resync on a gap) hold for batched events as for single ones.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applicationCount, expandBatch } from '../../src/lib/realtime/batch';
import { TopicFeed } from '../../src/lib/realtime/feed.svelte';
import type { LiveEvent, RoomBatch } from '../../src/lib/realtime/protocol';
import { COUNTER_BATCH_MS, ROOM_BATCH_MS, RoomBatcher, isRoomTopic } from '../../src/lib/server/realtime/room-batch';

const T = 'room:7';
let lastOnTopic: number | null = null;
const ev = (id: number, type: string, payload: Record<string, unknown> = {}): LiveEvent => {
	const e: LiveEvent = { id, type, topics: [T, 'seeker:3'], payload, at: `t${id}`, prev: { [T]: lastOnTopic, 'seeker:3': null } };
	lastOnTopic = id;
	return e;
};
const chat = (id: number) => ev(id, 'room.message_posted', { roomId: 7, message: { id: id * 10, body: `line ${id}`, at: `m${id}` } });
/** The event ids of a batch's chat lines. */
const lines = (b: RoomBatch) => b.messages.map(([id]) => id);
const applied = (id: number, positionId: number) => ev(id, 'application.created', { applicationId: id * 100, positionId, status: 'applied', channel: 'live_room', source: T });
const pin = (id: number) => ev(id, 'room.pinned', { roomId: 7, positionId: 1 });

describe('RoomBatcher', () => {
	let now = 0;
	let sent: RoomBatch[] = [];
	let batcher: RoomBatcher;
	beforeEach(() => {
		vi.useFakeTimers();
		now = 1000;
		sent = [];
		lastOnTopic = 40;
		batcher = new RoomBatcher((topic, batch) => sent.push({ ...batch, topic }), () => now);
	});
	afterEach(() => vi.useRealTimers());
	const advance = (ms: number) => {
		now += ms;
		vi.advanceTimersByTime(ms);
	};

	it('sends the first chat line of a quiet room at once, and batches the burst behind it', () => {
		batcher.add(T, chat(41));
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ topic: T, prev: 40, events: [], messages: [[41, { id: 410, body: 'line 41', at: 'm41' }]], applications: [] });
		// The line's event is the batch's topic and the message: nothing else of it goes on the wire.
		expect(JSON.stringify(sent[0].messages)).not.toContain('message_posted');
		advance(10);
		batcher.add(T, chat(42));
		batcher.add(T, chat(43));
		expect(sent).toHaveLength(1);
		advance(ROOM_BATCH_MS - 11);
		expect(sent).toHaveLength(1);
		advance(1);
		expect(sent).toHaveLength(2);
		expect(sent[1].prev).toBe(41);
		expect(lines(sent[1])).toEqual([42, 43]);
		// Quiet again for a whole interval: the next line goes at once.
		advance(ROOM_BATCH_MS);
		batcher.add(T, chat(44));
		expect(sent).toHaveLength(3);
	});

	it('never holds a pin back: it goes at once, after what was pending, in order', () => {
		batcher.add(T, chat(41));
		batcher.add(T, applied(42, 5));
		batcher.add(T, chat(43));
		batcher.add(T, pin(44));
		expect(sent).toHaveLength(2);
		expect(sent[1].prev).toBe(41);
		expect(lines(sent[1])).toEqual([43]);
		expect(sent[1].events.map((e) => e.id)).toEqual([44]);
		expect(sent[1].applications).toEqual([[5, 42]]);
		advance(ROOM_BATCH_MS * 2);
		expect(sent).toHaveLength(2); // the timer of the flushed batch sends nothing more
	});

	it('carries an application as its event id and position only', () => {
		batcher.add(T, chat(41));
		batcher.add(T, applied(42, 5));
		batcher.add(T, applied(43, 6));
		advance(COUNTER_BATCH_MS);
		expect(sent[1]).toMatchObject({ events: [], messages: [], applications: [[5, 42], [6, 43]], at: 't43' });
		expect(JSON.stringify(sent[1])).not.toContain('applicationId');
	});

	it('writes the applications to one position as one run: the first event id, then the gap to each next', () => {
		batcher.add(T, chat(41));
		for (const [id, position] of [[42, 5], [44, 5], [45, 6], [46, 5], [50, 6]]) batcher.add(T, applied(id, position));
		advance(COUNTER_BATCH_MS);
		expect(sent[1].applications).toEqual([
			[5, 42, 2, 2],
			[6, 45, 5]
		]);
		expect(expandBatch(sent[1]).map((e) => [e.id, e.payload.positionId])).toEqual([[42, 5], [44, 5], [45, 6], [46, 5], [50, 6]]);
		expect(applicationCount(sent[1].applications)).toBe(5);
	});

	it('lets applications alone tick the counters once a second, and a chat line take them along sooner', () => {
		batcher.add(T, applied(41, 5));
		expect(sent).toHaveLength(1); // the first after a quiet spell goes at once
		batcher.add(T, applied(42, 5));
		advance(ROOM_BATCH_MS);
		expect(sent).toHaveLength(1);
		advance(COUNTER_BATCH_MS - ROOM_BATCH_MS - 1);
		expect(sent).toHaveLength(1);
		advance(1);
		expect(sent[1].applications).toEqual([[5, 42]]);
		// Applications pending, then a chat line: both go at the chat's cadence, in one batch.
		batcher.add(T, applied(43, 6));
		advance(ROOM_BATCH_MS / 2);
		batcher.add(T, chat(44));
		advance(ROOM_BATCH_MS / 2);
		expect(sent).toHaveLength(3);
		expect(sent[2]).toMatchObject({ prev: 42, applications: [[6, 43]] });
		expect(lines(sent[2])).toEqual([44]);
		// And a chat line's timer is not pushed back by an application arriving behind it.
		batcher.add(T, chat(45));
		batcher.add(T, applied(46, 6));
		advance(ROOM_BATCH_MS);
		expect(sent).toHaveLength(4);
		expect(sent[3]).toMatchObject({ applications: [[6, 46]] });
		expect(lines(sent[3])).toEqual([45]);
	});

	it('sends whatever is pending on close', () => {
		batcher.add(T, chat(41));
		batcher.add(T, chat(42));
		batcher.close();
		expect(sent.map(lines)).toEqual([[41], [42]]);
	});

	it('knows the public room topics from the host topic and the rest', () => {
		expect(isRoomTopic('room:7')).toBe(true);
		expect(isRoomTopic('room_host:7')).toBe(false);
		expect(isRoomTopic('seeker:7')).toBe(false);
	});
});

describe('expandBatch', () => {
	const batch: RoomBatch = {
		topic: T,
		prev: 40,
		at: 'now',
		events: [{ id: 44, type: 'room.pinned', payload: { roomId: 7, positionId: 1 }, at: 'b' }],
		// Position 5: events 42 and 45 (42, then 3 on); position 6: event 43.
		applications: [
			[5, 42, 3],
			[6, 43]
		],
		messages: [[41, { id: 410, body: 'line 41', at: 'a' }]]
	};

	it('gives back the events in id order, each chained to the one before on the topic', () => {
		const out = expandBatch(batch);
		expect(out.map((e) => [e.id, e.type, e.prev[T]])).toEqual([
			[41, 'room.message_posted', 40],
			[42, 'application.created', 41],
			[43, 'application.created', 42],
			[44, 'room.pinned', 43],
			[45, 'application.created', 44]
		]);
		expect(out.every((e) => e.topics.length === 1 && e.topics[0] === T)).toBe(true);
		expect(out[1].payload).toEqual({ roomId: 7, positionId: 5 });
		expect(out[1].at).toBe('now');
		expect(out[0]).toMatchObject({ payload: { roomId: 7, message: { id: 410, body: 'line 41' } }, at: 'a' });
	});

	it('goes through a feed like single events: applied once, and a missed batch is a gap', async () => {
		const applied: number[] = [];
		const cursors: (number | null)[] = [];
		// The server's log: nothing up to 40; after the gap, it replays up to 50 (46–50 were not on this topic).
		const feed = new TopicFeed(T, { snapshot: () => {}, event: (e) => applied.push(e.id) }, async ({ cursor }) => {
			cursors.push(cursor);
			return { ok: true, data: { topic: T, mode: 'replay', cursor: cursors.length === 1 ? 40 : 50, events: [] } };
		}, 40);
		await feed.sync();
		for (const e of expandBatch(batch)) feed.receive(e);
		for (const e of expandBatch(batch)) feed.receive(e); // the same batch twice: nothing applies twice
		expect(applied).toEqual([41, 42, 43, 44, 45]);
		expect(feed.stats.duplicates).toBe(5);
		// A batch whose `prev` is beyond the cursor: the one before it never arrived.
		feed.receive(expandBatch({ ...batch, prev: 50, events: [], messages: [], applications: [[5, 51]] })[0]);
		expect(feed.stats.gaps).toBe(1);
		await feed.ready();
		expect(cursors).toEqual([40, 45]);
		expect(applied).toEqual([41, 42, 43, 44, 45, 51]);
	});
});
