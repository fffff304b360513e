import { describe, expect, it } from 'vitest';
import { cursorOfPage } from '../bench/keyset';

/** A keyset list of ids n, n-1, …, 1 (newest first); the cursor is the last id read. */
function list(n: number) {
	const calls: number[] = [];
	const fetch = async (after: number | undefined, limit: number) => {
		calls.push(limit);
		const start = after === undefined ? n : after - 1;
		const rows = Array.from({ length: Math.max(0, Math.min(limit, start)) }, (_, i) => start - i);
		// Like listOpenPositions: a cursor only when another row follows.
		return { rows, next: rows.length === limit && start - limit >= 1 ? rows.at(-1)! : null };
	};
	return { fetch, calls };
}

describe('cursorOfPage', () => {
	it('needs no cursor for page 1', async () => {
		const { fetch, calls } = list(50);
		expect(await cursorOfPage(fetch, 1, 20, 100)).toBeUndefined();
		expect(calls).toEqual([]);
	});

	it('opens page N after row (N - 1) × size, in steps of the largest page allowed', async () => {
		const { fetch, calls } = list(100_000);
		const after = await cursorOfPage(fetch, 1000, 20, 100);
		// Rows 1…19,980 are ids 100,000…80,021: page 1000 starts at id 80,020.
		expect(after).toBe(80_021);
		expect(calls.length).toBe(200);
		expect(calls.at(-1)).toBe(80);
		const page = await fetch(after!, 20);
		expect(page.rows[0]).toBe(80_020);
	});

	it('says null when the list ends before the page', async () => {
		expect(await cursorOfPage(list(1000).fetch, 51, 20, 100)).toBeNull();
		expect(await cursorOfPage(list(1001).fetch, 51, 20, 100)).toBe(2);
		expect(await cursorOfPage(list(500).fetch, 1000, 20, 100)).toBeNull();
	});

	it('refuses a page that is not a positive integer', async () => {
		await expect(cursorOfPage(list(10).fetch, 0, 20, 100)).rejects.toThrow();
	});
});
