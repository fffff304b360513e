/** Processes starting together on one empty database seed it once; a seeded database is left alone. */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, stations } from '../../src/lib/server/db/schema';
import { seedIfEmpty } from '../../src/lib/server/db/seed';
import { type TestApp, startTestApp } from '../helpers/app';
import { driverName } from '../helpers/db';

const SMALL = { stations: 20, employers: 5, positions: 60, seekers: 20, applications: 10, serviceRecords: 10 };

describe(`seeding once on ${driverName}`, () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp();
	});
	afterAll(async () => {
		await app?.close();
	});

	it('seeds an empty database once, even when asked twice at the same time', async () => {
		const results = await Promise.all([seedIfEmpty(app.ctx, SMALL), seedIfEmpty(app.ctx, SMALL)]);
		const done = results.filter((r) => r !== null);
		expect(done).toHaveLength(1);
		const [n] = await app.ctx.db.select({ n: count() }).from(stations);
		expect(n.n).toBe(done[0].stations);
		expect(await seedIfEmpty(app.ctx, SMALL)).toBeNull();
		const [seeded] = await app.ctx.db.select({ n: count() }).from(events).where(eq(events.type, 'demo.seeded'));
		expect(seeded.n).toBe(1);
	}, 60_000);
});
