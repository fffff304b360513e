/**
 * Supervisor alerts end to end: raised and cleared by real conditions (through the real services and the
 * relay-driven engine, or a sweep with a controlled `now`), delivered to supervisor sockets of the right
 * region only, acknowledged once and shared, and brought back by the region snapshot.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertAcknowledgedPayload, AlertClearedPayload, AlertView } from '../../../src/lib/alerts';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { sweepAlerts } from '../../../src/lib/server/alerts/engine';
import { createAppContext } from '../../../src/lib/server/context';
import { type Database, openDatabase } from '../../../src/lib/server/db';
import { alerts, displays, events, stations } from '../../../src/lib/server/db/schema';
import { isUniqueViolation } from '../../../src/lib/server/errors';
import { write } from '../../../src/lib/server/events/write';
import { listOpenAlerts, raiseAlert } from '../../../src/lib/server/services/alerts';
import { sha256 } from '../../../src/lib/server/services/auth';
import { createPosition, reviewPosition, submitPosition } from '../../../src/lib/server/services/positions';
import { createStation, setStationState } from '../../../src/lib/server/services/stations';
import { checkIn, checkOut } from '../../../src/lib/server/services/visits';
import { type TestApp, startTestApp, testLog } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { positionInput } from '../../helpers/positions';

const MINUTE = 60_000;
const key = () => `k${Math.random().toString(36).slice(2, 12)}`;

interface Watch {
	client: RealtimeConnection;
	events: LiveEvent[];
	snapshot: unknown;
}

describe(`supervisor alerts on ${driverName}`, () => {
	let app: TestApp;
	let gz: SignedIn; // supervisor of Guangzhou (4401)
	let tianhe: SignedIn; // supervisor of Tianhe county (440106), a second supervisor of the same alerts
	let sz: SignedIn; // supervisor of Shenzhen (4403)
	let admin: SignedIn;
	const clients: RealtimeConnection[] = [];

	beforeAll(async () => {
		app = await startTestApp({ alerts: true });
		await seedRegions(app.ctx.db);
		gz = await signIn(app.ctx.db, 'supervisor', { regionCode: '4401' });
		tianhe = await signIn(app.ctx.db, 'supervisor', { regionCode: '440106' });
		sz = await signIn(app.ctx.db, 'supervisor', { regionCode: '4403' });
		admin = await signIn(app.ctx.db, 'admin');
	});
	afterAll(async () => {
		for (const c of clients) c.close();
		await app?.close();
	});

	async function watch(cookie: string, name: string): Promise<Watch> {
		const client = connect(app.url, { cookie });
		clients.push(client);
		const w: Watch = { client, events: [], snapshot: null };
		const feed = client.subscribe(name, { snapshot: (s) => (w.snapshot = s), event: (e) => w.events.push(e) });
		await until(() => feed.status === 'live', 10_000, `subscription to ${name}`);
		return w;
	}

	const alertEvents = (w: Watch, type: string) => w.events.filter((e) => e.type === type);
	const raisedFor = (w: Watch, subject: string, kind?: string) =>
		alertEvents(w, 'alert.raised').filter((e) => (e.payload as AlertView).subject === subject && (!kind || (e.payload as AlertView).kind === kind));
	const openRows = (kind: (typeof alerts.$inferSelect)['kind'], subject: string) =>
		app.ctx.db.select().from(alerts).where(and(eq(alerts.kind, kind), eq(alerts.subject, subject), isNull(alerts.clearedAt)));
	const allRows = (kind: (typeof alerts.$inferSelect)['kind'], subject: string) =>
		app.ctx.db.select().from(alerts).where(and(eq(alerts.kind, kind), eq(alerts.subject, subject)));
	/** Every event committed so far has been relayed and every evaluation it triggered has run. */
	async function settled() {
		await app.relay.flush();
		await app.alerts!.idle();
		await app.relay.flush();
	}

	it('filling a station raises one station_full alert for its city only; a check-out clears it', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 3 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		const city = await watch(gz.cookie, topic.region('4401'));
		const other = await watch(sz.cookie, topic.region('4403'));
		const subject = `station:${station.id}`;

		for (let i = 0; i < 2; i++) await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: key() });
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: key() });
		const filledAt = Date.now();
		await until(() => raisedFor(city, subject, 'station_full').length > 0, 5_000, 'alert.raised on the city socket');
		// The check-in's event triggers the evaluation: the supervisor hears of it well within a second.
		expect(Date.now() - filledAt).toBeLessThan(1_000);
		const raised = raisedFor(city, subject, 'station_full')[0];
		const view = raised.payload as AlertView;
		expect(view).toMatchObject({ kind: 'station_full', subject, regionCode: station.regionCode, stationId: station.id, title: station.name, detail: { occupancy: 3, capacity: 3 }, acknowledgedAt: null, acknowledgedBy: null });
		expect(raised.topics).toEqual(expect.arrayContaining([topic.region('44'), topic.region('4401'), topic.region('440106'), topic.station(station.id)]));

		// Still full (staff let one more in): still one alert, no second event.
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: key(), override: true });
		await checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: key() });
		await settled();
		expect(await openRows('station_full', subject)).toHaveLength(1);
		expect(raisedFor(city, subject, 'station_full')).toHaveLength(1);

		await checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: key() });
		await until(() => alertEvents(city, 'alert.cleared').some((e) => (e.payload as AlertClearedPayload).alertId === view.id), 5_000, 'alert.cleared');
		expect(alertEvents(city, 'alert.cleared').find((e) => (e.payload as AlertClearedPayload).alertId === view.id)!.payload).toEqual({ alertId: view.id });
		expect(await openRows('station_full', subject)).toHaveLength(0);
		expect(await allRows('station_full', subject)).toHaveLength(1);

		await settled();
		expect(other.events.filter((e) => e.type.startsWith('alert.'))).toEqual([]);
	});

	it('two engines evaluating at once raise one row and one event', async () => {
		if (!app.db.url) return; // one PGlite handle cannot run two engines at once
		const second: Database = await openDatabase({ url: app.db.url, poolMax: 5 });
		try {
			const other = createAppContext(second, { log: testLog });
			const full = [];
			for (let i = 0; i < 5; i++) full.push(await makeStation(app.ctx.db, { capacity: 2, occupancy: 2 }));
			const now = new Date();
			const [a, b] = await Promise.all([
				sweepAlerts(app.ctx, { now, kinds: ['station_full'] }),
				sweepAlerts(other, { now, kinds: ['station_full'] })
			]);
			expect(a.raised + b.raised).toBe(5);
			for (const s of full) {
				expect(await allRows('station_full', `station:${s.id}`)).toHaveLength(1);
				const announced = await app.ctx.db
					.select({ id: events.id })
					.from(events)
					.where(and(eq(events.type, 'alert.raised'), sql`${events.payload}->>'subject' = ${`station:${s.id}`}`));
				expect(announced).toHaveLength(1);
			}
		} finally {
			await second.close();
		}
	});

	it('the unique index alone refuses a second open alert for the same subject', async () => {
		const s = await makeStation(app.ctx.db, { capacity: 2, occupancy: 2 });
		const condition = { kind: 'station_full' as const, subject: `station:${s.id}`, regionCode: s.regionCode, stationId: s.id, title: s.name, detail: { occupancy: 2, capacity: 2 } };
		const first = await write(app.ctx, (tx, publish) => raiseAlert(tx, publish, condition, new Date()));
		const again = await write(app.ctx, (tx, publish) => raiseAlert(tx, publish, condition, new Date()));
		expect(first).not.toBeNull();
		expect(again).toBeNull();
		const error = await app.ctx.db
			.insert(alerts)
			.values({ ...condition })
			.then(() => null, (e: unknown) => e);
		expect(isUniqueViolation(error)).toBe(true);
	});

	it('station_silent: raised after ALERT_SILENT_MINUTES without activity, cleared by a check-in or by closing', async () => {
		const quiet = await makeStation(app.ctx.db, { capacity: 50 });
		const closing = await makeStation(app.ctx.db, { capacity: 50 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: quiet.id });
		const city = await watch(gz.cookie, topic.region('4401'));
		await settled(); // evaluations of earlier events run at the real time: let them finish before moving time
		const start = new Date();

		await sweepAlerts(app.ctx, { now: new Date(start.getTime() + 59 * MINUTE), kinds: ['station_silent'] });
		expect(await openRows('station_silent', `station:${quiet.id}`)).toHaveLength(0);
		await sweepAlerts(app.ctx, { now: new Date(start.getTime() + 61 * MINUTE), kinds: ['station_silent'] });
		const [row] = await openRows('station_silent', `station:${quiet.id}`);
		expect(row.detail).toEqual({ minutes: 61, since: quiet.lastActivityAt.toISOString() });
		expect(await openRows('station_silent', `station:${closing.id}`)).toHaveLength(1);
		await until(() => raisedFor(city, `station:${quiet.id}`, 'station_silent').length === 1, 5_000, 'silent alert on the socket');

		// Activity clears it at once (the check-in's event triggers the evaluation, at the real time).
		await checkIn(app.ctx, staff.actor, { stationId: quiet.id, clientKey: key() });
		await until(() => alertEvents(city, 'alert.cleared').some((e) => (e.payload as AlertClearedPayload).alertId === row.id), 5_000, 'silent alert cleared');
		// A station that is no longer open is not silent.
		await setStationState(app.ctx, admin.actor, { stationId: closing.id, state: 'closed' });
		await settled();
		expect(await openRows('station_silent', `station:${closing.id}`)).toHaveLength(0);
		// Closed stations stay clear however long they are quiet.
		await sweepAlerts(app.ctx, { now: new Date(start.getTime() + 600 * MINUTE), kinds: ['station_silent'] });
		expect(await openRows('station_silent', `station:${closing.id}`)).toHaveLength(0);
	});

	it('display_offline: two missed heartbeats raise it, a heartbeat over the socket clears it, revocation clears it', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 50 });
		const token = `display-${key()}-${key()}`;
		const [display] = await app.ctx.db.insert(displays).values({ stationId: station.id, label: '大厅屏', tokenHash: sha256(token) }).returning();
		const [revoked] = await app.ctx.db.insert(displays).values({ stationId: station.id, label: '门口屏', tokenHash: sha256(`${token}-2`) }).returning();
		const city = await watch(gz.cookie, topic.region('4401'));
		const at = (ms: number) => new Date(display.createdAt.getTime() + ms);
		await settled();

		await sweepAlerts(app.ctx, { now: at(59_000), kinds: ['display_offline'] });
		expect(await openRows('display_offline', `display:${display.id}`)).toHaveLength(0);
		await sweepAlerts(app.ctx, { now: at(5 * MINUTE), kinds: ['display_offline'] });
		const [row] = await openRows('display_offline', `display:${display.id}`);
		expect(row).toMatchObject({ regionCode: station.regionCode, stationId: station.id, title: '大厅屏', detail: { minutes: 5, station: station.name } });
		expect(await openRows('display_offline', `display:${revoked.id}`)).toHaveLength(1);
		await until(() => raisedFor(city, `display:${display.id}`).length === 1, 5_000, 'display alert on the socket');

		// Only a display may beat.
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		const staffClient = connect(app.url, { cookie: staff.cookie });
		clients.push(staffClient);
		const refused = await staffClient.command('display:heartbeat', {});
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.error.code).toBe('forbidden');

		const screen = connect(app.url, { displayToken: token });
		clients.push(screen);
		const beat = await screen.command<{ version: string; build: string }>('display:heartbeat', {});
		expect(beat.ok).toBe(true);
		if (beat.ok) expect(beat.data.version).toMatch(/^\d+\.\d+\.\d+/);
		const [after] = await app.ctx.db.select().from(displays).where(eq(displays.id, display.id));
		expect(after.lastHeartbeatAt).not.toBeNull();
		expect(await openRows('display_offline', `display:${display.id}`)).toHaveLength(0);
		await until(() => alertEvents(city, 'alert.cleared').some((e) => (e.payload as AlertClearedPayload).alertId === row.id), 5_000, 'display alert cleared');
		// A second beat changes no alert and announces nothing.
		const clearedBefore = alertEvents(city, 'alert.cleared').length;
		expect((await screen.command('display:heartbeat', {})).ok).toBe(true);
		await settled();
		expect(alertEvents(city, 'alert.cleared')).toHaveLength(clearedBefore);

		await app.ctx.db.update(displays).set({ revokedAt: new Date() }).where(eq(displays.id, revoked.id));
		await sweepAlerts(app.ctx, { now: at(6 * MINUTE), kinds: ['display_offline'] });
		expect(await openRows('display_offline', `display:${revoked.id}`)).toHaveLength(0);
	});

	it('county_below_quota: raised while a county has fewer non-offline stations than its quota, cleared when met', async () => {
		const nanshan = await watch(sz.cookie, topic.region('4403'));
		const subject = 'region:440305';
		const lead = (await makeOrganisation(app.ctx.db, { regionCode: '4403' })).id;
		const first = await createStation(app.ctx, admin.actor, { name: `南山一站 ${key()}`, kind: 'community', leadOrganisationId: lead, regionCode: '440305', lat: 22.53, lng: 113.93, capacity: 30 });
		await settled();
		await sweepAlerts(app.ctx, { kinds: ['county_below_quota'] });
		const [row] = await openRows('county_below_quota', subject);
		expect(row).toMatchObject({ regionCode: '440305', stationId: null, title: '南山区', detail: { stations: 1, quota: 2 } });
		await until(() => raisedFor(nanshan, subject).length === 1, 5_000, 'county alert on the Shenzhen socket');

		// A second station meets the quota: its station.created event clears the alert without a sweep.
		const second = await createStation(app.ctx, admin.actor, { name: `南山二站 ${key()}`, kind: 'community', leadOrganisationId: lead, regionCode: '440305', lat: 22.54, lng: 113.94, capacity: 30 });
		await until(() => alertEvents(nanshan, 'alert.cleared').some((e) => (e.payload as AlertClearedPayload).alertId === row.id), 5_000, 'county alert cleared');
		// One going offline drops the county below its quota again: a new alert.
		await setStationState(app.ctx, admin.actor, { stationId: second.id, state: 'offline' });
		await settled();
		expect(await openRows('county_below_quota', subject)).toHaveLength(1);
		expect(await allRows('county_below_quota', subject)).toHaveLength(2);
		await setStationState(app.ctx, admin.actor, { stationId: second.id, state: 'open' });
		await settled();
		expect(await openRows('county_below_quota', subject)).toHaveLength(0);
		expect(first.id).toBeGreaterThan(0);
	});

	it('review_overdue: raised once a position has waited ALERT_REVIEW_HOURS, cleared when it is reviewed', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 50 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		const draft = await createPosition(app.ctx, staff.actor, positionInput({ title: '夜班仓管' }));
		const submitted = await submitPosition(app.ctx, staff.actor, { positionId: draft.id });
		const subject = `position:${draft.id}`;
		const at = (hours: number) => new Date(submitted.submittedAt!.getTime() + hours * 60 * MINUTE);
		await settled(); // the submission's own evaluation (at the real time) must not run after the sweep below

		await sweepAlerts(app.ctx, { now: at(23.5), kinds: ['review_overdue'] });
		expect(await openRows('review_overdue', subject)).toHaveLength(0);
		await sweepAlerts(app.ctx, { now: at(25), kinds: ['review_overdue'] });
		const [row] = await openRows('review_overdue', subject);
		expect(row).toMatchObject({ regionCode: '440106', stationId: station.id, title: '夜班仓管', detail: { hours: 25 } });

		await reviewPosition(app.ctx, tianhe.actor, { positionId: draft.id, decision: 'approve' });
		await settled();
		expect(await openRows('review_overdue', subject)).toHaveLength(0);
	});

	it('a covering supervisor acknowledges once for everybody; others are refused and nothing is written', async () => {
		const station = await makeStation(app.ctx.db, { capacity: 1 });
		const staff = await signIn(app.ctx.db, 'staff', { stationId: station.id });
		const seeker = await signIn(app.ctx.db, 'seeker');
		const first = await watch(gz.cookie, topic.region('4401'));
		const second = await watch(tianhe.cookie, topic.region('440106'));
		const elsewhere = await watch(sz.cookie, topic.region('4403'));
		const subject = `station:${station.id}`;
		await checkIn(app.ctx, staff.actor, { stationId: station.id, clientKey: key() });
		await until(() => raisedFor(second, subject).length === 1, 5_000, 'alert raised');
		const alertId = (raisedFor(second, subject)[0].payload as AlertView).id;

		// Refused: another city's supervisor, staff (even of the station), a seeker. Nothing written.
		for (const who of [sz, staff, seeker]) {
			const client = connect(app.url, { cookie: who.cookie });
			clients.push(client);
			const answer = await client.command('alert:acknowledge', { alertId });
			expect(answer.ok).toBe(false);
			if (!answer.ok) expect(answer.error.code).toBe('forbidden');
		}
		const bad = await first.client.command('alert:acknowledge', { alertId: 'soon' });
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.error).toMatchObject({ code: 'invalid', fields: { alertId: expect.any(String) } });
		const unknown = await first.client.command('alert:acknowledge', { alertId: 987654 });
		expect(unknown.ok).toBe(false);
		if (!unknown.ok) expect(unknown.error.code).toBe('not_found');
		const [untouched] = await app.ctx.db.select().from(alerts).where(eq(alerts.id, alertId));
		expect(untouched.acknowledgedAt).toBeNull();

		const done = await first.client.command<AlertView>('alert:acknowledge', { alertId });
		expect(done.ok).toBe(true);
		if (!done.ok) return;
		expect(done.data).toMatchObject({ id: alertId, acknowledgedBy: expect.stringContaining('supervisor-') });
		await until(() => alertEvents(second, 'alert.acknowledged').length === 1, 5_000, 'acknowledgement on the second socket');
		const payload = alertEvents(second, 'alert.acknowledged')[0].payload as AlertAcknowledgedPayload;
		expect(payload).toEqual({ alertId, acknowledgedAt: done.data.acknowledgedAt, acknowledgedBy: done.data.acknowledgedBy });

		// The second supervisor's later tap answers with the first acknowledgement and announces nothing.
		const again = await second.client.command<AlertView>('alert:acknowledge', { alertId });
		expect(again.ok && again.data.acknowledgedBy).toBe(done.data.acknowledgedBy);
		await settled();
		expect(alertEvents(second, 'alert.acknowledged')).toHaveLength(1);
		const announced = await app.ctx.db.select({ id: events.id }).from(events).where(eq(events.type, 'alert.acknowledged'));
		expect(announced).toHaveLength(1);
		expect(elsewhere.events.filter((e) => e.type.startsWith('alert.'))).toEqual([]);

		// A resync brings open alerts back with the acknowledgement; another city's snapshot has none of them.
		const fresh = await watch(tianhe.cookie, topic.region('440106'));
		const snap = fresh.snapshot as { stations: unknown[]; alerts: AlertView[] };
		expect(snap.alerts.find((a) => a.id === alertId)).toMatchObject({ kind: 'station_full', acknowledgedBy: done.data.acknowledgedBy, acknowledgedAt: done.data.acknowledgedAt });
		expect(snap.alerts.every((a) => a.regionCode.startsWith('440106'))).toBe(true);
		const times = snap.alerts.map((a) => a.raisedAt);
		expect([...times].sort().reverse()).toEqual(times);
		const shenzhen = (await watch(sz.cookie, topic.region('4403'))).snapshot as { alerts: AlertView[] };
		expect(shenzhen.alerts.some((a) => a.id === alertId)).toBe(false);

		// The same list over the service, within scope only.
		expect((await listOpenAlerts(app.ctx, gz.actor, '4401')).some((a) => a.id === alertId)).toBe(true);
		expect((await listOpenAlerts(app.ctx, admin.actor, '44')).some((a) => a.id === alertId)).toBe(true);
		expect((await listOpenAlerts(app.ctx, sz.actor, '4403')).some((a) => a.id === alertId)).toBe(false);
		await expect(listOpenAlerts(app.ctx, sz.actor, '4401')).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listOpenAlerts(app.ctx, gz.actor, '44')).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listOpenAlerts(app.ctx, staff.actor, '440106')).rejects.toMatchObject({ code: 'forbidden' });
		await expect(listOpenAlerts(app.ctx, gz.actor, '44; drop')).rejects.toMatchObject({ code: 'invalid' });

		// Once cleared, it leaves the snapshot.
		await checkOut(app.ctx, staff.actor, { stationId: station.id, clientKey: key() });
		await settled();
		const later = (await watch(gz.cookie, topic.region('4401'))).snapshot as { alerts: AlertView[] };
		expect(later.alerts.some((a) => a.id === alertId)).toBe(false);
		const [cleared] = await app.ctx.db.select().from(stations).where(eq(stations.id, station.id));
		expect(cleared.occupancy).toBe(0);
	});
});
