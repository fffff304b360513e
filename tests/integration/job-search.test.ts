/**
 * The public job search (/jobs): words, odd jobs only, a pay floor and a circle (near me or a station's),
 * each narrowing the keyset-paginated list; distances come back with a circle; bad parameters name the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobsPage, parseJobSearch } from '../../src/lib/server/queries/jobs';
import { listOpenPositions } from '../../src/lib/server/services/positions';
import { type TestContext, createTestContext } from '../helpers/app';
import { type TestDatabase, createTestDatabase } from '../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../helpers/fixtures';
import { openPosition } from '../helpers/positions';

let db: TestDatabase;
let t: TestContext;
const HOUR = 3_600_000;

beforeAll(async () => {
	db = await createTestDatabase();
	t = createTestContext(db);
	await seedRegions(db.database.db);
});
afterAll(async () => db?.drop());

describe('job search', () => {
	it('narrows by words, kind, pay and circle, with distances and keyset pages that keep the filters', async () => {
		const d = db.database.db;
		const boss = (await signIn(d, 'employer', { organisationId: (await makeOrganisation(d, { kind: 'employer' })).id })).actor;
		const near = await openPosition(t.ctx, boss, { title: '仓库分拣员 近', lat: 23.151, lng: 113.341, payMin: 5000, payMax: 6000 });
		const far = await openPosition(t.ctx, boss, { title: '仓库分拣员 远', lat: 23.3, lng: 113.5, payMin: 7000, payMax: 9000 });
		const odd = await openPosition(t.ctx, boss, {
			title: '搬运零工 100%',
			kind: 'odd_job',
			payUnit: 'hour',
			payMin: 25,
			payMax: 35,
			lat: 23.152,
			lng: 113.342,
			startsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
			endsAt: new Date(Date.now() + 6 * HOUR).toISOString()
		});
		const ids = async (input: Record<string, unknown>) => (await listOpenPositions(t.ctx, { limit: 50, ...input })).positions.map((p) => p.id);

		expect(await ids({ words: '分拣' })).toEqual([far.id, near.id]);
		// `%` is a character to find, not a wildcard.
		expect(await ids({ words: '100%' })).toEqual([odd.id]);
		expect(await ids({ words: '%' })).toEqual([odd.id]);
		expect(await ids({ kind: 'odd_job' })).toEqual([odd.id]);
		expect(await ids({ words: '分拣', payAtLeast: 6500 })).toEqual([far.id]);
		const circle = await listOpenPositions(t.ctx, { near: { lat: 23.15, lng: 113.34, radiusM: 1000 }, limit: 50 });
		expect(circle.positions.map((p) => p.id).sort()).toEqual([near.id, odd.id].sort());
		for (const p of circle.positions) {
			expect(p.distanceM).toBeGreaterThan(0);
			expect(p.distanceM).toBeLessThanOrEqual(1000);
		}

		// A station's circle from the URL, one result per page: the cursor keeps the filter.
		const station = await makeStation(d, { lat: 23.15, lng: 113.34, radiusM: 1000 });
		const first = await openJobsPage(t.ctx, null, parseJobSearch(new URLSearchParams(`station=${station.id}`)));
		expect(first.circle).toMatchObject({ radiusM: 1000 });
		expect(first.positions.map((p) => p.id).sort()).toEqual([near.id, odd.id].sort());
		const paged = await listOpenPositions(t.ctx, { near: { lat: 23.15, lng: 113.34, radiusM: 1000 }, limit: 1 });
		const second = await listOpenPositions(t.ctx, { near: { lat: 23.15, lng: 113.34, radiusM: 1000 }, limit: 1, after: paged.next! });
		expect([...paged.positions, ...second.positions].map((p) => p.id).sort()).toEqual([near.id, odd.id].sort());
		expect(second.next).toBeNull();
	});

	it('names the parameter at fault', () => {
		expect(() => parseJobSearch(new URLSearchParams('kind=spaceship'))).toThrow(expect.objectContaining({ code: 'invalid', fields: { kind: expect.any(String) } }));
		expect(() => parseJobSearch(new URLSearchParams('lat=95&lng=10'))).toThrow(expect.objectContaining({ fields: { lat: 'lat_range' } }));
		expect(() => parseJobSearch(new URLSearchParams('pay=-3'))).toThrow(expect.objectContaining({ fields: { pay: 'min' } }));
	});
});
