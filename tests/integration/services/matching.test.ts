/**
 * Matching (services/matching.ts) and recommending at the counter (services/recommendations.ts): the
 * ranking and its reasons, who may ask, that only people whose consent stands are listed, and that a
 * recommendation is exactly one service record and one `counter` application, however often it is sent.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import type { AppContext } from '../../../src/lib/server/context';
import { applications, events, serviceRecords } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { commands } from '../../../src/lib/server/realtime/commands';
import { matchPositionsForSeeker, matchSeekersForPosition } from '../../../src/lib/server/services/matching';
import { closePosition, createPosition } from '../../../src/lib/server/services/positions';
import { recommendPosition } from '../../../src/lib/server/services/recommendations';
import { withdrawConsent } from '../../../src/lib/server/services/seekers';
import { createTestContext } from '../../helpers/app';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { makeOrganisation, makeSeeker, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

const HOME = { lat: 23.13, lng: 113.35 };
const M_LAT = 111_320;
const M_LNG = 111_320 * Math.cos((HOME.lat * Math.PI) / 180);
/** A point `north` and `east` metres from home. */
const at = (north: number, east = 0) => ({ lat: HOME.lat + north / M_LAT, lng: HOME.lng + east / M_LNG });

/** The next given weekday (0 = Sunday) at 09:00 Beijing time, at least two days ahead. */
function nextWeekday(day: number) {
	const t = new Date(Date.now() + 2 * 86_400_000);
	const beijing = new Date(t.getTime() + 8 * 3_600_000);
	const ahead = (day - beijing.getUTCDay() + 7) % 7;
	const d = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate() + ahead, 1, 0));
	return { startsAt: d.toISOString(), endsAt: new Date(d.getTime() + 8 * 3_600_000).toISOString() };
}

const key = () => `rec-${Math.random().toString(36).slice(2, 12)}`;

async function failure(p: Promise<unknown>) {
	const error = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ServiceError);
	return error as ServiceError;
}

