import { describe, expect, it } from 'vitest';
import { type ApplyCommand, BUCKET_MS, LatencyHistogram, accountApplies, chatBody, monoMs, parseChatBody } from '../bench/room-metrics';

describe('room bench latency histogram', () => {
	it('reads percentiles as the upper edge of their bucket', () => {
		const h = new LatencyHistogram();
		for (let i = 1; i <= 100; i++) h.record(i);
		expect(h.count).toBe(100);
		expect(h.percentile(50)).toBe(50 + BUCKET_MS);
		expect(h.percentile(99)).toBe(99 + BUCKET_MS);
		expect(h.percentile(100)).toBe(100);
		expect(h.max).toBe(100);
	});

	it('adds up the histograms of several threads exactly, also after a structured clone', () => {
		const a = new LatencyHistogram();
		const b = new LatencyHistogram();
		for (let i = 0; i < 90; i++) a.record(10);
		for (let i = 0; i < 10; i++) b.record(500);
		const merged = new LatencyHistogram();
		merged.merge(LatencyHistogram.from(structuredClone({ counts: a.counts, count: a.count, max: a.max })));
		merged.merge(LatencyHistogram.from(structuredClone({ counts: b.counts, count: b.count, max: b.max })));
		expect(merged.count).toBe(100);
		expect(merged.percentile(90)).toBe(10 + BUCKET_MS);
		// The top bucket's edge is capped at the largest value seen.
		expect(merged.percentile(91)).toBe(500);
		expect(merged.max).toBe(500);
	});

	it('keeps negative and huge latencies (clock edges, a stuck viewer) countable', () => {
		const h = new LatencyHistogram();
		h.record(-0.3);
		h.record(10 * 60_000);
		expect(h.count).toBe(2);
		expect(h.percentile(1)).toBe(BUCKET_MS);
		expect(h.max).toBe(10 * 60_000);
		expect(h.percentile(100)).toBeGreaterThanOrEqual(60_000);
	});

	it('is NaN with nothing recorded', () => {
		expect(new LatencyHistogram().percentile(99)).toBeNaN();
	});
});

describe('room bench chat lines', () => {
	it('carry their send time to the microsecond', () => {
		const sent = monoMs();
		expect(parseChatBody(chatBody(42, sent))).toEqual({ k: 42, sentAt: Math.round(sent * 1000) / 1000 });
		expect(parseChatBody('你好')).toBeNull();
	});

	it('never hold eleven digits in a row (the chat would mask them as a phone number)', () => {
		for (const t of [0, 1.5, 13_912_345_678.9, 2 ** 40]) expect(chatBody(7, t)).not.toMatch(/[0-9]{11}/);
	});
});

describe('room bench apply accounting', () => {
	const first = (key: string, seekerId: number, positionId: number, applicationId?: number, at = 10): ApplyCommand => ({
		clientKey: key,
		seekerId,
		positionId,
		retryOf: null,
		sentAt: 0,
		acks: applicationId === undefined ? [] : [{ at, ok: true, applicationId }]
	});
	const retry = (of: number, c: ApplyCommand, applicationId: number): ApplyCommand => ({ ...c, retryOf: of, sentAt: 5, acks: [{ at: 25, ok: true, applicationId }] });

	it('counts first sends and resends that were answered alike', () => {
		const a = first('k-a', 1, 100, 11);
		const b = first('k-b', 2, 100, 12, 30);
		const account = accountApplies([a, b, retry(0, a, 11)]);
		expect(account).toMatchObject({ commands: 3, firsts: 2, retries: 1, lost: 0, mismatched: 0, splitPairs: 0, applications: 2 });
		expect(account.ackMs).toEqual([10, 30, 20]);
	});

	it('finds commands without exactly one ok answer: none, an error, two', () => {
		const none = first('k-1', 1, 100);
		const refused: ApplyCommand = { ...first('k-2', 2, 100), acks: [{ at: 3, ok: false, error: 'position_not_open' }] };
		const twice: ApplyCommand = { ...first('k-3', 3, 100), acks: [{ at: 3, ok: true, applicationId: 5 }, { at: 4, ok: true, applicationId: 5 }] };
		const account = accountApplies([none, refused, twice]);
		expect(account.lost).toBe(3);
		expect(account.examples).toHaveLength(3);
	});

	it('finds a resend answered with another application, and one pair answered twice differently', () => {
		const a = first('k-a', 1, 100, 11);
		const again = first('k-z', 1, 100, 99); // same seeker and position, another key, another row
		const account = accountApplies([a, retry(0, a, 12), again]);
		expect(account.mismatched).toBe(1);
		expect(account.splitPairs).toBe(1);
	});
});
