/** The demo province is big, varied and consistent enough to make every screen look alive. */
import { and, count, countDistinct, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, fairBoothPositions, fairBooths, jobFairs, liveRooms, positions, regions, stations, users, visits } from '../../src/lib/server/db/schema';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';
import { isSeeded, seedDemo } from '../../src/lib/server/db/seed';
import { login } from '../../src/lib/server/services/auth';
import { type TestApp, startTestApp } from '../helpers/app';
import { driverName } from '../helpers/db';

describe(`demo province on ${driverName}`, () => {
	let app: TestApp;
	let seconds = 0;
	beforeAll(async () => {
		app = await startTestApp();
		const started = Date.now();
		await seedDemo(app.ctx);
		seconds = (Date.now() - started) / 1000;
	}, 180_000);
	afterAll(async () => {
		await app?.close();
	});

	it('builds cities, counties below quota, stations of every kind and thousands of positions', async () => {
		console.info(`seeded in ${seconds.toFixed(1)} s`);
		expect(await isSeeded(app.ctx)).toBe(true);
		const [cities] = await app.ctx.db.select({ n: count() }).from(regions).where(eq(regions.level, 'city'));
		expect(cities.n).toBeGreaterThanOrEqual(15);
		const [all] = await app.ctx.db.select({ n: count(), kinds: countDistinct(stations.kind), names: countDistinct(stations.name) }).from(stations);
		expect(all.n).toBeGreaterThanOrEqual(300);
		expect(all.names).toBe(all.n);
		expect(all.kinds).toBe(7);
		const below = await app.ctx.db
			.select({ code: regions.code })
			.from(regions)
			.where(and(eq(regions.level, 'county'), sql`${regions.stationQuota} > (select count(*) from stations s where s.region_code like regions.code || '%')`));
		expect(below.length).toBeGreaterThan(0);
		const [pos] = await app.ctx.db.select({ n: count() }).from(positions);
		expect(pos.n).toBeGreaterThanOrEqual(5000);
		const [odd] = await app.ctx.db
			.select({ n: count() })
			.from(positions)
			.where(and(eq(positions.kind, 'odd_job'), isNotNull(positions.startsAt), isNotNull(positions.endsAt)));
		expect(odd.n).toBeGreaterThan(500);
		// Open odd jobs have windows that are still ahead (today, tomorrow, this week), so the sweeper has nothing to expire yet.
		const [stale] = await app.ctx.db
			.select({ n: count() })
			.from(positions)
			.where(and(eq(positions.kind, 'odd_job'), eq(positions.state, 'open'), sql`${positions.endsAt} < now()`));
		expect(stale.n).toBe(0);
		const [soon] = await app.ctx.db
			.select({ n: count() })
			.from(positions)
			.where(and(eq(positions.kind, 'odd_job'), eq(positions.state, 'open'), sql`${positions.startsAt} < now() + interval '2 days'`));
		expect(soon.n).toBeGreaterThan(200);
	});

	it("keeps every station's occupancy equal to its open visits", async () => {
		const rows = await app.ctx.db
			.select({ id: stations.id, occupancy: stations.occupancy, open: sql<number>`(select count(*)::int from visits v where v.station_id = stations.id and v.checked_out_at is null)` })
			.from(stations);
		expect(rows.filter((r) => r.occupancy !== r.open)).toEqual([]);
		const [busy] = await app.ctx.db.select({ n: count() }).from(visits).where(isNull(visits.checkedOutAt));
		expect(busy.n).toBeGreaterThan(100);
	});

	it('lets every demo login sign in', async () => {
		for (const demo of DEMO_LOGINS) {
			const session = await login(app.ctx, { username: demo.username, password: DEMO_PASSWORD });
			expect(session.user.role).toBe(demo.role);
		}
		const [station1] = await app.ctx.db.select().from(stations).where(eq(stations.id, 1));
		expect(station1.name).toBe('天河区五山街道家门口就业服务站');
		expect(station1.regionCode.startsWith('4401')).toBe(true);
		const staff = await login(app.ctx, { username: 'staff', password: DEMO_PASSWORD });
		expect(staff.user.stationId).toBe(1);
		const employer = await login(app.ctx, { username: 'employer', password: DEMO_PASSWORD });
		const [own] = await app.ctx.db
			.select({ n: count() })
			.from(positions)
			.where(and(eq(positions.employerOrganisationId, employer.user.organisationId!), eq(positions.state, 'open')));
		expect(own.n).toBeGreaterThanOrEqual(10);
		const [room] = await app.ctx.db.select().from(liveRooms).where(eq(liveRooms.state, 'live'));
		expect(room.hostOrganisationId).toBe(employer.user.organisationId);
		expect(room.pinnedPositionId).not.toBeNull();
		const seeker = await login(app.ctx, { username: 'seeker', password: DEMO_PASSWORD });
		const [mine] = await app.ctx.db.select({ n: count() }).from(applications).where(eq(applications.seekerId, seeker.user.seekerId!));
		expect(mine.n).toBeGreaterThanOrEqual(3);
	});

	it('has a fair open today at station 1 with two booths that bring open positions, the demo employer at one', async () => {
		const [first] = await app.ctx.db.select({ id: stations.id }).from(stations).orderBy(stations.id).limit(1);
		const open = await app.ctx.db.select().from(jobFairs).where(and(eq(jobFairs.stationId, first.id), eq(jobFairs.state, 'open')));
		expect(open).toHaveLength(1);
		const booths = await app.ctx.db
			.select({ boothId: fairBooths.id, organisationId: fairBooths.organisationId, positions: count(fairBoothPositions.positionId) })
			.from(fairBooths)
			.leftJoin(fairBoothPositions, eq(fairBoothPositions.boothId, fairBooths.id))
			.where(eq(fairBooths.fairId, open[0].id))
			.groupBy(fairBooths.id);
		expect(booths).toHaveLength(2);
		expect(booths.every((b) => b.positions > 0)).toBe(true);
		const [demoEmployer] = await app.ctx.db.select({ organisationId: users.organisationId }).from(users).where(eq(users.username, 'employer'));
		expect(booths.map((b) => b.organisationId)).toContain(demoEmployer.organisationId);
	});
});
