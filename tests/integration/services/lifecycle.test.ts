/**
 * Lifecycles through the services: stations in a supervisor's region, positions from draft to filled or
 * expired, applications along their pipeline, and the topics each event goes to.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topic } from '../../../src/lib/realtime/topics';
import type { Actor } from '../../../src/lib/server/actor';
import type { AppContext } from '../../../src/lib/server/context';
import { events, positions } from '../../../src/lib/server/db/schema';
import { apply, setApplicationStatus } from '../../../src/lib/server/services/applications';
import {
	createPosition,
	expireDuePositions,
	fillPosition,
	getPosition,
	listOpenPositions,
	listOwnPositions,
	submitPosition,
	updatePosition
} from '../../../src/lib/server/services/positions';
import { createStation, listStationsInScope, setStationState, updateStation } from '../../../src/lib/server/services/stations';
import { checkIn } from '../../../src/lib/server/services/visits';
import { createTestContext } from '../../helpers/app';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition, positionInput } from '../../helpers/positions';

describe(`lifecycles on ${driverName}`, () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let lead: number;
	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedRegions(ctx.db);
		lead = (await makeOrganisation(ctx.db)).id;
	});
	afterAll(async () => {
		await db?.drop();
	});

	const lastEvent = async (type: string) => (await ctx.db.select().from(events).where(eq(events.type, type)).orderBy(desc(events.id)).limit(1))[0];
	const stationInput = (over: Record<string, unknown> = {}) => ({
		name: '五山街道零工驿站',
		kind: 'odd_job',
		leadOrganisationId: lead,
		regionCode: '440106001',
		lat: 23.15,
		lng: 113.35,
		capacity: 30,
		services: ['job_registration'],
		...over
	});

	it('a supervisor creates and runs stations inside their region only', async () => {
		const guangzhou = (await signIn(ctx.db, 'supervisor', { regionCode: '4401' })).actor;
		const station = await createStation(ctx, guangzhou, stationInput({ address: '五山路 1 号', radiusM: 900 }));
		expect(station).toMatchObject({ state: 'open', occupancy: 0, radiusM: 900 });
		const created = await lastEvent('station.created');
		expect(created.topics).toEqual(expect.arrayContaining([topic.station(station.id), 'region:44', 'region:4401', 'region:440106', 'region:440106001']));

		await expect(createStation(ctx, guangzhou, stationInput({ regionCode: '440305' }))).rejects.toMatchObject({ code: 'forbidden' });
		const staff = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		await expect(createStation(ctx, staff, stationInput())).rejects.toMatchObject({ code: 'forbidden' });
		await expect(createStation(ctx, guangzhou, stationInput({ leadOrganisationId: 999_999 }))).rejects.toMatchObject({ code: 'invalid', fields: { leadOrganisationId: expect.any(String) } });

		// An update names what it changes and leaves the rest alone.
		const renamed = await updateStation(ctx, guangzhou, { stationId: station.id, name: '五山零工驿站' });
		expect(renamed).toMatchObject({ name: '五山零工驿站', address: '五山路 1 号', radiusM: 900, services: ['job_registration'], capacity: 30 });
		await expect(updateStation(ctx, staff, { stationId: station.id, name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });

		// Staff of the station open and close it; check-ins need it open.
		expect(await setStationState(ctx, staff, { stationId: station.id, state: 'closed' })).toMatchObject({ state: 'closed' });
		await expect(checkIn(ctx, staff, { stationId: station.id, clientKey: 'closed-visit-1' })).rejects.toMatchObject({ code: 'conflict', reason: 'station_not_open' });
		await setStationState(ctx, guangzhou, { stationId: station.id, state: 'open' });
		const visit = await checkIn(ctx, staff, { stationId: station.id, clientKey: 'open-visit-1', keyGroup: 'migrant_worker' });
		expect(await lastEvent('visit.checked_in')).toMatchObject({
			payload: { stationId: station.id, visitId: visit.visitId, occupancy: 1, capacity: 30, keyGroup: 'migrant_worker' }
		});

		const inScope = await listStationsInScope(ctx, guangzhou, {});
		expect(inScope.map((s) => s.id)).toContain(station.id);
		expect((await listStationsInScope(ctx, staff)).map((s) => s.id)).toEqual([station.id]);
		const shenzhen = (await signIn(ctx.db, 'supervisor', { regionCode: '4403' })).actor;
		expect((await listStationsInScope(ctx, shenzhen)).map((s) => s.id)).not.toContain(station.id);
		await expect(setStationState(ctx, shenzhen, { stationId: station.id, state: 'offline' })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('keeps drafts private and tells the public about open, filled and expired positions', async () => {
		const org = await makeOrganisation(ctx.db, { kind: 'employer' });
		const employer = (await signIn(ctx.db, 'employer', { organisationId: org.id })).actor;
		const other = (await signIn(ctx.db, 'employer', { organisationId: (await makeOrganisation(ctx.db, { kind: 'employer' })).id })).actor;
		await expect(createPosition(ctx, employer, positionInput({ employerOrganisationId: org.id + 1 }))).rejects.toMatchObject({ code: 'forbidden' });
		const draft = await createPosition(ctx, employer, positionInput({ description: '夜班', address: '科韵路 8 号' }));
		expect((await lastEvent('position.created')).topics).not.toContain(topic.jobs);
		await expect(getPosition(ctx, other, draft.id)).rejects.toMatchObject({ code: 'not_found' });
		await expect(submitPosition(ctx, other, { positionId: draft.id })).rejects.toMatchObject({ code: 'forbidden' });

		const edited = await updatePosition(ctx, employer, { positionId: draft.id, title: '夜班仓管' });
		expect(edited).toMatchObject({ title: '夜班仓管', description: '夜班', address: '科韵路 8 号' });
		await expect(updatePosition(ctx, employer, { positionId: draft.id, payMin: 99_999 })).rejects.toMatchObject({ code: 'invalid', fields: { payMax: expect.any(String) } });

		const open = await openPosition(ctx, employer, { headcount: 2 });
		expect((await lastEvent('position.approved')).topics).toEqual(expect.arrayContaining([topic.jobs, topic.org(org.id), 'region:440106']));
		expect(open.publishedAt).toBeInstanceOf(Date);

		// Two hires reach the headcount: the position fills itself, announced to the public.
		const hires = [];
		for (let i = 0; i < 3; i++) {
			const seeker = await signIn(ctx.db, 'seeker');
			hires.push({ seeker, answer: await apply(ctx, seeker.actor, { positionId: open.id, clientKey: `hire-key-${i}-abc` }) });
		}
		const applied = await lastEvent('application.created');
		expect(applied.topics).toEqual(expect.arrayContaining([topic.seeker((hires[2].seeker.actor as { seekerId: number }).seekerId), topic.org(org.id)]));
		await expect(setApplicationStatus(ctx, hires[0].seeker.actor, { applicationId: hires[0].answer.applicationId, status: 'hired' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(setApplicationStatus(ctx, other, { applicationId: hires[0].answer.applicationId, status: 'contacted' })).rejects.toMatchObject({ code: 'forbidden' });
		await setApplicationStatus(ctx, employer, { applicationId: hires[0].answer.applicationId, status: 'interview' });
		await expect(setApplicationStatus(ctx, employer, { applicationId: hires[0].answer.applicationId, status: 'applied' })).rejects.toMatchObject({ code: 'conflict' });
		await setApplicationStatus(ctx, employer, { applicationId: hires[0].answer.applicationId, status: 'hired' });
		await setApplicationStatus(ctx, employer, { applicationId: hires[1].answer.applicationId, status: 'hired' });
		const [filled] = await ctx.db.select().from(positions).where(eq(positions.id, open.id));
		expect(filled).toMatchObject({ state: 'filled', filledCount: 2 });
		expect((await lastEvent('position.filled')).topics).toContain(topic.jobs);
		// The third applicant withdraws on their own; nobody else may withdraw for them.
		await expect(setApplicationStatus(ctx, employer, { applicationId: hires[2].answer.applicationId, status: 'withdrawn' })).rejects.toMatchObject({ code: 'forbidden' });
		expect(await setApplicationStatus(ctx, hires[2].seeker.actor, { applicationId: hires[2].answer.applicationId, status: 'withdrawn' })).toMatchObject({ status: 'withdrawn' });
		// A filled position takes no more applications.
		const late = await signIn(ctx.db, 'seeker');
		await expect(apply(ctx, late.actor, { positionId: open.id, clientKey: 'late-key-abc' })).rejects.toMatchObject({ code: 'conflict', reason: 'position_not_open' });

		const explicit = await openPosition(ctx, employer);
		expect(await fillPosition(ctx, employer, { positionId: explicit.id })).toMatchObject({ state: 'filled' });
	});

	it('expires positions past their expiry, one event each, and only once', async () => {
		const station = await makeStation(ctx.db);
		const staff = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		const soon = await openPosition(ctx, staff, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
		const later = await openPosition(ctx, staff, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
		const inTwoMinutes = new Date(Date.now() + 120_000);
		const before = (await ctx.db.select().from(events).where(eq(events.type, 'position.expired'))).length;
		expect(await expireDuePositions(ctx, inTwoMinutes)).toBeGreaterThanOrEqual(1);
		expect(await expireDuePositions(ctx, inTwoMinutes)).toBe(0);
		const rows = await ctx.db.select().from(positions).where(inArray(positions.id, [soon.id, later.id]));
		expect(Object.fromEntries(rows.map((r) => [r.id, r.state]))).toEqual({ [soon.id]: 'expired', [later.id]: 'open' });
		const expired = (await ctx.db.select().from(events).where(eq(events.type, 'position.expired'))).slice(before);
		expect(expired.filter((e) => (e.payload as { positionId: number }).positionId === soon.id)).toHaveLength(1);
		expect(expired.every((e) => e.topics.includes(topic.jobs) && e.topics.includes(topic.display(station.id)))).toBe(true);
	});

	it('pages open and own positions by keyset, without gaps or repeats', async () => {
		const station = await makeStation(ctx.db);
		const staff: Actor = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		const made = [];
		for (let i = 0; i < 7; i++) made.push((await openPosition(ctx, staff, { category: 'paging-test', title: `分页 ${i}` })).id);
		const seen: number[] = [];
		let after: { publishedAt: string; id: number } | undefined;
		for (let page = 0; page < 10; page++) {
			const result = await listOpenPositions(ctx, { category: 'paging-test', limit: 3, after });
			seen.push(...result.positions.map((p) => p.id));
			if (!result.next) break;
			after = result.next;
		}
		expect(seen).toEqual([...made].reverse());

		const own: number[] = [];
		let cursor: number | undefined;
		for (let page = 0; page < 10; page++) {
			const rows = await listOwnPositions(ctx, staff, { limit: 3, after: cursor });
			if (!rows.length) break;
			own.push(...rows.map((r) => r.id));
			cursor = rows.at(-1)!.id;
		}
		expect(own).toEqual([...made].reverse());
		await expect(listOpenPositions(ctx, { limit: 10_000 })).rejects.toMatchObject({ code: 'invalid', fields: { limit: expect.any(String) } });
	});
});
