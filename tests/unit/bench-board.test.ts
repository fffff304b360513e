import { describe, expect, it } from 'vitest';
import { domLatencies, fittedGrowthPct } from '../bench/board-metrics';
import { heapGrowth, summarise } from '../bench/heap-snapshot';

describe('board DOM latency', () => {
	it('takes the first time each position appeared, and null for one that never did', () => {
		const written = [
			{ positionId: 1, committedAt: 1000 },
			{ positionId: 2, committedAt: 1010 },
			{ positionId: 3, committedAt: 1020 }
		];
		const added: [number, number][] = [
			[2, 1100],
			[1, 1050],
			[1, 1500] // re-added after a page flip: not a second arrival
		];
		expect(domLatencies(written, added)).toEqual([50, 90, null]);
	});

	it('never reports below zero across millisecond clocks', () => {
		expect(domLatencies([{ positionId: 1, committedAt: 1000 }], [[1, 999]])).toEqual([0]);
	});
});

describe('fitted heap growth', () => {
	it('is about zero for a flat, noisy heap', () => {
		const samples = Array.from({ length: 12 }, (_, i) => ({ t: i * 10, value: 20_000_000 + (i % 2 ? 300_000 : -300_000) }));
		expect(Math.abs(fittedGrowthPct(samples))).toBeLessThan(2);
	});

	it('reads a steady leak as its growth over the window', () => {
		// 10 MB growing by 1 % of the start every 10 s, over 100 s: 10 % growth.
		const samples = Array.from({ length: 11 }, (_, i) => ({ t: i * 10, value: 10_000_000 * (1 + 0.01 * i) }));
		expect(fittedGrowthPct(samples)).toBeCloseTo(10, 5);
	});

	it('is not moved much by one high sample at the end', () => {
		const samples = Array.from({ length: 10 }, (_, i) => ({ t: i * 10, value: 10_000_000 }));
		samples.push({ t: 100, value: 11_000_000 });
		const naive = ((11_000_000 - 10_000_000) / 10_000_000) * 100;
		expect(fittedGrowthPct(samples)).toBeLessThan(naive);
	});

	it('needs two samples at different times', () => {
		expect(fittedGrowthPct([{ t: 0, value: 1 }])).toBeNaN();
		expect(fittedGrowthPct([{ t: 0, value: 1 }, { t: 0, value: 2 }])).toBeNaN();
	});
});

describe('heap snapshot summary', () => {
	// A snapshot of four nodes: two Foo objects, a string, a closure; fields as V8 writes them.
	const raw = {
		snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'], node_types: [['hidden', 'object', 'string', 'closure'], 'string'] as [string[], string] } },
		nodes: [1, 0, 1, 32, 0, 1, 0, 2, 48, 0, 2, 1, 3, 20, 0, 3, 2, 4, 16, 0],
		strings: ['Foo', 'some text', 'render']
	};

	it('sums count and self size per type and constructor, strings by type only', () => {
		const summary = summarise(raw);
		expect(summary.get('object:Foo')).toEqual({ count: 2, size: 80 });
		expect(summary.get('string')).toEqual({ count: 1, size: 20 });
		expect(summary.get('closure:render')).toEqual({ count: 1, size: 16 });
	});

	it('lists what grew, most bytes first, and leaves out what shrank', () => {
		const before = new Map([
			['object:Foo', { count: 2, size: 80 }],
			['string', { count: 10, size: 1000 }]
		]);
		const after = new Map([
			['object:Foo', { count: 5, size: 200 }],
			['string', { count: 5, size: 500 }],
			['closure:render', { count: 40, size: 640 }]
		]);
		expect(heapGrowth(before, after)).toEqual([
			{ key: 'closure:render', count: 40, size: 640 },
			{ key: 'object:Foo', count: 3, size: 120 }
		]);
	});
});
