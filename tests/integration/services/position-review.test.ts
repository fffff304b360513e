/**
 * Review of positions by the stations around them: staff review what employers post in their station's
 * county (not elsewhere), a station's page lists what it collected and what waits in its area, and a
 * posting without a point lands at the station or in the middle of the region chosen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import type { AppContext } from '../../../src/lib/server/context';
import {
	closePosition,
	createPosition,
	getPosition,
	listStationPositions,
	reviewPosition,
	reviewArea,
	submitPosition
} from '../../../src/lib/server/services/positions';
import { createTestContext } from '../../helpers/app';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { positionInput } from '../../helpers/positions';

describe(`position review around a station on ${driverName}`, () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let staff: Actor;
	let stationId: number;
	let employer: Actor;
	let orgId: number;
	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedRegions(ctx.db);
		// In the 华工 community of 天河区 (440106001001): its review area is 440106.
		const station = await makeStation(ctx.db);
		stationId = station.id;
		staff = (await signIn(ctx.db, 'staff', { stationId })).actor;
		orgId = (await makeOrganisation(ctx.db, { kind: 'employer', regionCode: '4401' })).id;
		employer = (await signIn(ctx.db, 'employer', { organisationId: orgId })).actor;
	});
	afterAll(async () => {
		await db?.drop();
	});

	const submitted = async (owner: Actor, over: Record<string, unknown> = {}) => {
		const draft = await createPosition(ctx, owner, positionInput(over));
		return submitPosition(ctx, owner, { positionId: draft.id });
	};

	it('takes the review area from the county code', () => {
		expect(reviewArea('440106001001')).toBe('440106');
		expect(reviewArea('4401')).toBe('4401');
	});

	it('puts a posting without a point at the station, or in the middle of the region chosen', async () => {
		const noPlace = { regionCode: undefined, lat: undefined, lng: undefined };
		// An employer with neither: its organisation's region (Guangzhou) and that region's middle.
		expect(await createPosition(ctx, employer, positionInput(noPlace))).toMatchObject({ regionCode: '4401', lat: 23.13, lng: 113.26 });
		expect(await createPosition(ctx, employer, positionInput({ ...noPlace, regionCode: '440106' }))).toMatchObject({ regionCode: '440106', lat: 23.12, lng: 113.36 });
		// A point given wins over the region's middle.
		expect(await createPosition(ctx, employer, positionInput({ ...noPlace, regionCode: '440106', lat: 23.2, lng: 113.4 }))).toMatchObject({ lat: 23.2, lng: 113.4 });
		// Staff: the station's own place, unless another region is chosen.
		expect(await createPosition(ctx, staff, positionInput(noPlace))).toMatchObject({ regionCode: '440106001001', lat: 23.15, lng: 113.34, stationId });
		expect(await createPosition(ctx, staff, positionInput({ ...noPlace, regionCode: '440305' }))).toMatchObject({ regionCode: '440305', lat: 22.53, lng: 113.93 });
		await expect(createPosition(ctx, employer, positionInput({ ...noPlace, regionCode: '449999' }))).rejects.toMatchObject({ fields: { regionCode: 'unknown_region' } });
	});

	it("lets staff review employers' postings in their county and nowhere else", async () => {
		const inArea = await submitted(employer, { regionCode: '440106', title: '区内 分拣' });
		const elsewhere = await submitted(employer, { regionCode: '440305', lat: 22.53, lng: 113.93, title: '南山 分拣' });
		const cityWide = await submitted(employer, { regionCode: '4401', title: '全市 分拣' });

		expect((await getPosition(ctx, staff, inArea.id)).state).toBe('pending_review');
		await expect(getPosition(ctx, staff, elsewhere.id)).rejects.toMatchObject({ code: 'not_found' });
		await expect(reviewPosition(ctx, staff, { positionId: elsewhere.id, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });
		// A city-wide posting is above any one county: the city's supervisors review it.
		await expect(reviewPosition(ctx, staff, { positionId: cityWide.id, decision: 'approve' })).rejects.toMatchObject({ code: 'forbidden' });

		const { awaiting } = await listStationPositions(ctx, staff, { stationId });
		const ids = awaiting.map((p) => p.id);
		expect(ids).toContain(inArea.id);
		expect(ids).not.toContain(elsewhere.id);
		expect(ids).not.toContain(cityWide.id);
		expect(awaiting.find((p) => p.id === inArea.id)).toMatchObject({ employerName: expect.stringMatching(/^机构/), regionZh: '天河区' });

		const rejected = await reviewPosition(ctx, staff, { positionId: inArea.id, decision: 'reject', reason: '请写明工作时间' });
		expect(rejected).toMatchObject({ state: 'draft', reviewNote: '请写明工作时间' });
		await submitPosition(ctx, employer, { positionId: inArea.id });
		expect(await reviewPosition(ctx, staff, { positionId: inArea.id, decision: 'approve' })).toMatchObject({ state: 'open', reviewNote: null });
		expect((await listStationPositions(ctx, staff, { stationId })).awaiting.map((p) => p.id)).not.toContain(inArea.id);

		// Reviewers may also take a posting down.
		expect(await closePosition(ctx, staff, { positionId: inArea.id })).toMatchObject({ state: 'closed' });
	});

	it("lists what the station collected, for whom, and keeps other stations' staff and regions out", async () => {
		const walkIn = await createPosition(ctx, staff, positionInput({ employerOrganisationId: orgId, title: '代发 搬运' }));
		const { collected } = await listStationPositions(ctx, staff, { stationId });
		expect(collected[0]).toMatchObject({ id: walkIn.id, employerOrganisationId: orgId, stationId });
		expect(collected.every((p) => p.stationId === stationId)).toBe(true);

		const other = await makeStation(ctx.db, { regionCode: '440305', lat: 22.53, lng: 113.93 });
		const otherStaff = (await signIn(ctx.db, 'staff', { stationId: other.id })).actor;
		await expect(listStationPositions(ctx, otherStaff, { stationId })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listStationPositions(ctx, employer, { stationId })).rejects.toMatchObject({ code: 'forbidden' });
		const shenzhen = (await signIn(ctx.db, 'supervisor', { regionCode: '4403' })).actor;
		await expect(listStationPositions(ctx, shenzhen, { stationId })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listStationPositions(ctx, staff, { stationId: 'x' })).rejects.toMatchObject({ code: 'invalid', fields: { stationId: expect.any(String) } });

		// A supervisor of the street sees only what waits inside the street, not the whole county.
		const street = (await signIn(ctx.db, 'supervisor', { regionCode: '440106001' })).actor;
		const countyWide = await submitted(employer, { regionCode: '440106', title: '区级 岗位' });
		const inStreet = await submitted(employer, { regionCode: '440106001', title: '街道 岗位' });
		const seen = (await listStationPositions(ctx, street, { stationId })).awaiting.map((p) => p.id);
		expect(seen).toContain(inStreet.id);
		expect(seen).not.toContain(countyWide.id);
	});
});
