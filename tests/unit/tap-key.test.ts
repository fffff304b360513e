/** The counter's client keys: a double tap and a retry after no answer reuse the key; a later tap does not. */
import { describe, expect, it } from 'vitest';
import { DOUBLE_TAP_MS, TapKeys } from '../../src/routes/stations/[id]/desk/tap-key';

describe('TapKeys', () => {
	it('reuses the key within a double tap, and only then, once the server answered', () => {
		let now = 1_000;
		const keys = new TapKeys(() => now);
		const first = keys.next();
		expect(first).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
		keys.settle();
		now += DOUBLE_TAP_MS - 100;
		expect(keys.next()).toBe(first); // the second tap of a double tap
		keys.settle();
		now += DOUBLE_TAP_MS + 1;
		const second = keys.next();
		expect(second).not.toBe(first); // a new person
		keys.settle();
		expect(keys.fresh()).not.toBe(second);
	});

	it('keeps the key after no answer, however long the retry takes', () => {
		let now = 0;
		const keys = new TapKeys(() => now);
		const first = keys.next(); // no settle(): the ack timed out
		now += 60_000;
		expect(keys.next()).toBe(first);
		keys.settle();
		now += DOUBLE_TAP_MS + 1;
		expect(keys.next()).not.toBe(first);
	});
});
