/**
 * DESIGN.md "Security and privacy": a seeker's name and phone reach only the staff and employer involved,
 * never an event payload; consent is required to store them and withdrawing it erases them.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName, maskPhone } from '../../../src/lib/privacy';
import type { AppContext } from '../../../src/lib/server/context';
import { events, seekers } from '../../../src/lib/server/db/schema';
import { anonymous } from '../../../src/lib/server/actor';
import { apply, listApplicationsForPosition, listMyApplications, setApplicationStatus } from '../../../src/lib/server/services/applications';
import { findSeekerByPhone, registerSeeker, updateSeeker, withdrawConsent } from '../../../src/lib/server/services/seekers';
import { checkIn } from '../../../src/lib/server/services/visits';
import { createTestContext } from '../../helpers/app';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

describe(`privacy on ${driverName}`, () => {
	let db: TestDatabase;
	let ctx: AppContext;
	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedRegions(ctx.db);
	});
	afterAll(async () => {
		await db?.drop();
	});

	it('masks phones and names', () => {
		expect(maskPhone('13812345678')).toBe('138****5678');
		expect(maskPhone(null)).toBe('');
		expect(maskName('张三丰')).toBe('张**');
		expect(maskName('王五')).toBe('王*');
		expect(maskName(undefined)).toBe('');
	});

	it('requires consent and a mainland mobile number, and keeps phones unique', async () => {
		const station = await makeStation(ctx.db);
		const staff = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		const ok = { name: '李四', phone: '13700001111', consent: true };
		for (const [over, field] of [
			[{ consent: false }, 'consent'],
			[{ consent: undefined }, 'consent'],
			[{ phone: '12345' }, 'phone'],
			[{ phone: '12800001111' }, 'phone'],
			[{ phone: '1370000111x' }, 'phone'],
			[{ name: '' }, 'name'],
			[{ name: '名'.repeat(100_000) }, 'name']
		] as const) {
			await expect(registerSeeker(ctx, staff, { ...ok, ...over }), JSON.stringify(over).slice(0, 60)).rejects.toMatchObject({ code: 'invalid', fields: { [field]: expect.any(String) } });
		}
		const seeker = await registerSeeker(ctx, staff, ok);
		expect(seeker.consentAt).toBeInstanceOf(Date);
		expect(seeker.registeredAtStationId).toBe(station.id);
		// Self-registration (no station), and the same phone again from anywhere: a conflict naming `phone`.
		await expect(registerSeeker(ctx, anonymous, ok)).rejects.toMatchObject({ code: 'conflict', fields: { phone: expect.any(String) } });
		const self = await registerSeeker(ctx, anonymous, { ...ok, phone: '13700002222' });
		expect(self.registeredAtStationId).toBeNull();
		// Only staff look people up by phone.
		expect((await findSeekerByPhone(ctx, staff, { phone: ok.phone }))?.id).toBe(seeker.id);
		const employer = (await signIn(ctx.db, 'employer', { organisationId: (await makeOrganisation(ctx.db, { kind: 'employer' })).id })).actor;
		await expect(findSeekerByPhone(ctx, employer, { phone: ok.phone })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(findSeekerByPhone(ctx, anonymous, { phone: ok.phone })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('updating one field leaves the rest of the profile alone', async () => {
		const station = await makeStation(ctx.db);
		const staff = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		const seeker = await registerSeeker(ctx, staff, { name: '赵六', phone: '13600003333', consent: true, skills: ['forklift'], radiusM: 5000, keyGroups: ['migrant_worker'] });
		const updated = await updateSeeker(ctx, staff, { seekerId: seeker.id, name: '赵小六' });
		expect(updated).toMatchObject({ name: '赵小六', phone: '13600003333', skills: ['forklift'], radiusM: 5000, keyGroups: ['migrant_worker'] });
		const other = await signIn(ctx.db, 'seeker');
		await expect(updateSeeker(ctx, other.actor, { seekerId: seeker.id, name: '冒名' })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('withdrawing consent erases name and phone, by the seeker themself, once', async () => {
		const station = await makeStation(ctx.db);
		const staff = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		const person = await registerSeeker(ctx, staff, { name: '孙七', phone: '13500004444', consent: true, homeLat: 23.1, homeLng: 113.3 });
		const me = await signIn(ctx.db, 'seeker', { seekerId: person.id });
		const stranger = await signIn(ctx.db, 'seeker');
		await expect(withdrawConsent(ctx, stranger.actor, { seekerId: person.id })).rejects.toMatchObject({ code: 'forbidden' });
		const first = await withdrawConsent(ctx, me.actor, { seekerId: person.id });
		const again = await withdrawConsent(ctx, me.actor, { seekerId: person.id });
		expect(again).toEqual(first);
		const [row] = await ctx.db.select().from(seekers).where(eq(seekers.id, person.id));
		expect(row).toMatchObject({ name: null, phone: null, homeLat: null, homeLng: null });
		expect(row.consentWithdrawnAt).toBeInstanceOf(Date);
		const withdrawn = (await ctx.db.select().from(events).where(eq(events.type, 'seeker.consent_withdrawn'))).filter(
			(e) => (e.payload as { seekerId: number }).seekerId === person.id
		);
		expect(withdrawn).toHaveLength(1);
		// The phone is free again, and the person is no longer found by it.
		expect(await findSeekerByPhone(ctx, staff, { phone: '13500004444' })).toBeNull();
	});

	it('contacts reach only the employer and station involved; no event payload carries a name or phone', async () => {
		const station = await makeStation(ctx.db);
		const staff = (await signIn(ctx.db, 'staff', { stationId: station.id })).actor;
		const org = await makeOrganisation(ctx.db, { kind: 'employer' });
		const employer = (await signIn(ctx.db, 'employer', { organisationId: org.id })).actor;
		const position = await openPosition(ctx, employer);
		const stationPosition = await openPosition(ctx, staff);

		const names = ['周八', '吴九', '郑十'];
		const phones = ['13900005555', '15800006666', '18800007777'];
		const people = [];
		for (let i = 0; i < names.length; i++) people.push(await registerSeeker(ctx, staff, { name: names[i], phone: phones[i], consent: true, keyGroups: ['college_graduate'] }));
		const actors = await Promise.all(people.map((p) => signIn(ctx.db, 'seeker', { seekerId: p.id })));

		const mine = await apply(ctx, actors[0].actor, { positionId: position.id, clientKey: 'privacy-apply-1', channel: 'display_qr', source: `display:${station.id}` });
		await apply(ctx, actors[1].actor, { positionId: position.id, clientKey: 'privacy-apply-2' });
		await apply(ctx, staff, { positionId: stationPosition.id, clientKey: 'privacy-counter-1', seekerId: people[2].id, channel: 'counter' });
		await setApplicationStatus(ctx, employer, { applicationId: mine.applicationId, status: 'contacted' });
		await checkIn(ctx, staff, { stationId: station.id, clientKey: 'privacy-visit-1', seekerId: people[0].id, keyGroup: 'college_graduate' });
		await updateSeeker(ctx, actors[1].actor, { seekerId: people[1].id, phone: '15800006667' });
		await withdrawConsent(ctx, staff, { seekerId: people[2].id });

		// The employer and the station see contacts for their own positions; a seeker sees only their own list.
		const forEmployer = await listApplicationsForPosition(ctx, employer, position.id);
		expect(forEmployer.map((a) => a.phone).sort()).toEqual(['13900005555', '15800006667']);
		await expect(listApplicationsForPosition(ctx, staff, position.id)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listApplicationsForPosition(ctx, actors[0].actor, position.id)).rejects.toMatchObject({ code: 'forbidden' });
		const counter = await listApplicationsForPosition(ctx, staff, { positionId: stationPosition.id });
		expect(counter[0]).toMatchObject({ name: null, phone: null }); // consent withdrawn since
		const own = await listMyApplications(ctx, actors[0].actor);
		expect(own).toHaveLength(1);
		expect(JSON.stringify(own)).not.toMatch(/1[3-9]\d{9}|周八/);

		const log = await ctx.db.select().from(events);
		expect(log.length).toBeGreaterThan(10);
		for (const e of log) {
			const text = JSON.stringify(e.payload);
			expect(text, e.type).not.toMatch(/1[3-9]\d{9}/);
			for (const name of names) expect(text, e.type).not.toContain(name);
		}
	});
});
