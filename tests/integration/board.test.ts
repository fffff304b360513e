/**
 * The wall display's board content: positions inside the station's circle (or collected by the station),
 * odd jobs of today and tomorrow, and the same content as the display topic's snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardContent } from '../../src/lib/server/queries/board';
import { takeSnapshot } from '../../src/lib/server/realtime/snapshots';
import { type TestContext, createTestContext } from '../helpers/app';
import { type TestDatabase, createTestDatabase } from '../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../helpers/fixtures';
import { openPosition } from '../helpers/positions';

let db: TestDatabase;
let t: TestContext;

beforeAll(async () => {
	db = await createTestDatabase();
	t = createTestContext(db);
	await seedRegions(db.database.db);
});
afterAll(async () => db?.drop());

const HOUR = 3_600_000;

describe('boardContent', () => {
	it('shows what is inside the circle, the station’s own positions, and odd jobs of today and tomorrow', async () => {
		const d = db.database.db;
		// Station at 23.15, 113.34 with a 1 km circle.
		const station = await makeStation(d, { lat: 23.15, lng: 113.34, radiusM: 1000 });
		const employer = await makeOrganisation(d, { kind: 'employer' });
		const boss = (await signIn(d, 'employer', { organisationId: employer.id })).actor;
		const staff = (await signIn(d, 'staff', { stationId: station.id })).actor;

		const inside = await openPosition(t.ctx, boss, { title: '圈内', lat: 23.154, lng: 113.343 }); // ≈ 0.5 km
		const outside = await openPosition(t.ctx, boss, { title: '圈外', lat: 23.17, lng: 113.34 }); // ≈ 2.2 km
		const own = await openPosition(t.ctx, staff, { title: '本站采集', lat: 23.2, lng: 113.4 }); // far, but the station's
		const now = Date.now();
		const oddSoon = await openPosition(t.ctx, boss, {
			title: '明天零工',
			kind: 'odd_job',
			payUnit: 'hour',
			payMin: 25,
			payMax: 30,
			lat: 23.151,
			lng: 113.341,
			startsAt: new Date(now + 20 * HOUR).toISOString(),
			endsAt: new Date(now + 24 * HOUR).toISOString()
		});
		const oddLater = await openPosition(t.ctx, boss, {
			title: '下周零工',
			kind: 'odd_job',
			payUnit: 'hour',
			payMin: 25,
			payMax: 30,
			lat: 23.151,
			lng: 113.341,
			startsAt: new Date(now + 7 * 24 * HOUR).toISOString(),
			endsAt: new Date(now + 7 * 24 * HOUR + 4 * HOUR).toISOString()
		});

		const board = (await boardContent(t.ctx, d, station.id))!;
		const ids = board.positions.map((p) => p.id);
		expect(ids).toContain(inside.id);
		expect(ids).toContain(own.id);
		expect(ids).not.toContain(outside.id);
		expect(ids).not.toContain(oddSoon.id);
		expect(board.oddJobs.map((p) => p.id)).toEqual([oddSoon.id]);
		expect(board.oddJobs.map((p) => p.id)).not.toContain(oddLater.id);
		// Public facts only.
		expect(JSON.stringify(board)).not.toMatch(/phone|seeker/i);

		const snapshot = await takeSnapshot(t.ctx, { kind: 'display', key: String(station.id) });
		expect(snapshot.snapshot).toEqual(board);
		expect(await boardContent(t.ctx, d, 999_999)).toBeNull();
	});
});
