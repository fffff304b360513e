/**
 * DESIGN.md rule 5: commands are idempotent where people double-tap, and constraints decide races.
 */
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationLiveStore } from '../../../src/lib/realtime/stores/stations.svelte';
import { applications, events, stations, visits } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { apply } from '../../../src/lib/server/services/applications';
import { closePosition } from '../../../src/lib/server/services/positions';
import { checkIn, checkOut } from '../../../src/lib/server/services/visits';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

describe(`double taps and races on ${driverName}`, () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp();
		await seedRegions(app.ctx.db);
	});
	afterAll(async () => {
		await app?.close();
	});

	it('50 concurrent identical applies make one application, one event and 50 identical answers', async () => {
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		const position = await openPosition(app.ctx, employer.actor);
		const seeker = await signIn(app.ctx.db, 'seeker');
		const input = { positionId: position.id, clientKey: 'tap-0001-abcdef', channel: 'web' };
		const answers = await Promise.all(Array.from({ length: 50 }, () => apply(app.ctx, seeker.actor, input)));
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
		const [rows] = await app.ctx.db.select({ n: count() }).from(applications).where(eq(applications.positionId, position.id));
		expect(rows.n).toBe(1);
		const created = (await app.ctx.db.select().from(events).where(eq(events.type, 'application.created'))).filter(
			(e) => (e.payload as { positionId: number }).positionId === position.id
		);
		expect(created).toHaveLength(1);

		// Same key for another position: refused, naming the key. Another key for the same position: the same application.
		const other = await openPosition(app.ctx, employer.actor);
		await expect(apply(app.ctx, seeker.actor, { ...input, positionId: other.id })).rejects.toMatchObject({ code: 'conflict', fields: { clientKey: 'reused' } });
		const again = await apply(app.ctx, seeker.actor, { ...input, clientKey: 'tap-0002-abcdef' });
		expect(again.applicationId).toBe(answers[0].applicationId);
	});

	it('a rush of 40 people tapping twice, one position closing meanwhile: every tap answered, one row and one event per person and position, written in groups', async () => {
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		const [a, b, closing] = [await openPosition(app.ctx, employer.actor), await openPosition(app.ctx, employer.actor), await openPosition(app.ctx, employer.actor)];
		const people = await Promise.all(Array.from({ length: 40 }, () => signIn(app.ctx.db, 'seeker')));
		const taps = people.flatMap((p, n) => {
			const positionId = [a.id, b.id, closing.id][n % 3];
			const input = { positionId, clientKey: `rush-${n}-abcdefgh`, channel: 'web' };
			// A double tap (same key) and a second tap of another key for the same position.
			return [apply(app.ctx, p.actor, input), apply(app.ctx, p.actor, input), apply(app.ctx, p.actor, { ...input, clientKey: `rush-${n}-again-abcd` })];
		});
		const closed = closePosition(app.ctx, employer.actor, { positionId: closing.id });
		const outcomes = await Promise.allSettled(taps);
		await closed;

		const rows = await app.ctx.db.select().from(applications).where(inArray(applications.positionId, [a.id, b.id, closing.id]));
		for (let n = 0; n < people.length; n++) {
			const mine = outcomes.slice(n * 3, n * 3 + 3);
			const actor = people[n].actor;
			const row = rows.find((r) => actor.kind === 'seeker' && r.seekerId === actor.seekerId);
			if (!row) {
				// Only the closing position may refuse, and then it refused every tap and wrote nothing.
				expect(n % 3).toBe(2);
				for (const o of mine) expect(o).toMatchObject({ status: 'rejected', reason: { reason: 'position_not_open' } });
				continue;
			}
			// Answered taps all name the one application; a refusal is only possible after the close.
			for (const o of mine) if (o.status === 'fulfilled') expect(o.value.applicationId).toBe(row.id);
			if (row.positionId !== closing.id) for (const o of mine) expect(o.status).toBe('fulfilled');
		}
		expect(new Set(rows.map((r) => `${r.seekerId}:${r.positionId}`)).size).toBe(rows.length);
		const created = (await app.ctx.db.select().from(events).where(eq(events.type, 'application.created'))).filter((e) =>
			rows.some((r) => r.id === (e.payload as { applicationId: number }).applicationId)
		);
		expect(created).toHaveLength(rows.length);
		// Written in groups: events of one transaction share its start time, and there were fewer transactions than rows.
		expect(new Set(created.map((e) => e.at.toISOString())).size).toBeLessThan(rows.length);
	});

	it('40 concurrent check-ins for 10 free places: exactly 10 succeed, in the database and in a live store', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 12, occupancy: 0 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'pre-visit-1' });
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'pre-visit-2' });
		await checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: 'pre-out-1' });
		await checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: 'pre-out-2' });
		await app.ctx.db.update(stations).set({ capacity: 10 }).where(eq(stations.id, station.id));

		const watcher = connect(app.url, { cookie: staff.cookie });
		const store = new StationLiveStore(watcher, station.id);
		await until(() => store.feed.status === 'live', 10_000, 'store synced');

		const results = await Promise.allSettled(
			Array.from({ length: 40 }, (_, i) => checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: `visit-key-${i}` }))
		);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
		expect(ok).toHaveLength(10);
		expect(refused).toHaveLength(30);
		for (const error of refused) {
			expect(error).toBeInstanceOf(ServiceError);
			expect(error).toMatchObject({ code: 'conflict', reason: 'capacity_full' });
		}
		const [row] = await app.ctx.db.select().from(stations).where(eq(stations.id, station.id));
		const [open] = await app.ctx.db.select({ n: count() }).from(visits).where(and(eq(visits.stationId, station.id), isNull(visits.checkedOutAt)));
		expect(row.occupancy).toBe(10);
		expect(open.n).toBe(10);
		await until(() => store.station?.occupancy === 10, 5000, 'store at 10');
		await new Promise((r) => setTimeout(r, 200));
		expect(store.station?.occupancy).toBe(10);
		watcher.close();
	});

	it('a double-tapped check-out closes one visit; occupancy never goes below zero', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 5 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'one-visit-1' });
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'one-visit-2' });
		const taps = await Promise.all(Array.from({ length: 10 }, () => checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: 'out-tap-1' })));
		expect(new Set(taps.map((t) => t.visitId)).size).toBe(1);
		await checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: 'out-tap-2' });
		await expect(checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: 'out-tap-3' })).rejects.toMatchObject({ reason: 'nobody_on_site' });
		const [row] = await app.ctx.db.select().from(stations).where(eq(stations.id, station.id));
		expect(row.occupancy).toBe(0);
	});

	it('staff may let someone in past capacity with override, and it is recorded', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 1 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'full-visit-1' });
		await expect(checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'full-visit-2' })).rejects.toMatchObject({ reason: 'capacity_full' });
		const answer = await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: 'full-visit-3', override: true });
		expect(answer).toMatchObject({ overCapacity: true, occupancy: 2 });
	});
});
