/**
 * Calls made in groups, without a database: what waits, how groups form, and how a failing group is answered.
 */
import { describe, expect, it } from 'vitest';
import { CallGroup } from '../../src/lib/server/call-group';

/** A `many` whose calls finish when the test says so. */
function controlled() {
	const calls: { items: number[]; finish: (outcomes?: (number | Error)[] | Error) => void }[] = [];
	const many = (items: number[]) =>
		new Promise<(number | Error)[]>((resolve, reject) => {
			calls.push({ items, finish: (o) => (o instanceof Error ? reject(o) : resolve(o ?? items.map((i) => i * 10))) });
		});
	return { calls, many };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('CallGroup', () => {
	it('makes the first call at once, and what queues behind it as one group', async () => {
		const { calls, many } = controlled();
		const group = new CallGroup(many, async (i: number) => i);
		const first = group.submit(1);
		expect(calls.map((c) => c.items)).toEqual([[1]]);
		const rest = [2, 3, 4].map((i) => group.submit(i));
		await tick();
		expect(calls).toHaveLength(1);
		calls[0].finish();
		expect(await first).toBe(10);
		await tick();
		expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
		calls[1].finish();
		expect(await Promise.all(rest)).toEqual([20, 30, 40]);
		// Quiet again: the next request starts a group of its own at once.
		const later = group.submit(5);
		expect(calls[2].items).toEqual([5]);
		calls[2].finish();
		expect(await later).toBe(50);
	});

	it('rejects just the items whose outcome is an error', async () => {
		const { calls, many } = controlled();
		const group = new CallGroup(many, async (i: number) => i);
		const a = group.submit(1);
		calls[0].finish([new Error('not open')]);
		await expect(a).rejects.toThrow('not open');
		const b = group.submit(2);
		const c = group.submit(3);
		const d = group.submit(4);
		calls[1].finish();
		await tick();
		calls[2].finish([30, new Error('closed'), 40]);
		expect(await b).toBe(20);
		expect(await c).toBe(30);
		await expect(d).rejects.toThrow('closed');
	});

	it('retries each request of a failed group alone, and gives a lone request its own error', async () => {
		const { calls, many } = controlled();
		const singles: number[] = [];
		const group = new CallGroup(many, async (i: number) => {
			singles.push(i);
			if (i === 3) throw new Error('bad request 3');
			return -i;
		});
		const lone = group.submit(1);
		calls[0].finish(new Error('database gone'));
		await expect(lone).rejects.toThrow('database gone');
		expect(singles).toEqual([]);

		const first = group.submit(1);
		const queued = [2, 3, 4].map((i) => group.submit(i));
		calls[1].finish();
		await first;
		await tick();
		calls[2].finish(new Error('deadlock detected'));
		const settled = await Promise.allSettled(queued);
		expect(singles.sort()).toEqual([2, 3, 4]);
		expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([-2, 'bad request 3', -4]);
	});

	it('caps a group, leaving the rest for the next one', async () => {
		const { calls, many } = controlled();
		const group = new CallGroup(many, async (i: number) => i, 2);
		const all = [1, 2, 3, 4, 5].map((i) => group.submit(i));
		calls[0].finish();
		await tick();
		calls[1].finish();
		await tick();
		calls[2].finish();
		expect(calls.map((c) => c.items)).toEqual([[1], [2, 3], [4, 5]]);
		expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
	});
});
