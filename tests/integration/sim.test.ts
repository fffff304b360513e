/** The demo traffic goes through the services as real people and produces live events without errors. */
import { count, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, stations } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/db/seed';
import { dailyLoad, startSimulator } from '../../src/lib/server/sim/simulator';
import { type TestApp, startTestApp } from '../helpers/app';
import { driverName } from '../helpers/db';

describe(`demo traffic on ${driverName}`, () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp();
		await seedDemo(app.ctx, { stations: 40, employers: 10, positions: 300, seekers: 100, applications: 80, serviceRecords: 50 });
	}, 120_000);
	afterAll(async () => {
		await app?.close();
	});

	it('produces events through the services, never breaking capacity', async () => {
		const [before] = await app.ctx.db.select({ id: sql<number>`coalesce(max(${events.id}), 0)::int` }).from(events);
		const sim = await startSimulator(app.ctx, 20, { seed: 7 });
		await new Promise((r) => setTimeout(r, 4000));
		await sim.stop();
		console.info('simulator', JSON.stringify(sim.stats));
		expect(sim.stats.errors).toBe(0);
		expect(sim.stats.actions).toBeGreaterThan(30);
		expect(sim.stats.byStep.counter).toBeGreaterThan(10);
		expect(Object.keys(sim.stats.byStep).length).toBeGreaterThanOrEqual(3);
		const types = await app.ctx.db.selectDistinct({ type: events.type }).from(events).where(gt(events.id, before.id));
		expect(types.map((t) => t.type)).toEqual(expect.arrayContaining(['visit.checked_in', 'service.recorded']));
		expect(sim.stats.byStep.service).toBeGreaterThan(0);
		const [after] = await app.ctx.db.select({ n: count() }).from(events).where(gt(events.id, before.id));
		expect(after.n).toBeGreaterThan(20);
		// Occupancy stays within capacity and equal to the open visits.
		const rows = await app.ctx.db
			.select({ occupancy: stations.occupancy, capacity: stations.capacity, open: sql<number>`(select count(*)::int from visits v where v.station_id = stations.id and v.checked_out_at is null)` })
			.from(stations);
		expect(rows.filter((s) => s.occupancy > s.capacity || s.occupancy < 0 || s.occupancy !== s.open)).toEqual([]);
	});

	it('stops cleanly and is off at rate 0', async () => {
		const off = await startSimulator(app.ctx, 0);
		await new Promise((r) => setTimeout(r, 200));
		await off.stop();
		expect(off.stats.actions).toBe(0);
	});

	it('follows a daily curve in Beijing time', () => {
		// 10:00 Beijing (02:00 UTC) is busier than midnight Beijing (16:00 UTC).
		expect(dailyLoad(new Date('2026-11-22T02:00:00Z'))).toBeGreaterThan(dailyLoad(new Date('2026-11-22T16:00:00Z')));
	});
});
