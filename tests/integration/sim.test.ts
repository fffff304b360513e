/** The demo traffic goes through the services and produces live events without errors. */
import { count, gt } from 'drizzle-orm';
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
		await seedDemo(app.ctx, { stations: 40, employers: 10, positions: 300, seekers: 100, applications: 50 });
	}, 120_000);
	afterAll(async () => {
		await app?.close();
	});

	it('produces events through the services, never breaking capacity', async () => {
		const [before] = await app.ctx.db.select({ id: events.id }).from(events).orderBy(events.id).limit(1);
		const sim = await startSimulator(app.ctx, 20);
		await new Promise((r) => setTimeout(r, 3000));
		sim.stop();
		expect(sim.stats.actions).toBeGreaterThan(20);
		expect(sim.stats.errors).toBe(0);
		const [after] = await app.ctx.db.select({ n: count() }).from(events).where(gt(events.id, before?.id ?? 0));
		expect(after.n).toBeGreaterThan(10);
		const over = (await app.ctx.db.select().from(stations)).filter((s) => s.occupancy > s.capacity || s.occupancy < 0);
		expect(over).toEqual([]);
	});

	it('follows a daily curve in Beijing time', () => {
		expect(dailyLoad(new Date('2026-11-22T02:00:00Z'))).toBeGreaterThan(dailyLoad(new Date('2026-11-22T16:00:00Z')));
	});
});
