/** The seed is deterministic: two empty databases get the same province (tests and docs rely on it). */
import { asc } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { organisations, positions, stations } from '../../src/lib/server/db/schema';
import { seedDemo } from '../../src/lib/server/db/seed';
import { type TestApp, startTestApp } from '../helpers/app';
import { driverName } from '../helpers/db';

const SMALL = { stations: 30, employers: 8, positions: 200, seekers: 50, applications: 40, serviceRecords: 20 };

describe(`seed determinism on ${driverName}`, () => {
	const apps: TestApp[] = [];
	afterAll(async () => {
		for (const app of apps) await app.close();
	});

	async function province() {
		const app = await startTestApp();
		apps.push(app);
		await seedDemo(app.ctx, SMALL);
		const db = app.ctx.db;
		return {
			stations: await db.select({ id: stations.id, name: stations.name, kind: stations.kind, lat: stations.lat, lng: stations.lng, capacity: stations.capacity }).from(stations).orderBy(asc(stations.id)),
			organisations: await db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.id)),
			positions: await db.select({ id: positions.id, title: positions.title, kind: positions.kind, state: positions.state, payMin: positions.payMin }).from(positions).orderBy(asc(positions.id))
		};
	}

	it('builds the same stations, organisations and positions twice', async () => {
		const [a, b] = [await province(), await province()];
		expect(a.stations.length).toBeGreaterThanOrEqual(30);
		expect(new Set(a.stations.map((s) => s.kind)).size).toBe(7);
		expect(new Set(a.stations.map((s) => s.name)).size).toBe(a.stations.length);
		expect(b).toEqual(a);
	}, 120_000);
});