describe(`matching on ${driverName}`, () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let stationId: number;
	let otherStationId: number;
	let staff: Actor;
	let otherStaff: Actor;
	let employer: Actor;
	let supervisor: Actor;
	const admin: Actor = { kind: 'admin', userId: 0 };
	let seekerId: number;
	let elsewhereId: number;
	let withdrawnId: number;
	const p: Record<string, number> = {};

	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedRegions(ctx.db);
		stationId = (await makeStation(ctx.db, { lat: HOME.lat, lng: HOME.lng })).id;
		otherStationId = (await makeStation(ctx.db, { regionCode: '440305', lat: 22.53, lng: 113.93 })).id;
		const org = await makeOrganisation(ctx.db, { kind: 'employer', name: '好运仓储' });
		staff = (await signIn(ctx.db, 'staff', { stationId })).actor;
		otherStaff = (await signIn(ctx.db, 'staff', { stationId: otherStationId })).actor;
		employer = (await signIn(ctx.db, 'employer', { organisationId: org.id })).actor;
		supervisor = (await signIn(ctx.db, 'supervisor', { regionCode: '44' })).actor;

		const profile = { homeLat: HOME.lat, homeLng: HOME.lng, radiusM: 3000, wantedCategories: ['warehouse'], skills: ['叉车'], oddJobDays: [6] };
		seekerId = (await makeSeeker(ctx.db, { ...profile, registeredAtStationId: stationId })).id;
		elsewhereId = (await makeSeeker(ctx.db, { ...profile, registeredAtStationId: otherStationId })).id;
		withdrawnId = (await makeSeeker(ctx.db, { ...profile, registeredAtStationId: stationId })).id;
		await withdrawConsent(ctx, admin, { seekerId: withdrawnId });

		const saturday = nextWeekday(6);
		const monday = nextWeekday(1);
		p.warehouseNear = (await openPosition(ctx, employer, { title: '仓库分拣员', category: 'warehouse', ...at(1100) })).id;
		p.restaurantNext = (await openPosition(ctx, employer, { title: '餐厅服务员', category: 'restaurant', ...at(200) })).id;
		p.warehouseFar = (await openPosition(ctx, employer, { title: '仓库管理', category: 'warehouse', ...at(10_000) })).id;
		p.saturdayJob = (await openPosition(ctx, employer, { title: '周末保洁', category: 'cleaning', kind: 'odd_job', payUnit: 'day', payMin: 150, payMax: 200, ...saturday, ...at(0, 500) })).id;
		p.mondayJob = (await openPosition(ctx, employer, { title: '周一搬运', category: 'moving', kind: 'odd_job', payUnit: 'day', payMin: 150, payMax: 200, ...monday, ...at(0, -500) })).id;
		p.forkliftTitle = (await openPosition(ctx, employer, { title: '叉车司机', category: 'logistics', ...at(2000) })).id;
		p.closed = (await openPosition(ctx, employer, { title: '仓库夜班', category: 'warehouse', ...at(300) })).id;
		await closePosition(ctx, employer, { positionId: p.closed });
		p.draft = (await createPosition(ctx, employer, { title: '仓库草稿', category: 'warehouse', kind: 'full_time', payMin: 1, payMax: 2, payUnit: 'month', headcount: 1, regionCode: '440106', ...at(100) })).id;
	});
	afterAll(async () => {
		await db?.drop();
	});

	it('ranks open positions inside the circle first, by fit, each with its reasons', async () => {
		const { centre, matches } = await matchPositionsForSeeker(ctx, staff, { seekerId, limit: 10 });
		expect(centre).toMatchObject({ from: 'home', radiusM: 3000 });
		expect(matches.map((m) => m.positionId)).toEqual([p.warehouseNear, p.saturdayJob, p.forkliftTitle, p.restaurantNext, p.mondayJob, p.warehouseFar]);
		const [near, saturday, forklift, restaurant, monday, far] = matches;
		expect(near.reasons).toMatchObject({ inCircle: true, matchedWord: 'warehouse', matchedOn: 'category', freeDay: null, busyDay: null, fresh: true });
		expect(Math.abs(near.reasons.distanceM! - 1100)).toBeLessThan(5);
		expect(near.employerName).toBe('好运仓储');
		expect(forklift.reasons).toMatchObject({ inCircle: true, matchedWord: '叉车', matchedOn: 'title' });
		expect(saturday.reasons).toMatchObject({ inCircle: true, freeDay: 6, busyDay: null, matchedWord: null });
		expect(restaurant.reasons).toMatchObject({ inCircle: true, matchedWord: null });
		expect(monday.reasons).toMatchObject({ freeDay: null, busyDay: 1 });
		expect(far.reasons.inCircle).toBe(false);
		expect(far.reasons.matchedWord).toBe('warehouse');
		expect(matches.every((m) => m.application === null)).toBe(true);
	});

	it('honours the limit, and without a home uses the station they registered at', async () => {
		const { matches } = await matchPositionsForSeeker(ctx, admin, { seekerId, limit: 2 });
		expect(matches.map((m) => m.positionId)).toEqual([p.warehouseNear, p.saturdayJob]);
		const homeless = await makeSeeker(ctx.db, { registeredAtStationId: stationId, wantedCategories: ['warehouse'], radiusM: 3000 });
		const answer = await matchPositionsForSeeker(ctx, staff, { seekerId: homeless.id });
		expect(answer.centre).toMatchObject({ from: 'registered_station', lat: HOME.lat, lng: HOME.lng });
		expect(answer.matches[0].positionId).toBe(p.warehouseNear);
	});

	it('lets only the person, staff of a station they are at, and admins match for them', async () => {
		const self = await signIn(ctx.db, 'seeker', { seekerId });
		expect((await matchPositionsForSeeker(ctx, self.actor, { seekerId })).matches.length).toBeGreaterThan(0);
		const someoneElse = await signIn(ctx.db, 'seeker');
		expect((await failure(matchPositionsForSeeker(ctx, someoneElse.actor, { seekerId }))).code).toBe('forbidden');
		expect((await failure(matchPositionsForSeeker(ctx, employer, { seekerId }))).code).toBe('forbidden');
		expect((await failure(matchPositionsForSeeker(ctx, supervisor, { seekerId }))).code).toBe('forbidden');
		// Another station's staff cannot even learn the person exists.
		expect((await failure(matchPositionsForSeeker(ctx, otherStaff, { seekerId }))).code).toBe('not_found');
		expect((await failure(matchPositionsForSeeker(ctx, staff, { seekerId, stationId: otherStationId }))).code).toBe('forbidden');
		expect((await failure(matchPositionsForSeeker(ctx, staff, { seekerId: withdrawnId }))).reason).toBe('consent_withdrawn');
		expect((await failure(matchPositionsForSeeker(ctx, staff, { seekerId: 'x' }))).fields).toHaveProperty('seekerId');
	});

	it('lists seekers who fit a position to staff (their own people) and admins only, never without consent', async () => {
		const forStaff = await matchSeekersForPosition(ctx, staff, { positionId: p.warehouseNear });
		const staffIds = forStaff.map((s) => s.seekerId);
		expect(staffIds).toContain(seekerId);
		expect(staffIds).not.toContain(elsewhereId);
		expect(staffIds).not.toContain(withdrawnId);
		expect(forStaff.find((s) => s.seekerId === seekerId)!.reasons).toMatchObject({ inCircle: true, matchedWord: 'warehouse' });
		const forAdmin = (await matchSeekersForPosition(ctx, admin, { positionId: p.warehouseNear })).map((s) => s.seekerId);
		expect(forAdmin).toEqual(expect.arrayContaining([seekerId, elsewhereId]));
		expect(forAdmin).not.toContain(withdrawnId);
		for (const actor of [employer, supervisor, (await signIn(ctx.db, 'seeker', { seekerId })).actor]) {
			expect((await failure(matchSeekersForPosition(ctx, actor, { positionId: p.warehouseNear }))).code).toBe('forbidden');
		}
		// A station's page asks for its own people: an admin gets only them, other staff nothing at all.
		const atStation = (await matchSeekersForPosition(ctx, admin, { positionId: p.warehouseNear, stationId })).map((s) => s.seekerId);
		expect(atStation).toContain(seekerId);
		expect(atStation).not.toContain(elsewhereId);
		expect((await failure(matchSeekersForPosition(ctx, otherStaff, { positionId: p.warehouseNear, stationId }))).code).toBe('forbidden');
		// A draft is nobody's business but its owners'.
		expect((await failure(matchSeekersForPosition(ctx, staff, { positionId: p.draft }))).code).toBe('not_found');
	});

	describe('recommending at the counter', () => {
		const totals = async () => {
			const n = async (q: Promise<{ n: number }[]>) => (await q)[0].n;
			return {
				records: await n(ctx.db.select({ n: count() }).from(serviceRecords).where(eq(serviceRecords.kind, 'job_recommendation'))),
				applications: await n(ctx.db.select({ n: count() }).from(applications)),
				events: await n(ctx.db.select({ n: count() }).from(events))
			};
		};

		it('writes one job_recommendation service record and one counter application, once per key', async () => {
			const before = await totals();
			const input = { stationId, seekerId, positionId: p.restaurantNext, clientKey: key() };
			const first = await recommendPosition(ctx, staff, input);
			expect(first.alreadyApplied).toBe(false);
			expect(first.serviceRecord).toMatchObject({ kind: 'job_recommendation', stationId, seekerId });
			expect(first.application).toMatchObject({ positionId: p.restaurantNext, channel: 'counter', status: 'applied' });
			const [row] = await ctx.db.select().from(applications).where(eq(applications.id, first.application.applicationId));
			expect(row.source).toBe(`station:${stationId}`);
			const after = await totals();
			expect(after).toEqual({ records: before.records + 1, applications: before.applications + 1, events: before.events + 2 });

			// The same tap again, and through the socket command: the first answer, nothing new.
			expect(await recommendPosition(ctx, staff, input)).toEqual(first);
			expect(await commands['recommend:position'](ctx, staff, input)).toEqual(first);
			// Another tap for the same position: the application that exists, nothing new.
			const again = await recommendPosition(ctx, staff, { ...input, clientKey: key() });
			expect(again).toMatchObject({ alreadyApplied: true, serviceRecord: null, application: { applicationId: first.application.applicationId } });
			expect(await totals()).toEqual(after);

			const { matches } = await matchPositionsForSeeker(ctx, staff, { seekerId });
			expect(matches.find((m) => m.positionId === p.restaurantNext)!.application).toMatchObject({ channel: 'counter', status: 'applied' });
		});

		it('gives a double tap sent at once one record and one application', async () => {
			const before = await totals();
			const input = { stationId, seekerId, positionId: p.saturdayJob, clientKey: key() };
			const [a, b] = await Promise.all([recommendPosition(ctx, staff, input), recommendPosition(ctx, staff, input)]);
			expect(a).toEqual(b);
			expect(await totals()).toEqual({ records: before.records + 1, applications: before.applications + 1, events: before.events + 2 });
			const rows = await ctx.db.select().from(applications).where(and(eq(applications.seekerId, seekerId), eq(applications.positionId, p.saturdayJob)));
			expect(rows).toHaveLength(1);
		});

		it('refuses out of scope, closed positions, withdrawn people and reused keys, writing nothing', async () => {
			const before = await totals();
			const input = { stationId, seekerId, positionId: p.warehouseNear, clientKey: key() };
			expect((await failure(recommendPosition(ctx, otherStaff, input))).code).toBe('forbidden');
			expect((await failure(recommendPosition(ctx, employer, input))).code).toBe('forbidden');
			expect((await failure(recommendPosition(ctx, supervisor, input))).code).toBe('forbidden');
			expect((await failure(recommendPosition(ctx, otherStaff, { ...input, stationId: otherStationId }))).code).toBe('not_found');
			expect((await failure(recommendPosition(ctx, staff, { ...input, positionId: p.closed }))).reason).toBe('position_not_open');
			expect((await failure(recommendPosition(ctx, staff, { ...input, seekerId: withdrawnId }))).reason).toBe('consent_withdrawn');
			const used = { stationId, seekerId, positionId: p.mondayJob, clientKey: key() };
			await recommendPosition(ctx, staff, used);
			const middle = await totals();
			expect((await failure(recommendPosition(ctx, staff, { ...used, positionId: p.forkliftTitle }))).reason).toBe('client_key_reused');
			expect(await totals()).toEqual(middle);
			expect(middle.records).toBe(before.records + 1);
		});
	});
});
