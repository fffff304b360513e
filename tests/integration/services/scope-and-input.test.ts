/**
 * Every service checks the actor's scope and every command validates its input: refusals name the field,
 * and nothing — no row, no event — is written.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import * as schema from '../../../src/lib/server/db/schema';
import { events, positions, seekers, stations } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { commands } from '../../../src/lib/server/realtime/commands';
import { apply, getApplication, listApplicationsForPosition } from '../../../src/lib/server/services/applications';
import { closePosition, createPosition, expireDuePositions, reviewPosition, submitPosition } from '../../../src/lib/server/services/positions';
import { registerSeeker, withdrawConsent } from '../../../src/lib/server/services/seekers';
import { setStationState } from '../../../src/lib/server/services/stations';
import { checkIn } from '../../../src/lib/server/services/visits';
import { type TestApp, startTestApp } from '../../helpers/app';
import { driverName } from '../../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition, positionInput } from '../../helpers/positions';

describe(`scope and input on ${driverName}`, () => {
	let app: TestApp;
	let stationA: typeof schema.stations.$inferSelect;
	let stationB: typeof schema.stations.$inferSelect;
	let staffA: Actor;
	beforeAll(async () => {
		app = await startTestApp();
		await seedRegions(app.ctx.db);
		stationA = await makeStation(app.ctx.db);
		stationB = await makeStation(app.ctx.db, { regionCode: '440305', lat: 22.53, lng: 113.93 });
		staffA = (await signIn(app.ctx.db, 'staff', { stationId: stationA.id })).actor;
	});
	afterAll(async () => {
		await app?.close();
	});

	const eventCount = async () => (await app.ctx.db.select({ n: count() }).from(events))[0].n;

	it('staff of station A cannot change station B', async () => {
		const before = await eventCount();
		await expect(checkIn(app.ctx, staffA, { stationId: stationB.id, clientKey: 'cross-station-1' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(setStationState(app.ctx, staffA, { stationId: stationB.id, state: 'closed' })).rejects.toMatchObject({ code: 'forbidden' });
		const [b] = await app.ctx.db.select().from(stations).where(eq(stations.id, stationB.id));
		expect(b).toMatchObject({ occupancy: 0, state: 'open' });
		expect(await eventCount()).toBe(before);
	});

	it("a seeker cannot see another seeker's application; contacts reach only the position's employer", async () => {
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const otherOrg = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		const stranger = await signIn(app.ctx.db, 'employer', { organisationId: otherOrg.id });
		const position = await openPosition(app.ctx, employer.actor);
		const one = await signIn(app.ctx.db, 'seeker');
		const two = await signIn(app.ctx.db, 'seeker');
		const mine = await apply(app.ctx, one.actor, { positionId: position.id, clientKey: 'seeker-one-key' });
		await expect(getApplication(app.ctx, two.actor, mine.applicationId)).rejects.toMatchObject({ code: 'not_found' });
		await expect(apply(app.ctx, two.actor, { positionId: position.id, clientKey: 'on-behalf-key', seekerId: (one.actor as { seekerId: number }).seekerId })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listApplicationsForPosition(app.ctx, stranger.actor, position.id)).rejects.toMatchObject({ code: 'forbidden' });
		const list = await listApplicationsForPosition(app.ctx, employer.actor, position.id);
		expect(list[0].phone).toMatch(/^1[3-9]\d{9}$/);
	});

	it('staff apply at the counter only for people of their own station', async () => {
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: (await makeOrganisation(app.ctx.db, { kind: 'employer' })).id });
		const position = await openPosition(app.ctx, employer.actor);
		const staffB = (await signIn(app.ctx.db, 'staff', { stationId: stationB.id })).actor;
		const theirs = await registerSeeker(app.ctx, staffB, { name: '林一', phone: '13712340001', consent: true });
		const ours = await registerSeeker(app.ctx, staffA, { name: '林二', phone: '13712340002', consent: true });
		const before = await eventCount();
		// The person's contact would reach the employer with the application: an id alone must not get them there.
		await expect(apply(app.ctx, staffA, { positionId: position.id, clientKey: 'counter-theirs-1', seekerId: theirs.id })).rejects.toMatchObject({ code: 'not_found' });
		expect(await eventCount()).toBe(before);
		const mine = await apply(app.ctx, staffA, { positionId: position.id, clientKey: 'counter-ours-1', seekerId: ours.id });
		expect(mine).toMatchObject({ channel: 'counter', status: 'applied' });
	});

	it('takes a position through review, rejection with a reason, and expiry of a past odd job', async () => {
		const draft = await createPosition(app.ctx, staffA, positionInput({ title: '周末搬运' }));
		expect(draft).toMatchObject({ state: 'draft', stationId: stationA.id });
		await submitPosition(app.ctx, staffA, { positionId: draft.id });
		await expect(reviewPosition(app.ctx, staffA, { positionId: draft.id, decision: 'reject' })).rejects.toMatchObject({ fields: { reason: expect.any(String) } });
		const rejected = await reviewPosition(app.ctx, staffA, { positionId: draft.id, decision: 'reject', reason: '薪资未写明' });
		expect(rejected).toMatchObject({ state: 'draft', reviewNote: '薪资未写明' });
		await submitPosition(app.ctx, staffA, { positionId: draft.id });
		const open = await reviewPosition(app.ctx, staffA, { positionId: draft.id, decision: 'approve' });
		expect(open.state).toBe('open');
		await expect(submitPosition(app.ctx, staffA, { positionId: draft.id })).rejects.toMatchObject({ code: 'conflict', reason: 'wrong_state' });
		const closed = await closePosition(app.ctx, staffA, { positionId: draft.id });
		expect(closed.state).toBe('closed');

		const yesterday = Date.now() - 86_400_000;
		const odd = await openPosition(app.ctx, staffA, {
			kind: 'odd_job',
			payUnit: 'day',
			payMin: 200,
			payMax: 260,
			startsAt: new Date(yesterday - 3_600_000 * 8).toISOString(),
			endsAt: new Date(yesterday).toISOString()
		});
		expect(await expireDuePositions(app.ctx)).toBeGreaterThanOrEqual(1);
		const [row] = await app.ctx.db.select().from(positions).where(eq(positions.id, odd.id));
		expect(row.state).toBe('expired');
	});

	it('withdrawing consent erases name and phone', async () => {
		const seeker = await registerSeeker(app.ctx, staffA, { name: '王小明', phone: '13912345678', consent: true });
		await expect(registerSeeker(app.ctx, staffA, { name: '重复', phone: '13912345678', consent: true })).rejects.toMatchObject({ fields: { phone: 'phone_taken' } });
		await withdrawConsent(app.ctx, staffA, { seekerId: seeker.id });
		const [row] = await app.ctx.db.select().from(seekers).where(eq(seekers.id, seeker.id));
		expect(row).toMatchObject({ name: null, phone: null });
		expect(row.consentWithdrawnAt).toBeInstanceOf(Date);
	});

	it('rejects malformed input to every socket command, naming the field, writing nothing', async () => {
		const admin: Actor = { kind: 'admin', userId: 0 };
		const bad: unknown[] = [
			undefined,
			null,
			'text',
			42,
			[],
			{},
			{ stationId: 'abc', positionId: 'abc', applicationId: 'abc', clientKey: 'x' },
			{ stationId: -1, positionId: -1, applicationId: -1, clientKey: 'k'.repeat(100_000) },
			// Well-formed ids of nothing beside garbage enums: a command that only needs an id must still refuse
			// (not_found), never act on whatever row happens to have id 1.
			{ stationId: stationA.id, positionId: 2_000_000_000, applicationId: 2_000_000_000, clientKey: '../../etc', state: 'exploded', status: 'hacked', decision: 'maybe' }
		];
		const before = await eventCount();
		const [rowsBefore] = await app.ctx.db.select({ n: count() }).from(positions);
		for (const [name, command] of Object.entries(commands)) {
			for (const input of bad) {
				const error = await command(app.ctx, admin, input).then(
					() => null,
					(e: unknown) => e
				);
				expect(error, `${name} accepted ${JSON.stringify(input)?.slice(0, 80)}`).toBeInstanceOf(ServiceError);
				const e = error as ServiceError;
				expect(['invalid', 'forbidden', 'not_found', 'conflict'], `${name}: ${e.code}`).toContain(e.code);
				if (e.code === 'invalid') expect(Object.keys(e.fields ?? {}).length, `${name} names a field`).toBeGreaterThan(0);
			}
		}
		expect(await eventCount()).toBe(before);
		const [rowsAfter] = await app.ctx.db.select({ n: count() }).from(positions);
		expect(rowsAfter.n).toBe(rowsBefore.n);
	});

	it('rejects bad positions with the field at fault', async () => {
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: (await makeOrganisation(app.ctx.db, { kind: 'employer' })).id });
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ lat: 999 }, 'lat'],
			[{ lng: -500 }, 'lng'],
			[{ payMin: 9000, payMax: 100 }, 'payMax'],
			[{ headcount: 0 }, 'headcount'],
			[{ title: '' }, 'title'],
			[{ title: '长'.repeat(500) }, 'title'],
			[{ kind: 'odd_job', payUnit: 'day' }, 'startsAt'],
			[{ regionCode: '99' }, 'regionCode'],
			[{ payUnit: 'year' }, 'payUnit']
		];
		for (const [over, field] of cases) {
			const error = await createPosition(app.ctx, employer.actor, positionInput(over)).catch((e: ServiceError) => e);
			expect(error, JSON.stringify(over)).toBeInstanceOf(ServiceError);
			expect((error as ServiceError).fields, JSON.stringify(over)).toHaveProperty(field);
		}
	});
});
