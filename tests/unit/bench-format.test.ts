import { describe, expect, it } from 'vitest';
import { formatFigure, percentile } from '../bench/figures';

// BENCH.md: "prints, as its last lines, one JSON object per figure, exactly these keys" (baseline only
// where there is one).
describe('benchmark output', () => {
	it('prints exactly the keys of BENCH.md, in its order', () => {
		const line = formatFigure({ metric: 'room.pin_p99_ms', value: 183.4, unit: 'ms', n: 5000, baseline: 121.2, goal: '<=250' });
		expect(line).toBe('{"metric":"room.pin_p99_ms","value":183,"unit":"ms","n":5000,"baseline":121,"goal":"<=250"}');
	});

	it('leaves baseline out when there is none', () => {
		const line = formatFigure({ metric: 'relay.delivered_ratio', value: 1, unit: 'ratio', n: 16000, goal: '=1' });
		expect(line).toBe('{"metric":"relay.delivered_ratio","value":1,"unit":"ratio","n":16000,"goal":"=1"}');
		expect(Object.keys(JSON.parse(line))).toEqual(['metric', 'value', 'unit', 'n', 'goal']);
	});

	it('drops anything that is not a BENCH.md key and keeps one line per figure', () => {
		const extra = { metric: 'relay.duplicates', value: 0, unit: 'count', n: 16000, goal: '=0', p50: 1, note: 'x' };
		const line = formatFigure(extra);
		expect(line).not.toContain('\n');
		expect(Object.keys(JSON.parse(line))).toEqual(['metric', 'value', 'unit', 'n', 'goal']);
	});

	it('rounds small values to hundredths and large ones to integers', () => {
		expect(JSON.parse(formatFigure({ metric: 'm', value: 4.7512, unit: 'ms', n: 1, baseline: 2.581, goal: '<=50' }))).toMatchObject({ value: 4.75, baseline: 2.58 });
		expect(JSON.parse(formatFigure({ metric: 'm', value: 1234.6, unit: 'ms', n: 1, goal: '<=50' })).value).toBe(1235);
	});

	it('takes nearest-rank percentiles', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		expect(percentile(values, 99)).toBe(99);
		expect(percentile(values, 50)).toBe(50);
		expect(percentile([7], 99)).toBe(7);
		expect(percentile([], 99)).toBeNaN();
	});
});
