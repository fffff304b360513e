import { describe, expect, it } from 'vitest';
import { formatFigure, percentile } from '../bench/figures';

describe('benchmark output', () => {
	it('prints exactly the keys of BENCH.md, in its order', () => {
		const line = formatFigure({ metric: 'room.pin_p99_ms', value: 183.4, unit: 'ms', n: 5000, baseline: 121.2, goal: '<=250' });
		expect(line).toBe('{"metric":"room.pin_p99_ms","value":183,"unit":"ms","n":5000,"baseline":121,"goal":"<=250"}');
		expect(Object.keys(JSON.parse(formatFigure({ metric: 'relay.duplicates', value: 0, unit: 'count', n: 16000, goal: '=0' })))).toEqual(['metric', 'value', 'unit', 'n', 'goal']);
	});
	it('takes nearest-rank percentiles', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		expect(percentile(values, 99)).toBe(99);
		expect(percentile(values, 50)).toBe(50);
	});
});
