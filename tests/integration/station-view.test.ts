/**
 * The station page as supervisors read it, and the map's station panel: histories by service day (Beijing
 * time, whatever the server's zone), services, positions in order, fairs, rooms, display health — and who
 * may read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/actor';
import { jsonOrError } from '../../src/lib/server/auth/http';
import type { AppContext } from '../../src/lib/server/context';
import { displays, fairBooths, fairSignIns, jobFairs, liveRooms, positions, serviceRecords, visits } from '../../src/lib/server/db/schema';
import { stationOverview, stationPanel } from '../../src/lib/server/queries/station';
import { type TestApp, startTestApp } from '../helpers/app';
import { driverName } from '../helpers/db';
import { makeOrganisation, makeSeeker, makeStation, seedRegions, signIn } from '../helpers/fixtures';
import { positionInput } from '../helpers/positions';

/** 12:00 on 22 November in Beijing. */
const NOW = new Date('2026-11-22T04:00:00Z');
const bj = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;

describe(`station read view on ${driverName}`, () => {
	let app: TestApp;
	let ctx: AppContext;
	let stationId: number;
	let otherStationId: number;
	let gz: Actor;
	let sz: Actor;
	let staff: Actor;
	let otherStaff: Actor;
	let admin: Actor;

	beforeAll(async () => {
		app = await startTestApp();
		ctx = { ...app.ctx, now: () => NOW };
		const db = app.ctx.db;
		await seedRegions(db);
		const station = await makeStation(db, { name: '五山驿站', regionCode: '440106001001', capacity: 30 });
		const other = await makeStation(db, { name: '南山驿站', regionCode: '440305', lat: 22.53, lng: 113.93 });
		stationId = station.id;
		otherStationId = other.id;
		gz = (await signIn(db, 'supervisor', { regionCode: '4401' })).actor;
		sz = (await signIn(db, 'supervisor', { regionCode: '4403' })).actor;
		staff = (await signIn(db, 'staff', { stationId })).actor;
		otherStaff = (await signIn(db, 'staff', { stationId: other.id })).actor;
		admin = (await signIn(db, 'admin')).actor;
		const seeker = await makeSeeker(db, { name: '张三丰', phone: '13912345678' });

		let key = 0;
		const visit = (at: Date, stationOf = stationId) => ({ stationId: stationOf, clientKey: `v-${key++}`, checkedInAt: at, checkedOutAt: new Date(at.getTime() + HOUR), seekerId: seeker.id });
		await db.insert(visits).values([
			// 00:30 in Beijing is still the 21st in UTC: it belongs to today, hour 0.
			visit(bj('2026-11-22T00:30:00')),
			visit(bj('2026-11-22T09:10:00')),
			visit(bj('2026-11-22T09:40:00')),
			visit(bj('2026-11-22T10:05:00')),
			visit(bj('2026-11-21T15:00:00')),
			visit(bj('2026-11-09T10:00:00')), // first of the 14 service days
			visit(bj('2026-11-08T10:00:00')), // one day too old
			visit(bj('2026-11-22T09:00:00'), other.id)
		]);
		await db.insert(serviceRecords).values([
			{ stationId, kind: 'policy_consultation', clientKey: 's1', at: bj('2026-11-22T09:15:00'), seekerId: seeker.id },
			{ stationId, kind: 'policy_consultation', clientKey: 's2', at: bj('2026-11-22T11:00:00') },
			{ stationId, kind: 'legal_consultation', clientKey: 's3', at: bj('2026-10-24T10:00:00') }, // 29 days back: in
			{ stationId, kind: 'career_guidance', clientKey: 's4', at: bj('2026-10-23T10:00:00') }, // 30 days back: out
			{ stationId: other.id, kind: 'career_guidance', clientKey: 's5', at: bj('2026-11-22T10:00:00') }
		]);
		const position = (title: string, state: (typeof positions.$inferInsert)['state'], updatedAt: Date) => ({
			...(positionInput({ title }) as Omit<typeof positions.$inferInsert, 'title' | 'state' | 'updatedAt'>),
			stationId,
			title,
			state,
			updatedAt
		});
		await db.insert(positions).values([
			position('已关闭的岗位', 'closed', bj('2026-11-22T11:00:00')),
			position('在招岗位', 'open', bj('2026-11-20T11:00:00')),
			position('待审核岗位', 'pending_review', bj('2026-11-19T11:00:00')),
			position('草稿岗位', 'draft', bj('2026-11-22T11:30:00')),
			position('已招满岗位', 'filled', bj('2026-11-21T11:00:00'))
		]);
		const employer = await makeOrganisation(db, { kind: 'employer', name: '顺达物流' });
		const [upcoming, , ended] = await db
			.insert(jobFairs)
			.values([
				{ stationId, title: '明天的招聘会', startsAt: bj('2026-11-23T09:00:00'), endsAt: bj('2026-11-23T12:00:00') },
				{ stationId, title: '正在进行的招聘会', startsAt: bj('2026-11-22T11:00:00'), endsAt: bj('2026-11-22T14:00:00'), state: 'open' },
				{ stationId, title: '昨天的招聘会', startsAt: bj('2026-11-21T09:00:00'), endsAt: bj('2026-11-21T12:00:00'), state: 'ended' },
				{ stationId: other.id, title: '别站的招聘会', startsAt: bj('2026-11-23T09:00:00'), endsAt: bj('2026-11-23T12:00:00') }
			])
			.returning();
		await db.insert(fairBooths).values({ fairId: upcoming.id, organisationId: employer.id, label: 'A1' });
		await db.insert(fairSignIns).values({ fairId: ended.id, seekerId: seeker.id });
		await db.insert(liveRooms).values([
			{ stationId, title: '正在直播', hostOrganisationId: employer.id, scheduledAt: bj('2026-11-22T11:30:00'), startedAt: bj('2026-11-22T11:30:00'), state: 'live', peakViewers: 88 },
			{ stationId, title: '明天直播', hostOrganisationId: employer.id, scheduledAt: bj('2026-11-23T15:00:00') },
			{ stationId, title: '昨天的直播', hostOrganisationId: employer.id, scheduledAt: bj('2026-11-21T15:00:00'), startedAt: bj('2026-11-21T15:00:00'), endedAt: bj('2026-11-21T16:00:00'), state: 'ended', peakViewers: 120 },
			{ stationId: other.id, title: '别站直播', hostOrganisationId: employer.id, scheduledAt: bj('2026-11-22T11:30:00'), state: 'live' }
		]);
		await db.insert(displays).values([
			{ stationId, label: '大厅屏', tokenHash: 'h1', lastHeartbeatAt: new Date(NOW.getTime() - 10_000) },
			{ stationId, label: '门口屏', tokenHash: 'h2', lastHeartbeatAt: new Date(NOW.getTime() - 2 * HOUR) },
			{ stationId, label: '新屏', tokenHash: 'h3' },
			{ stationId, label: '旧屏', tokenHash: 'h4', lastHeartbeatAt: NOW, revokedAt: new Date(NOW.getTime() - HOUR) },
			{ stationId: other.id, label: '别站屏', tokenHash: 'h5', lastHeartbeatAt: NOW }
		]);
	});
	afterAll(async () => {
		await app?.close();
	});

	it('gives the visit history by Beijing service day and hour, and services of the last 30 days', async () => {
		const view = await stationOverview(ctx, gz, stationId);
		const busyHours = view.history.hours.filter((h) => h.checkIns > 0);
		expect(busyHours).toEqual([
			{ hour: 0, checkIns: 1 },
			{ hour: 9, checkIns: 2 },
			{ hour: 10, checkIns: 1 }
		]);
		expect(view.history.hours).toHaveLength(24);
		expect(view.history.nowHour).toBe(12);
		expect(view.history.days).toHaveLength(14);
		expect(view.history.days[0]).toEqual({ date: '2026-11-09', visits: 1 });
		expect(view.history.days.at(-1)).toEqual({ date: '2026-11-22', visits: 4 });
		expect(view.history.days.filter((d) => d.visits > 0)).toEqual([
			{ date: '2026-11-09', visits: 1 },
			{ date: '2026-11-21', visits: 1 },
			{ date: '2026-11-22', visits: 4 }
		]);
		expect(view.today).toMatchObject({ visits: 4, services: 2, openPositions: 1 });
		expect(view.services).toEqual([
			{ kind: 'policy_consultation', n: 2 },
			{ kind: 'legal_consultation', n: 1 }
		]);
	});

	it('lists positions open and in review first, fairs, rooms and displays with their health', async () => {
		const view = await stationOverview(ctx, gz, stationId);
		expect(view.positions.list.map((p) => p.state)).toEqual(['open', 'pending_review', 'draft', 'filled', 'closed']);
		expect(view.positions.total).toBe(5);
		expect(view.fairs.upcoming.map((f) => [f.title, f.booths, f.signIns])).toEqual([
			['正在进行的招聘会', 0, 0],
			['明天的招聘会', 1, 0]
		]);
		expect(view.fairs.recent.map((f) => [f.title, f.signIns])).toEqual([['昨天的招聘会', 1]]);
		expect(view.rooms.current.map((r) => [r.title, r.state, r.host])).toEqual([
			['正在直播', 'live', '顺达物流'],
			['明天直播', 'scheduled', '顺达物流']
		]);
		expect(view.rooms.recent.map((r) => r.title)).toEqual(['昨天的直播']);
		expect(view.displays.map((d) => [d.label, d.health])).toEqual([
			['大厅屏', 'online'],
			['门口屏', 'offline'],
			['新屏', 'never'],
			['旧屏', 'revoked']
		]);
		// Nothing about any seeker, and no device secrets.
		const text = JSON.stringify(view);
		expect(text).not.toContain('张三丰');
		expect(text).not.toContain('13912345678');
		expect(text).not.toMatch(/seekerId|tokenHash|phone/);
	});

	it('is readable by the covering supervisor, an administrator and the station’s staff only', async () => {
		await expect(stationOverview(ctx, admin, stationId)).resolves.toBeTruthy();
		await expect(stationOverview(ctx, staff, stationId)).resolves.toBeTruthy();
		await expect(stationOverview(ctx, sz, stationId)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(stationOverview(ctx, otherStaff, stationId)).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('answers the map panel with the compact figures', async () => {
		const panel = await stationPanel(ctx, gz, String(stationId));
		expect(panel).toEqual({
			id: stationId,
			name: '五山驿站',
			kind: 'community',
			state: 'open',
			leadOrganisation: expect.any(String),
			regionCode: '440106001001',
			regionZh: '华工社区',
			regionEn: 'Huagong',
			occupancy: 0,
			capacity: 30,
			openPositions: 1,
			visitsToday: 4,
			servicesToday: 2,
			upcomingFairs: 2,
			rooms: 2,
			roomsLive: 1,
			displaysOnline: 1,
			displaysTotal: 3,
			at: NOW.toISOString()
		});
		const other = await stationPanel(ctx, sz, otherStationId);
		expect(other).toMatchObject({ visitsToday: 1, servicesToday: 1, upcomingFairs: 1, rooms: 1, roomsLive: 1, displaysOnline: 1, displaysTotal: 1, openPositions: 0 });
	});

	it('refuses the panel out of scope (403), for unknown stations (404) and bad ids (400 naming stationId)', async () => {
		const respond = (actor: Actor, id: string) => jsonOrError(() => stationPanel(ctx, actor, id), { headers: { 'cache-control': 'no-store' } });
		const ok = await respond(staff, String(stationId));
		expect(ok.status).toBe(200);
		expect(ok.headers.get('cache-control')).toBe('no-store');
		expect(((await ok.json()) as { name: string }).name).toBe('五山驿站');

		const outOfScope = await respond(sz, String(stationId));
		expect(outOfScope.status).toBe(403);
		expect(outOfScope.headers.get('cache-control')).toBe('no-store');
		expect(await outOfScope.json()).toMatchObject({ code: 'forbidden' });
		expect((await respond(otherStaff, String(stationId))).status).toBe(403);
		expect((await respond((await signIn(app.ctx.db, 'seeker')).actor, String(stationId))).status).toBe(403);

		const unknown = await respond(gz, '999999');
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toMatchObject({ code: 'not_found', reason: 'station_not_found' });

		for (const bad of ['abc', '0', '-1', '1.5', '']) {
			const response = await respond(gz, bad);
			expect(response.status, bad).toBe(400);
			expect(await response.json()).toMatchObject({ code: 'invalid', fields: { stationId: expect.any(String) } });
		}
	});
});
