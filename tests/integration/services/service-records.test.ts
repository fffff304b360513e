/**
 * Services given at the counter (service-records.ts) through a real socket server: only the station's staff
 * (or an admin) record them, a double tap is one row and one event, malformed input names the field and
 * writes nothing; naming a seeker needs the person to be at this station, and the phone takes them on.
 * Also the seeker scope that goes with it (seekers.ts): staff see and change only people at their station.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { events, serviceRecords } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { recordService, registerSeekerHere } from '../../../src/lib/server/services/service-records';
import {
	findSeekerForStation,
	getSeekerForStation,
	recentSeekersAtStation,
	registerSeeker,
	updateSeeker,
	withdrawConsent
} from '../../../src/lib/server/services/seekers';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { type SignedIn, makeStation, seedRegions, signIn } from '../../helpers/fixtures';

const key = () => `svc-${Math.random().toString(36).slice(2, 12)}`;

async function failure(p: Promise<unknown>) {
	const error = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ServiceError);
	return error as ServiceError;
}

describe(`service records on ${driverName}`, () => {
	let app: TestApp;
	let stationId: number;
	let otherStationId: number;
	let regionCode: string;
	let staff: SignedIn;
	let otherStaff: SignedIn;
	let supervisor: SignedIn;
	let admin: SignedIn;
	const clients: RealtimeConnection[] = [];

	const rows = async () => (await app.ctx.db.select({ n: count() }).from(serviceRecords))[0].n;
	const recorded = async () => (await app.ctx.db.select({ n: count() }).from(events).where(eq(events.type, 'service.recorded')))[0].n;

	beforeAll(async () => {
		app = await startTestApp();
		await seedRegions(app.ctx.db);
		const station = await makeStation(app.ctx.db);
		stationId = station.id;
		regionCode = station.regionCode;
		otherStationId = (await makeStation(app.ctx.db, { regionCode: '440305' })).id;
		staff = await signIn(app.ctx.db, 'staff', { stationId });
		otherStaff = await signIn(app.ctx.db, 'staff', { stationId: otherStationId });
		supervisor = await signIn(app.ctx.db, 'supervisor', { regionCode: '4401' });
		admin = await signIn(app.ctx.db, 'admin');
	});
	afterAll(async () => {
		for (const c of clients) c.close();
		await app?.close();
	});

	const socketAs = async (who: SignedIn) => {
		const c = connect(app.url, { cookie: who.cookie });
		clients.push(c);
		await until(() => c.socket.connected, 5000, 'socket connected');
		return c;
	};

	it('refuses staff of another station, supervisors and seekers, and writes nothing', async () => {
		const before = { rows: await rows(), events: await recorded() };
		const input = { stationId, kind: 'policy_consultation', clientKey: key() };
		expect((await failure(recordService(app.ctx, otherStaff.actor, input))).code).toBe('forbidden');
		expect((await failure(recordService(app.ctx, supervisor.actor, input))).code).toBe('forbidden');
		const seeker = await signIn(app.ctx.db, 'seeker');
		expect((await failure(recordService(app.ctx, seeker.actor, input))).code).toBe('forbidden');
		// Over the socket, the same refusal as an error answer.
		const other = await socketAs(otherStaff);
		const answer = await other.command('service:record', input);
		expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect({ rows: await rows(), events: await recorded() }).toEqual(before);
	});

	it('a double tap over the socket is one row and one event, and both taps get the same answer', async () => {
		const watcher = await socketAs(supervisor);
		const seen: LiveEvent[] = [];
		watcher.subscribe(topic.region('4401'), { snapshot: () => {}, event: (e) => seen.push(e) });
		await watcher.ready();
		const desk = await socketAs(staff);
		const before = { rows: await rows(), events: await recorded() };
		const input = { stationId, kind: 'career_guidance', clientKey: key(), note: '简历修改' };
		const [first, second] = await Promise.all([desk.command('service:record', input), desk.command('service:record', input)]);
		const third = await desk.command('service:record', input);
		expect(first.ok && second.ok && third.ok).toBe(true);
		const data = (first as { data: { serviceRecordId: number } }).data;
		expect((second as { data: unknown }).data).toEqual(data);
		expect((third as { data: unknown }).data).toEqual(data);
		expect({ rows: await rows(), events: await recorded() }).toEqual({ rows: before.rows + 1, events: before.events + 1 });
		const [row] = await app.ctx.db.select().from(serviceRecords).where(eq(serviceRecords.id, data.serviceRecordId));
		expect(row).toMatchObject({ stationId, kind: 'career_guidance', note: '简历修改', staffUserId: staff.userId, seekerId: null });

		// The region's supervisors see it live: ids and the kind only.
		await until(() => seen.some((e) => e.type === 'service.recorded'), 5000, 'service.recorded on the region topic');
		const event = seen.find((e) => e.type === 'service.recorded')!;
		expect(event.payload).toEqual({ stationId, kind: 'career_guidance', serviceRecordId: data.serviceRecordId });
		expect(event.topics).toEqual(expect.arrayContaining([topic.station(stationId), topic.region(regionCode), topic.region('4401')]));
	});

	it('the same client key at another station is another record', async () => {
		const k = key();
		const mine = await recordService(app.ctx, staff.actor, { stationId, kind: 'legal_consultation', clientKey: k });
		const theirs = await recordService(app.ctx, otherStaff.actor, { stationId: otherStationId, kind: 'legal_consultation', clientKey: k });
		expect(theirs.serviceRecordId).not.toBe(mine.serviceRecordId);
		// An admin records at any station.
		const byAdmin = await recordService(app.ctx, admin.actor, { stationId: otherStationId, kind: 'policy_consultation', clientKey: key() });
		expect(byAdmin.stationId).toBe(otherStationId);
	});

	it('malformed input names the field and writes nothing', async () => {
		const before = { rows: await rows(), events: await recorded() };
		const desk = await socketAs(staff);
		for (const [input, field] of [
			[{ stationId, kind: 'haircut', clientKey: key() }, 'kind'],
			[{ stationId, clientKey: key() }, 'kind'],
			[{ stationId, kind: 'policy_consultation' }, 'clientKey'],
			[{ stationId, kind: 'policy_consultation', clientKey: 'x' }, 'clientKey'],
			[{ kind: 'policy_consultation', clientKey: key() }, 'stationId'],
			[{ stationId: 'one', kind: 'policy_consultation', clientKey: key() }, 'stationId'],
			[{ stationId, kind: 'policy_consultation', clientKey: key(), note: '长'.repeat(501) }, 'note'],
			[{ stationId, kind: 'policy_consultation', clientKey: key(), seekerId: -1 }, 'seekerId'],
			[{ stationId, kind: 'policy_consultation', clientKey: key(), seekerId: 999_999 }, 'seekerId']
		] as const) {
			const answer = await desk.command('service:record', input);
			expect(answer.ok, JSON.stringify(input)).toBe(false);
			if (!answer.ok) {
				expect(answer.error.code, JSON.stringify(input)).toBe('invalid');
				expect(answer.error.fields, JSON.stringify(input)).toHaveProperty([field]);
			}
		}
		const unknownStation = await desk.command('service:record', { stationId: 999_999, kind: 'policy_consultation', clientKey: key() });
		expect(unknownStation).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect({ rows: await rows(), events: await recorded() }).toEqual(before);
	});

	it('names a seeker only when the person is at this station; the phone takes them on', async () => {
		const person = await registerSeeker(app.ctx, otherStaff.actor, { name: '陈一', phone: '13711110001', consent: true, keyGroups: ['migrant_worker'] });
		// Staff here may not attach (and so read) someone from another station by id.
		const refused = await failure(recordService(app.ctx, staff.actor, { stationId, kind: 'career_guidance', seekerId: person.id, clientKey: key() }));
		expect(refused).toMatchObject({ code: 'forbidden', fields: { seekerId: 'not_at_station' } });
		expect((await failure(getSeekerForStation(app.ctx, staff.actor, { stationId, seekerId: person.id }))).code).toBe('not_found');
		expect((await failure(updateSeeker(app.ctx, staff.actor, { seekerId: person.id, name: '冒名' }))).code).toBe('forbidden');
		expect((await failure(withdrawConsent(app.ctx, staff.actor, { seekerId: person.id }))).code).toBe('forbidden');

		// Found by the exact phone the person shows: masked until taken on.
		const masked = await findSeekerForStation(app.ctx, staff.actor, { stationId, phone: '13711110001' });
		expect(masked).toEqual({ seekerId: person.id, atStation: false, name: '陈*', phone: '137****0001' });
		expect(await findSeekerForStation(app.ctx, staff.actor, { stationId, phone: '13711110009' })).toBeNull();
		expect((await failure(findSeekerForStation(app.ctx, otherStaff.actor, { stationId, phone: '13711110001' }))).code).toBe('forbidden');
		expect((await failure(findSeekerForStation(app.ctx, staff.actor, { stationId, phone: '123' }))).fields).toHaveProperty('phone');

		const k = key();
		const takenOn = await registerSeekerHere(app.ctx, staff.actor, { stationId, phone: '13711110001', clientKey: k });
		expect(takenOn).toMatchObject({ kind: 'job_registration', seekerId: person.id, stationId });
		expect(await registerSeekerHere(app.ctx, staff.actor, { stationId, phone: '13711110001', clientKey: k })).toEqual(takenOn);
		expect((await failure(registerSeekerHere(app.ctx, staff.actor, { stationId, phone: '13711110009', clientKey: key() }))).fields).toEqual({ phone: 'not_registered' });

		expect(await findSeekerForStation(app.ctx, staff.actor, { stationId, phone: '13711110001' })).toMatchObject({ atStation: true, name: '陈一', phone: '13711110001' });
		const profile = await getSeekerForStation(app.ctx, staff.actor, { stationId, seekerId: person.id });
		expect(profile).toMatchObject({ name: '陈一', phone: '13711110001', keyGroups: ['migrant_worker'], registeredAtStation: { id: otherStationId } });
		const service = await recordService(app.ctx, staff.actor, { stationId, kind: 'job_recommendation', seekerId: person.id, clientKey: key() });
		expect(service.seekerId).toBe(person.id);
		expect((await updateSeeker(app.ctx, staff.actor, { seekerId: person.id, skills: ['叉车'] })).skills).toEqual(['叉车']);
		// The record does not make them this station's registration.
		expect((await recentSeekersAtStation(app.ctx, staff.actor, { stationId })).map((s) => s.id)).not.toContain(person.id);
	});

	it('registers at the named station for an admin, only at their own for staff; withdrawn people are gone from every view', async () => {
		const byAdmin = await registerSeeker(app.ctx, admin.actor, { name: '林二', phone: '13711110002', consent: true, stationId });
		expect(byAdmin.registeredAtStationId).toBe(stationId);
		expect((await failure(registerSeeker(app.ctx, staff.actor, { name: '林三', phone: '13711110003', consent: true, stationId: otherStationId }))).code).toBe('forbidden');
		expect((await recentSeekersAtStation(app.ctx, staff.actor, { stationId }))[0]).toMatchObject({ id: byAdmin.id, name: '林二', phone: '13711110002', withdrawn: false });

		await withdrawConsent(app.ctx, staff.actor, { seekerId: byAdmin.id });
		const profile = await getSeekerForStation(app.ctx, staff.actor, { stationId, seekerId: byAdmin.id });
		expect(profile).toMatchObject({ name: null, phone: null });
		expect(profile.consentWithdrawnAt).not.toBeNull();
		expect((await recentSeekersAtStation(app.ctx, staff.actor, { stationId }))[0]).toMatchObject({ id: byAdmin.id, name: null, phone: null, withdrawn: true });
		expect(await findSeekerForStation(app.ctx, staff.actor, { stationId, phone: '13711110002' })).toBeNull();
		expect((await failure(updateSeeker(app.ctx, staff.actor, { seekerId: byAdmin.id, name: '林二' }))).reason).toBe('consent_withdrawn');
		// A service for them is still counted, anonymously.
		const [before] = await app.ctx.db.select({ n: count() }).from(serviceRecords).where(and(eq(serviceRecords.seekerId, byAdmin.id)));
		await recordService(app.ctx, staff.actor, { stationId, kind: 'policy_consultation', seekerId: byAdmin.id, clientKey: key() });
		const [after] = await app.ctx.db.select({ n: count() }).from(serviceRecords).where(and(eq(serviceRecords.seekerId, byAdmin.id)));
		expect(after.n).toBe(before.n + 1);
	});
});
