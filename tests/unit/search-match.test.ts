import { describe, expect, it } from 'vitest';
import { matchesSearch } from '../../src/lib/jobs/search-match';

const open = { state: 'open', kind: 'full_time', category: 'logistics', title: '仓库分拣员', payMax: 6000, lat: 23.13, lng: 113.33 };

describe('matchesSearch (the /jobs filters, in the browser)', () => {
	it('passes an open position with no filters, and never a closed one', () => {
		expect(matchesSearch(open, {}, null)).toBe(true);
		expect(matchesSearch({ ...open, state: 'closed' }, {}, null)).toBe(false);
		expect(matchesSearch({ ...open, state: 'filled' }, {}, null)).toBe(false);
	});
	it('applies kind, category, words (case-insensitive) and the pay floor like the server query', () => {
		expect(matchesSearch(open, { kind: 'odd_job' }, null)).toBe(false);
		expect(matchesSearch(open, { category: 'retail' }, null)).toBe(false);
		expect(matchesSearch(open, { q: '分拣' }, null)).toBe(true);
		expect(matchesSearch({ ...open, title: 'Forklift Driver' }, { q: 'forklift' }, null)).toBe(true);
		expect(matchesSearch(open, { q: '司机' }, null)).toBe(false);
		expect(matchesSearch(open, { pay: 6000 }, null)).toBe(true);
		expect(matchesSearch(open, { pay: 6001 }, null)).toBe(false);
	});
	it('keeps to the circle, and drops a position without a place when there is one', () => {
		const circle = { lat: 23.13, lng: 113.33, radiusM: 1000 };
		expect(matchesSearch(open, {}, circle)).toBe(true);
		expect(matchesSearch({ ...open, lat: 23.15 }, {}, circle)).toBe(false); // about 2.2 km north
		expect(matchesSearch({ ...open, lat: undefined }, {}, circle)).toBe(false);
	});
});
