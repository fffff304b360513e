/**
 * The employer portal's reads and writes (issue 4 item 4): the pipeline board offers exactly the moves the
 * applications service accepts; a position's pipeline is its employer's alone, with contact details and
 * sources; the organisation profile is edited by its own employer only, with a checked phone; the home page
 * counts applicants per position and lists the fairs where the organisation has a booth.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationStatus, managerMoves } from '../../../src/lib/applications/pipeline';
import type { AppContext } from '../../../src/lib/server/context';
import { fairBooths, jobFairs, organisations } from '../../../src/lib/server/db/schema';
import { employerOverview } from '../../../src/lib/server/queries/employer';
import { positionPipeline } from '../../../src/lib/server/queries/pipeline';
import { apply, setApplicationStatus } from '../../../src/lib/server/services/applications';
import { getOrganisationProfile, updateOrganisationProfile } from '../../../src/lib/server/services/organisations';
import { createTestContext } from '../../helpers/app';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

describe(`employer portal on ${driverName}`, () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let keys = 0;
	const key = () => `portal-${++keys}-key`;
	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedRegions(ctx.db);
	});
	afterAll(async () => {
		await db?.drop();
	});

	async function employerWithPosition() {
		const org = await makeOrganisation(ctx.db, { kind: 'employer', contactPhone: '020-87654321' });
		const employer = await signIn(ctx.db, 'employer', { organisationId: org.id });
		const position = await openPosition(ctx, employer.actor, { headcount: 50 });
		return { org, employer, position };
	}

	it('the board offers exactly the moves the service accepts', async () => {
		const { employer, position } = await employerWithPosition();
		// The shortest way to each status the board can show, through moves the service allows.
		const path: Record<ApplicationStatus, ApplicationStatus[]> = {
			applied: [],
			contacted: ['contacted'],
			interview: ['interview'],
			hired: ['hired'],
			rejected: ['rejected'],
			withdrawn: []
		};
		for (const from of ['applied', 'contacted', 'interview', 'hired', 'rejected'] as const) {
			for (const to of ['applied', 'contacted', 'interview', 'hired', 'rejected', 'withdrawn'] as const) {
				if (to === from) continue;
				const seeker = await signIn(ctx.db, 'seeker');
				const { applicationId } = await apply(ctx, seeker.actor, { positionId: position.id, clientKey: key() });
				for (const step of path[from]) await setApplicationStatus(ctx, employer.actor, { applicationId, status: step });
				const accepted = await setApplicationStatus(ctx, employer.actor, { applicationId, status: to }).then(
					() => true,
					() => false
				);
				expect(accepted, `${from} → ${to}`).toBe(managerMoves(from).includes(to));
			}
		}
		expect(managerMoves('withdrawn')).toEqual([]);
	});

	it("a position's pipeline: its employer sees names, phones and sources; nobody else gets in", async () => {
		const { org, employer, position } = await employerWithPosition();
		const seeker = await signIn(ctx.db, 'seeker');
		const applied = await apply(ctx, seeker.actor, { positionId: position.id, clientKey: key(), source: 'display:7', channel: 'display_qr' });
		const pipeline = await positionPipeline(ctx, employer.actor, position.id);
		expect(pipeline.position).toMatchObject({ id: position.id, title: position.title, state: 'open', organisationId: org.id });
		expect(pipeline.applicants).toEqual([
			{ applicationId: applied.applicationId, status: 'applied', channel: 'display_qr', source: 'display:7', createdAt: expect.any(String), name: '测试求职者', phone: expect.stringMatching(/^1\d{10}$/) }
		]);
		expect(pipeline.truncated).toBe(false);
		expect(pipeline.cursor).toBeGreaterThan(0);

		const otherEmployer = await signIn(ctx.db, 'employer', { organisationId: (await makeOrganisation(ctx.db, { kind: 'employer' })).id });
		await expect(positionPipeline(ctx, otherEmployer.actor, position.id)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(positionPipeline(ctx, seeker.actor, position.id)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(positionPipeline(ctx, employer.actor, 'abc')).rejects.toMatchObject({ code: 'invalid' });
		await expect(positionPipeline(ctx, employer.actor, 999_999)).rejects.toMatchObject({ code: 'not_found' });
	});

	it('the organisation profile: its own employer edits name and contact phone; others are refused', async () => {
		const { org, employer } = await employerWithPosition();
		expect(await getOrganisationProfile(ctx, employer.actor)).toMatchObject({ id: org.id, name: org.name, contactPhone: '020-87654321', regionCode: '4401', regionZh: '广州市' });

		await expect(updateOrganisationProfile(ctx, employer.actor, { name: '', contactPhone: '' })).rejects.toMatchObject({ code: 'invalid', fields: { name: 'required' } });
		await expect(updateOrganisationProfile(ctx, employer.actor, { name: '顺达', contactPhone: '12345' })).rejects.toMatchObject({
			code: 'invalid',
			fields: { contactPhone: 'contact_phone_format' }
		});
		await expect(updateOrganisationProfile(ctx, employer.actor, { name: '名'.repeat(81) })).rejects.toMatchObject({ code: 'invalid', fields: { name: 'too_long' } });

		expect(await updateOrganisationProfile(ctx, employer.actor, { name: ' 顺达物流（新） ', contactPhone: '13800138000' })).toEqual({ id: org.id, name: '顺达物流（新）', contactPhone: '13800138000' });
		expect(await updateOrganisationProfile(ctx, employer.actor, { name: '顺达物流', contactPhone: '020-1234567-88' })).toMatchObject({ contactPhone: '020-1234567-88' });
		// An empty phone clears it; leaving it out keeps it.
		expect(await updateOrganisationProfile(ctx, employer.actor, { name: '顺达物流', contactPhone: '' })).toMatchObject({ contactPhone: null });
		await updateOrganisationProfile(ctx, employer.actor, { name: '顺达物流', contactPhone: '0755-88889999' });
		expect(await updateOrganisationProfile(ctx, employer.actor, { name: '顺达' })).toMatchObject({ name: '顺达', contactPhone: '0755-88889999' });

		const other = await makeOrganisation(ctx.db, { kind: 'employer', name: '别家' });
		await expect(updateOrganisationProfile(ctx, employer.actor, { organisationId: other.id, name: '抢过来' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(getOrganisationProfile(ctx, employer.actor, other.id)).rejects.toMatchObject({ code: 'forbidden' });
		for (const role of ['seeker', 'supervisor'] as const) {
			const actor = (await signIn(ctx.db, role, { regionCode: '44' })).actor;
			await expect(updateOrganisationProfile(ctx, actor, { organisationId: org.id, name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		}
		const staff = (await signIn(ctx.db, 'staff', { stationId: (await makeStation(ctx.db)).id })).actor;
		await expect(updateOrganisationProfile(ctx, staff, { organisationId: org.id, name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		const admin = (await signIn(ctx.db, 'admin')).actor;
		await expect(updateOrganisationProfile(ctx, admin, { name: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		await updateOrganisationProfile(ctx, admin, { organisationId: other.id, name: '别家公司' });
		const [row] = await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, other.id));
		expect(row.name).toBe('别家公司');
	});

	it('the home page counts applicants per position and lists the fairs with our booth', async () => {
		const { org, employer, position } = await employerWithPosition();
		for (let i = 0; i < 2; i++) await apply(ctx, (await signIn(ctx.db, 'seeker')).actor, { positionId: position.id, clientKey: key() });
		const station = await makeStation(ctx.db);
		const now = Date.now();
		const [ours, theirs] = await ctx.db
			.insert(jobFairs)
			.values([
				{ stationId: station.id, title: '春风行动招聘会', startsAt: new Date(now), endsAt: new Date(now + 3_600_000), state: 'open' },
				{ stationId: station.id, title: '别人的招聘会', startsAt: new Date(now), endsAt: new Date(now + 3_600_000) }
			])
			.returning();
		await ctx.db.insert(fairBooths).values([
			{ fairId: ours.id, organisationId: org.id, label: 'B2' },
			{ fairId: theirs.id, organisationId: (await makeOrganisation(ctx.db, { kind: 'employer' })).id, label: 'A1' }
		]);
		const home = await employerOverview(ctx, employer.actor);
		expect(home.recent.find((p) => p.id === position.id)?.applicants).toBe(2);
		expect(home.fairs).toEqual([{ id: ours.id, title: '春风行动招聘会', state: 'open', startsAt: expect.any(String), endsAt: expect.any(String), booth: 'B2', station: station.name }]);
	});
});
