import { describe, expect, it } from 'vitest';
import { pace } from '../bench/pace';
import { matchVisitEvents, screenLatencies } from '../bench/screen-time';

/** A fake clock whose sleeps always overshoot, as timers on a busy machine do. */
function lateClock(overshootMs: number) {
	let t = 1000;
	return {
		now: () => t,
		sleep: async (ms: number) => {
			t += ms + overshootMs;
		},
		advance: (ms: number) => (t += ms)
	};
}

describe('bench pacer', () => {
	it('keeps to the schedule from the start time although every sleep overshoots', async () => {
		const clock = lateClock(3);
		const starts: number[] = [];
		const result = await pace({
			rate: 200,
			count: 1000,
			maxInFlight: 8,
			now: clock.now,
			sleep: clock.sleep,
			task: async () => {
				starts.push(clock.now());
			}
		});
		// 1000 tasks at 200/s: the last is due 4995 ms after the start. Sleeping 5 ms + 3 ms per task would
		// take 8 s; a fixed schedule catches up instead and ends within one overshoot of the due time.
		expect(result.lastStartAt - result.startedAt).toBeGreaterThanOrEqual(4995);
		expect(result.lastStartAt - result.startedAt).toBeLessThanOrEqual(4995 + 3 + 5);
		starts.forEach((at, k) => expect(at).toBeGreaterThanOrEqual(result.startedAt + k * 5));
		expect(result.errors).toEqual([]);
	});

	it('starts tasks due behind a slow one, but never more than maxInFlight at once', async () => {
		let running = 0;
		let peak = 0;
		const result = await pace({
			rate: 1000,
			count: 40,
			maxInFlight: 4,
			task: async () => {
				running++;
				peak = Math.max(peak, running);
				await new Promise((r) => setTimeout(r, 15));
				running--;
			}
		});
		expect(peak).toBe(4);
		expect(result.peakInFlight).toBe(4);
	});

	it('counts failed tasks without stopping the schedule', async () => {
		let ran = 0;
		const result = await pace({
			rate: 10_000,
			count: 10,
			maxInFlight: 2,
			task: async (i) => {
				ran++;
				if (i % 5 === 0) throw new Error(`task ${i}`);
			}
		});
		expect(ran).toBe(10);
		expect(result.errors).toHaveLength(2);
	});
});

describe('event to screen', () => {
	it('takes the first observation whose painted id covers the event', () => {
		const written = [
			{ id: 10, sentAt: 1000 },
			{ id: 11, sentAt: 1005 },
			{ id: 12, sentAt: 1010 },
			{ id: 13, sentAt: 1015 }
		];
		const observed = [
			{ applied: 9, at: 990 },
			{ applied: 11, at: 1030 },
			{ applied: 13, at: 1047 }
		];
		expect(screenLatencies(written, observed)).toEqual([30, 25, 37, 32]);
	});

	it('uses the time order of observations and a running maximum, and leaves uncovered events null', () => {
		const written = [
			{ id: 5, sentAt: 100 },
			{ id: 6, sentAt: 100 },
			{ id: 7, sentAt: 100 }
		];
		// Out of order on purpose; a lower id reported after a higher one does not undo the higher one.
		const observed = [
			{ applied: 4, at: 170 },
			{ applied: 6, at: 150 }
		];
		expect(screenLatencies(written, observed)).toEqual([50, 50, null]);
	});

	it('maps each written visit to its event by type and visit id', () => {
		const writes = [
			{ type: 'visit.checked_in', visitId: 1, sentAt: 1 },
			{ type: 'visit.checked_out', visitId: 1, sentAt: 2 },
			{ type: 'visit.checked_in', visitId: 2, sentAt: 3 }
		];
		const rows = [
			{ id: 41, type: 'visit.checked_in', visitId: 1 },
			{ id: 43, type: 'visit.checked_out', visitId: 1 }
		];
		const { matched, unmatched } = matchVisitEvents(writes, rows);
		expect(matched).toEqual([
			{ id: 41, sentAt: 1 },
			{ id: 43, sentAt: 2 }
		]);
		expect(unmatched).toEqual([writes[2]]);
	});
});
