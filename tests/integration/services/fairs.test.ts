/**
 * Job fairs through the real services and a real socket server: who may run or watch a fair, the door's
 * sign-in (idempotent, walk-ins registered with consent), booth applications checked against the fair and
 * its booths before anything is written, offers, and the snapshot's counters agreeing with the tables.
 */
import { count, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import type { Actor } from '../../../src/lib/server/actor';
import { applications, events, fairBoothPositions, fairSignIns, seekers } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { apply } from '../../../src/lib/server/services/applications';
import { takeSnapshot } from '../../../src/lib/server/realtime/snapshots';
import { applyAtBooth, createFair, getFair, recordOffer, setFairState, signInAtDoor } from '../../../src/lib/server/services/fairs';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, makeSeeker, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

const HOUR = 3_600_000;
const key = () => `k${Math.random().toString(36).slice(2, 12)}`;
const phoneOf = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

async function failure(p: Promise<unknown>) {
	const error = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ServiceError);
	return error as ServiceError;
}

describe(`job fairs on ${driverName}`, () => {
	let app: TestApp;
	let stationId: number;
	let staff: SignedIn;
	let otherStaff: SignedIn;
	let employer: SignedIn; // has a booth
	let outsider: SignedIn; // employer without a booth
	let supervisor: SignedIn;
	let fairId: number;
	let boothPosition: number;
	let otherPosition: number; // the booth employer's, but not brought to the fair
	const clients: RealtimeConnection[] = [];

	beforeAll(async () => {
		app = await startTestApp();
		await seedRegions(app.ctx.db);
		stationId = (await makeStation(app.ctx.db)).id;
		const otherStation = await makeStation(app.ctx.db);
		staff = await signIn(app.ctx.db, 'staff', { stationId });
		otherStaff = await signIn(app.ctx.db, 'staff', { stationId: otherStation.id });
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer', name: '顺达物流' });
		const org2 = await makeOrganisation(app.ctx.db, { kind: 'employer', name: '别家公司' });
		employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		outsider = await signIn(app.ctx.db, 'employer', { organisationId: org2.id });
		supervisor = await signIn(app.ctx.db, 'supervisor', { regionCode: '4401' });
		boothPosition = (await openPosition(app.ctx, employer.actor)).id;
		otherPosition = (await openPosition(app.ctx, employer.actor, { title: '叉车司机' })).id;
		const now = Date.now();
		const fair = await createFair(app.ctx, staff.actor, {
			stationId,
			title: '家门口招聘会',
			startsAt: new Date(now - HOUR).toISOString(),
			endsAt: new Date(now + 3 * HOUR).toISOString(),
			booths: [{ organisationId: org.id, label: 'A1', positionIds: [boothPosition] }]
		});
		fairId = fair.id;
	});
	afterAll(async () => {
		for (const c of clients) c.close();
		await app?.close();
	});

	it('refuses staff of another station, employers without a booth and supervisors as runners', async () => {
		const start = { fairId, state: 'open' };
		expect((await failure(setFairState(app.ctx, otherStaff.actor, start))).code).toBe('forbidden');
		expect((await failure(setFairState(app.ctx, employer.actor, start))).code).toBe('forbidden');
		expect((await failure(setFairState(app.ctx, supervisor.actor, start))).code).toBe('forbidden');
		expect((await failure(createFair(app.ctx, otherStaff.actor, { stationId, title: 'x', startsAt: '2030-01-01T09:00:00Z', endsAt: '2030-01-01T12:00:00Z' }))).code).toBe('forbidden');
		expect((await failure(getFair(app.ctx, outsider.actor, fairId))).code).toBe('forbidden');
		expect((await failure(getFair(app.ctx, otherStaff.actor, fairId))).code).toBe('forbidden');
		expect((await failure(signInAtDoor(app.ctx, otherStaff.actor, { fairId, phone: phoneOf() }))).code).toBe('forbidden');
		// The socket topic says the same.
		const c = connect(app.url, { cookie: outsider.cookie });
		clients.push(c);
		const sub = c.subscribe(topic.fair(fairId), { snapshot: () => {}, event: () => {} });
		await until(() => sub.status !== 'syncing', 5_000, 'an answer');
		expect(sub.status).toBe('denied');
	});

	it('creating a fair names a bad field and writes nothing', async () => {
		const before = (await app.ctx.db.select({ n: count() }).from(events))[0].n;
		const e1 = await failure(createFair(app.ctx, staff.actor, { stationId, title: 'x', startsAt: '2030-01-01T12:00:00Z', endsAt: '2030-01-01T09:00:00Z' }));
		expect(e1.fields).toHaveProperty('endsAt');
		const e2 = await failure(
			createFair(app.ctx, staff.actor, { stationId, title: 'x', startsAt: '2030-01-01T09:00:00Z', endsAt: '2030-01-01T12:00:00Z', booths: [{ organisationId: outsider.actor.kind === 'employer' ? outsider.actor.organisationId : 0, label: 'B', positionIds: [boothPosition] }] })
		);
		expect(e2.fields).toHaveProperty(['booths.0.positionIds']);
		expect((await app.ctx.db.select({ n: count() }).from(events))[0].n).toBe(before);
	});

	it('the door refuses a closed fair; opening it reaches a subscribed supervisor socket', async () => {
		expect((await failure(signInAtDoor(app.ctx, staff.actor, { fairId, phone: phoneOf() }))).reason).toBe('fair_not_open');
		const c = connect(app.url, { cookie: supervisor.cookie });
		clients.push(c);
		const got: LiveEvent[] = [];
		const sub = c.subscribe(topic.fair(fairId), { snapshot: () => {}, event: (e) => got.push(e) });
		await until(() => sub.status === 'live', 10_000, 'supervisor on the fair topic');
		await setFairState(app.ctx, staff.actor, { fairId, state: 'open' });
		await until(() => got.some((e) => e.type === 'fair.state_changed'), 5_000, 'fair.state_changed');
		const ev = got.find((e) => e.type === 'fair.state_changed')!;
		expect(ev.payload).toEqual({ fairId, stationId, title: '家门口招聘会', state: 'open' });
		expect(ev.topics).toEqual(expect.arrayContaining([topic.fair(fairId), topic.station(stationId), topic.region('4401')]));

		// Door, booth and offer all reach the supervisor too, without names or phones.
		const seeker = await makeSeeker(app.ctx.db, { phone: phoneOf() });
		await signInAtDoor(app.ctx, staff.actor, { fairId, phone: seeker.phone });
		const applied = await applyAtBooth(app.ctx, employer.actor, { fairId, positionId: boothPosition, phone: seeker.phone, clientKey: key() });
		await recordOffer(app.ctx, employer.actor, { fairId, applicationId: applied.applicationId });
		await until(() => ['fair.signed_in', 'application.created', 'application.status_changed'].every((t) => got.some((e) => e.type === t)), 5_000, 'fair events');
		const text = JSON.stringify(got);
		expect(text).not.toContain(seeker.phone!);
		expect(text).not.toContain(seeker.name!);
	});

	it('signs in by phone idempotently, and registers a walk-in with consent', async () => {
		const seeker = await makeSeeker(app.ctx.db, { phone: phoneOf() });
		const first = await signInAtDoor(app.ctx, staff.actor, { fairId, phone: seeker.phone });
		const again = await signInAtDoor(app.ctx, staff.actor, { fairId, phone: seeker.phone });
		expect(first).toMatchObject({ seekerId: seeker.id, already: false, registered: false });
		expect(again).toEqual({ ...first, already: true });
		const rows = await app.ctx.db.select().from(fairSignIns).where(eq(fairSignIns.seekerId, seeker.id));
		expect(rows).toHaveLength(1);

		const walkInPhone = phoneOf();
		const unknown = await failure(signInAtDoor(app.ctx, staff.actor, { fairId, phone: walkInPhone }));
		expect(unknown.fields).toEqual({ phone: 'not_registered' });
		const noConsent = await failure(signInAtDoor(app.ctx, staff.actor, { fairId, phone: walkInPhone, walkIn: { name: '李四', consent: false } }));
		expect(noConsent.fields).toHaveProperty(['walkIn.consent']);
		expect(await app.ctx.db.select().from(seekers).where(eq(seekers.phone, walkInPhone))).toHaveLength(0);
		const walkIn = await signInAtDoor(app.ctx, staff.actor, { fairId, phone: walkInPhone, walkIn: { name: '李四', consent: true } });
		expect(walkIn).toMatchObject({ already: false, registered: true });
		const [person] = await app.ctx.db.select().from(seekers).where(eq(seekers.phone, walkInPhone));
		expect(person).toMatchObject({ id: walkIn.seekerId, name: '李四', registeredAtStationId: stationId });
		expect(person.consentAt).not.toBeNull();
	});

	it('a booth application with a wrong fair or position names the field and writes nothing', async () => {
		const seeker = await makeSeeker(app.ctx.db, { phone: phoneOf() });
		await signInAtDoor(app.ctx, staff.actor, { fairId, phone: seeker.phone });
		const notSignedIn = await makeSeeker(app.ctx.db, { phone: phoneOf() });
		const totals = async () => ({
			events: (await app.ctx.db.select({ n: count() }).from(events))[0].n,
			applications: (await app.ctx.db.select({ n: count() }).from(applications))[0].n
		});
		const before = await totals();
		const base = { fairId, positionId: boothPosition, seekerId: seeker.id, clientKey: key() };
		expect((await failure(applyAtBooth(app.ctx, staff.actor, { ...base, fairId: 999_999 }))).fields).toEqual({ source: 'fair_not_found' });
		expect((await failure(applyAtBooth(app.ctx, staff.actor, { ...base, positionId: otherPosition }))).fields).toEqual({ positionId: 'not_at_fair' });
		expect((await failure(applyAtBooth(app.ctx, staff.actor, { ...base, seekerId: notSignedIn.id }))).fields).toEqual({ seekerId: 'not_signed_in' });
		expect((await failure(applyAtBooth(app.ctx, staff.actor, { ...base, clientKey: 'x' }))).fields).toHaveProperty('clientKey');
		expect((await failure(applyAtBooth(app.ctx, outsider.actor, base))).code).toBe('forbidden');
		expect((await failure(applyAtBooth(app.ctx, otherStaff.actor, base))).code).toBe('forbidden');
		// A seeker scanning a QR with a forged fair source is checked the same way.
		const self: Actor = { kind: 'seeker', userId: 0, seekerId: seeker.id };
		const { seekerId: _s, fairId: _f, ...qr } = base;
		expect((await failure(apply(app.ctx, self, { ...qr, positionId: otherPosition, source: topic.fair(fairId) }))).fields).toEqual({ positionId: 'not_at_fair' });
		// By phone, only someone signed in at this fair is found.
		const byPhone = { fairId, positionId: boothPosition, clientKey: key() };
		expect((await failure(applyAtBooth(app.ctx, employer.actor, { ...byPhone, phone: notSignedIn.phone }))).fields).toEqual({ phone: 'not_signed_in' });
		expect((await failure(applyAtBooth(app.ctx, self, { ...byPhone, phone: seeker.phone }))).code).toBe('forbidden');
		expect(await totals()).toEqual(before);

		const made = await applyAtBooth(app.ctx, staff.actor, base);
		expect(made.channel).toBe('fair');
		expect(await applyAtBooth(app.ctx, staff.actor, base)).toEqual(made); // a double tap
		// "At booths" counts people: the event says whether this was the person's first booth here.
		const second = await openPosition(app.ctx, employer.actor, { title: '理货员' });
		await app.ctx.db.insert(fairBoothPositions).values({ boothId: (await getFair(app.ctx, staff.actor, fairId)).booths[0].id, positionId: second.id });
		await applyAtBooth(app.ctx, staff.actor, { ...base, positionId: second.id, clientKey: key() });
		const created = await app.ctx.db.select({ payload: events.payload }).from(events).where(eq(events.type, 'application.created')).orderBy(desc(events.id)).limit(2);
		expect(created.map((e) => (e.payload as { firstAtFair?: boolean }).firstAtFair)).toEqual([false, true]);
	});

	it('employers see applicants of their own positions at the fair; supervisors see none', async () => {
		const asEmployer = await getFair(app.ctx, employer.actor, fairId);
		expect(asEmployer.role).toBe('employer');
		expect(asEmployer.applicants.length).toBeGreaterThan(0);
		const own = new Set(asEmployer.booths.filter((b) => b.organisationId === (employer.actor.kind === 'employer' ? employer.actor.organisationId : 0)).flatMap((b) => b.positions.map((p) => p.positionId)));
		expect(asEmployer.applicants.every((a) => own.has(a.positionId))).toBe(true);
		const asSupervisor = await getFair(app.ctx, supervisor.actor, fairId);
		expect(asSupervisor.role).toBe('supervisor');
		expect(asSupervisor.applicants).toEqual([]);
		expect(JSON.stringify(asSupervisor)).not.toMatch(/1[3-9]\d{9}/);
	});

	it('an offer needs an application made at this fair', async () => {
		const seeker = await makeSeeker(app.ctx.db, { phone: phoneOf() });
		const elsewhere = await openPosition(app.ctx, employer.actor, { title: '打包员' });
		const plain = await apply(app.ctx, { kind: 'seeker', userId: 0, seekerId: seeker.id }, { positionId: elsewhere.id, clientKey: key() });
		expect((await failure(recordOffer(app.ctx, employer.actor, { fairId, applicationId: plain.applicationId }))).fields).toEqual({ applicationId: 'not_at_this_fair' });
	});

	it('the snapshot counters equal the database', async () => {
		// Staff of the fair's station record an offer on an employer's position too.
		const seeker = await makeSeeker(app.ctx.db, { phone: phoneOf() });
		await signInAtDoor(app.ctx, staff.actor, { fairId, phone: seeker.phone });
		const a = await applyAtBooth(app.ctx, staff.actor, { fairId, positionId: boothPosition, seekerId: seeker.id, clientKey: key() });
		await recordOffer(app.ctx, staff.actor, { fairId, applicationId: a.applicationId });

		const { snapshot } = await takeSnapshot(app.ctx, { kind: 'fair', key: String(fairId) });
		const live = snapshot as { counters: Record<string, number>; feed: Array<{ type: string; payload: Record<string, unknown> }> };
		const source = topic.fair(fairId);
		const signedIn = (await app.ctx.db.select({ n: count() }).from(fairSignIns).where(eq(fairSignIns.fairId, fairId)))[0].n;
		const apps = await app.ctx.db.select().from(applications).where(eq(applications.source, source));
		expect(live.counters).toEqual({
			signedIn,
			atBooths: new Set(apps.map((x) => x.seekerId)).size,
			applications: apps.length,
			offers: apps.filter((x) => x.status === 'hired').length
		});
		expect(live.counters.offers).toBe(2);
		expect(live.feed[0]).toMatchObject({ type: 'application.status_changed', payload: { status: 'hired' } });
	});

	it('ending the fair stops the door', async () => {
		await setFairState(app.ctx, staff.actor, { fairId, state: 'ended' });
		expect((await failure(setFairState(app.ctx, staff.actor, { fairId, state: 'open' }))).fields).toEqual({ state: 'not_allowed' });
		expect((await failure(signInAtDoor(app.ctx, staff.actor, { fairId, phone: phoneOf() }))).reason).toBe('fair_not_open');
	});
});
