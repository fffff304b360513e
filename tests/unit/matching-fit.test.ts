/** The pure half of matching: how one position fits one seeker (server/matching/fit.ts) and the line that says why. */
import { describe, expect, it } from 'vitest';
import { explainMatch, formatDistance } from '../../src/lib/matching/explain';
import type { MatchReasons } from '../../src/lib/matching/reasons';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime';
import { distanceM } from '../../src/lib/geo';
import { type SeekerSide, byFit, fit, matchWord, serviceWeekday } from '../../src/lib/server/matching/fit';

const now = new Date('2025-06-02T02:00:00Z'); // a Monday, 10:00 in Beijing
const home = { lat: 23.13, lng: 113.35 };
const seeker: SeekerSide = { centre: home, radiusM: 3000, words: ['Warehouse', '叉车'], oddJobDays: [6] };
const position = (over: Partial<Parameters<typeof fit>[1]> = {}) => ({
	lat: home.lat + 1100 / 111_320,
	lng: home.lng,
	title: '分拣员',
	category: 'warehouse',
	kind: 'full_time',
	startsAt: null,
	publishedAt: new Date(now.getTime() - 3_600_000),
	...over
});

describe('fit', () => {
	it('measures distance like the SQL haversine', () => {
		expect(Math.round(distanceM(home.lat, home.lng, home.lat + 1100 / 111_320, home.lng))).toBeCloseTo(1100, -1);
	});

	it('prefers the category, then a word inside it, then the title; keeps the seeker\'s spelling', () => {
		expect(matchWord(['Warehouse'], 'warehouse', '')).toEqual({ word: 'Warehouse', on: 'category', weight: 1 });
		expect(matchWord(['仓库'], '仓库物流', '搬运')).toMatchObject({ on: 'category', weight: 0.8 });
		expect(matchWord(['叉车'], 'logistics', '叉车司机')).toMatchObject({ on: 'title', weight: 0.7 });
		expect(matchWord(['厨师', ' '], 'logistics', '叉车司机')).toBeNull();
	});

	it('reads the odd job\'s weekday in Beijing time', () => {
		// Friday 20:00 UTC is Saturday 04:00 in Beijing.
		expect(serviceWeekday(new Date('2025-06-06T20:00:00Z'), 480)).toBe(6);
	});

	it('gives the reasons and ranks inside the circle first', () => {
		const near = fit(seeker, position(), now, 480);
		expect(Math.abs(near.reasons.distanceM! - 1100)).toBeLessThan(5);
		expect(near.reasons).toMatchObject({ inCircle: true, matchedWord: 'Warehouse', matchedOn: 'category', freeDay: null, busyDay: null, fresh: true });
		const saturday = fit(seeker, position({ kind: 'odd_job', category: 'cleaning', startsAt: new Date('2025-06-07T01:00:00Z') }), now, 480);
		expect(saturday.reasons).toMatchObject({ freeDay: 6, busyDay: null, matchedWord: null });
		const far = fit(seeker, position({ lat: home.lat + 0.2 }), now, 480);
		expect(far.reasons.inCircle).toBe(false);
		const list = [
			{ id: 1, publishedAt: null, fit: far },
			{ id: 2, publishedAt: null, fit: saturday },
			{ id: 3, publishedAt: null, fit: near }
		].sort(byFit);
		expect(list.map((x) => x.id)).toEqual([3, 2, 1]);
	});

	it('without a centre, has no distance and nobody is in a circle', () => {
		const f = fit({ ...seeker, centre: null }, position(), now, 480);
		expect(f.reasons).toMatchObject({ distanceM: null, inCircle: false, matchedWord: 'Warehouse' });
	});
});

describe('explainMatch', () => {
	const reasons: MatchReasons = { distanceM: 1130, inCircle: true, matchedWord: 'warehouse', matchedOn: 'category', freeDay: 6, busyDay: null, fresh: false };

	it('says it in Chinese by default and in English when asked', () => {
		overwriteGetLocale(() => 'zh-CN');
		expect(explainMatch(reasons)).toBe('1.1 公里，符合“warehouse”，周六有空');
		expect(explainMatch({ ...reasons, inCircle: false, distanceM: 12_000, matchedWord: null, freeDay: null, busyDay: 1, fresh: true })).toBe('12.0 公里（超出范围），周一未登记有空，新发布');
		overwriteGetLocale(() => 'en');
		expect(explainMatch(reasons)).toBe("1.1 km, matches 'warehouse', free Saturday");
		expect(formatDistance(84)).toBe('80 m');
		overwriteGetLocale(() => 'zh-CN');
	});
});
