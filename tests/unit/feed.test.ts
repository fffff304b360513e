/**
 * TopicFeed without a server: the subscribe function is a plain async function, so the ordering rules
 * (buffer during sync, apply by id once, resync on a gap) are tested exactly.
 */
import { describe, expect, it } from 'vitest';
import { TopicFeed } from '../../src/lib/realtime/feed.svelte';
import type { Ack, LiveEvent, SubscribeResult } from '../../src/lib/realtime/protocol';

const T = 'station:1';
const ev = (id: number, prev: number | null = null): LiveEvent => ({ id, type: 't', topics: [T], payload: { id }, at: '', prev: { [T]: prev } });

function harness(answers: Array<(cursor: number | null) => Ack<SubscribeResult>>) {
	const applied: number[] = [];
	const snapshots: number[] = [];
	const cursors: Array<number | null> = [];
	let release: () => void = () => {};
	const feed = new TopicFeed(
		T,
		{ snapshot: (_s, cursor) => snapshots.push(cursor), event: (e) => applied.push(e.id) },
		async ({ cursor }) => {
			cursors.push(cursor);
			await new Promise<void>((r) => (release = r));
			return answers.shift()!(cursor);
		}
	);
	return { feed, applied, snapshots, cursors, release: () => release() };
}

describe('TopicFeed', () => {
	it('buffers live events during a snapshot sync and applies only newer ones after it', async () => {
		const h = harness([() => ({ ok: true, data: { topic: T, mode: 'snapshot', cursor: 10, snapshot: {} } })]);
		const syncing = h.feed.sync();
		h.feed.receive(ev(9));
		h.feed.receive(ev(11, 9));
		h.feed.receive(ev(10));
		expect(h.applied).toEqual([]);
		h.release();
		await syncing;
		expect(h.snapshots).toEqual([10]);
		expect(h.applied).toEqual([11]);
		expect(h.feed.status).toBe('live');
	});

	it('applies a replay then drops its duplicates arriving live', async () => {
		const h = harness([
			() => ({ ok: true, data: { topic: T, mode: 'snapshot', cursor: 5, snapshot: {} } }),
			() => ({ ok: true, data: { topic: T, mode: 'replay', cursor: 8, events: [ev(7), ev(8)] } })
		]);
		let s = h.feed.sync();
		h.release();
		await s;
		s = h.feed.sync();
		h.feed.receive(ev(8, 7));
		h.feed.receive(ev(9, 8));
		h.release();
		await s;
		expect(h.cursors).toEqual([null, 5]);
		expect(h.applied).toEqual([7, 8, 9]);
		expect(h.feed.cursor).toBe(9);
	});

	it('resyncs from its cursor when an event reveals a missed one', async () => {
		const h = harness([
			() => ({ ok: true, data: { topic: T, mode: 'snapshot', cursor: 5, snapshot: {} } }),
			() => ({ ok: true, data: { topic: T, mode: 'replay', cursor: 12, events: [ev(7), ev(12)] } })
		]);
		const s = h.feed.sync();
		h.release();
		await s;
		h.feed.receive(ev(12, 7)); // 7 never arrived
		expect(h.feed.stats.gaps).toBe(1);
		expect(h.feed.status).toBe('syncing');
		await new Promise((r) => setTimeout(r, 0));
		h.release();
		await h.feed.ready();
		expect(h.cursors).toEqual([null, 5]);
		expect(h.applied).toEqual([7, 12]);
		expect(h.feed.cursor).toBe(12);
	});

	it('stops on a refusal and reports why', async () => {
		const h = harness([() => ({ ok: false, error: { code: 'forbidden', reason: 'out_of_scope', message: 'no' } })]);
		const s = h.feed.sync();
		h.release();
		await s;
		expect(h.feed.status).toBe('denied');
		expect(h.feed.error).toBe('out_of_scope');
		h.feed.receive(ev(1));
		expect(h.applied).toEqual([]);
	});
});
