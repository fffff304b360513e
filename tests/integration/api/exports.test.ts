/** The positions CSV: BOM, localised headers, only the actor's scope, refused for seekers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import { serviceRecords, visits } from '../../../src/lib/server/db/schema';
import { positionsCsv } from '../../../src/lib/server/exports/positions';
import { stationStatsCsv } from '../../../src/lib/server/exports/station-stats';
import { apply } from '../../../src/lib/server/services/applications';
import { serviceDateKey } from '../../../src/lib/time';
import { type TestApp, startTestApp } from '../../helpers/app';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

let app: TestApp;
let empA: Actor;
let stationId: number;
let otherStationId: number;

beforeAll(async () => {
	app = await startTestApp();
	const db = app.db.database.db;
	await seedRegions(db);
	const orgA = await makeOrganisation(db, { kind: 'employer' });
	const orgB = await makeOrganisation(db, { kind: 'employer' });
	empA = (await signIn(db, 'employer', { organisationId: orgA.id })).actor;
	const empB = (await signIn(db, 'employer', { organisationId: orgB.id })).actor;
	await openPosition(app.ctx, empA, { title: '甲, "分拣" 员' });
	await openPosition(app.ctx, empB, { title: '乙司机' });
	// Station statistics: inside the range (China days 2026-03-01..02) and just outside it.
	stationId = (await makeStation(db, { name: '统计站' })).id;
	otherStationId = (await makeStation(db, { name: '别的站' })).id;
	const at = (iso: string) => new Date(iso);
	await db.insert(visits).values([
		{ stationId, clientKey: 'visit-in-1', checkedInAt: at('2026-02-28T16:00:00Z') }, // 03-01 00:00 China
		{ stationId, clientKey: 'visit-in-2', checkedInAt: at('2026-03-02T15:59:00Z') },
		{ stationId, clientKey: 'visit-out-1', checkedInAt: at('2026-02-28T15:59:00Z') },
		{ stationId: otherStationId, clientKey: 'visit-other', checkedInAt: at('2026-03-01T04:00:00Z') }
	]);
	await db.insert(serviceRecords).values([{ stationId, kind: 'policy_consultation', clientKey: 'svc-in-1', at: at('2026-03-01T02:00:00Z') }]);
	const staff = (await signIn(db, 'staff', { stationId })).actor;
	const stationPosition = await openPosition(app.ctx, staff, { title: '站点岗位' });
	const seeker = await signIn(db, 'seeker');
	await apply(app.ctx, seeker.actor, { positionId: stationPosition.id, channel: 'web', clientKey: 'apply-stats-1' });
});
afterAll(async () => app?.close());

describe('positions CSV', () => {
	it("holds the employer's own positions only, with a BOM and Chinese headers", async () => {
		const { filename, body } = await positionsCsv(app.ctx, empA, 'zh-CN');
		expect(filename).toMatch(/^positions-\d{4}-\d{2}-\d{2}\.csv$/);
		expect(body.startsWith('\uFEFF编号,岗位名称,')).toBe(true);
		expect(body).toContain('"甲, ""分拣"" 员"');
		expect(body).not.toContain('乙司机');
		expect(body.trim().split('\r\n')).toHaveLength(2);
	});

	it('speaks English when asked, and an admin sees everything', async () => {
		const { body } = await positionsCsv(app.ctx, { kind: 'admin', userId: 1 }, 'en');
		expect(body.startsWith('\uFEFFID,Title,')).toBe(true);
		expect(body).toContain('乙司机');
	});

	it('is refused to seekers', async () => {
		await expect(positionsCsv(app.ctx, { kind: 'seeker', userId: 1, seekerId: 1 }, 'zh-CN')).rejects.toMatchObject({ code: 'forbidden' });
	});
});

describe('station statistics CSV', () => {
	it('counts visits, services and applications per station over China service days', async () => {
		const { filename, body } = await stationStatsCsv(app.ctx, { kind: 'admin', userId: 1 }, { from: '2026-03-01', to: '2026-03-02' }, 'zh-CN');
		expect(filename).toBe('station-stats-2026-03-01-2026-03-02.csv');
		expect(body.startsWith('\uFEFF编号,驿站,区划代码,到访人次,服务次数,投递数\r\n')).toBe(true);
		expect(body).toContain(`${stationId},统计站,440106001001,2,1,0`);
		expect(body).toContain(`${otherStationId},别的站,440106001001,1,0,0`);
		// The application was made just now: today's China service day.
		const today = serviceDateKey(new Date());
		const now = await stationStatsCsv(app.ctx, { kind: 'admin', userId: 1 }, { from: today, to: today }, 'en');
		expect(now.body).toContain(`${stationId},统计站,440106001001,0,0,1`);
	});

	it("staff see only their station; employers are refused; bad ranges name the field", async () => {
		const staff: Actor = { kind: 'staff', userId: 1, stationId };
		const { body } = await stationStatsCsv(app.ctx, staff, { from: '2026-03-01', to: '2026-03-02' }, 'zh-CN');
		expect(body).not.toContain('别的站');
		await expect(stationStatsCsv(app.ctx, empA, { from: '2026-03-01', to: '2026-03-02' }, 'zh-CN')).rejects.toMatchObject({ code: 'forbidden' });
		await expect(stationStatsCsv(app.ctx, staff, { from: '2026-3-1', to: '2026-03-02' }, 'zh-CN')).rejects.toMatchObject({ fields: { from: 'date_format' } });
		await expect(stationStatsCsv(app.ctx, staff, { from: '2026-03-02', to: '2026-03-01' }, 'zh-CN')).rejects.toMatchObject({ fields: { to: 'before_from' } });
		await expect(stationStatsCsv(app.ctx, staff, { from: '2024-01-01', to: '2026-03-01' }, 'zh-CN')).rejects.toMatchObject({ fields: { to: 'range_too_long' } });
		await expect(stationStatsCsv(app.ctx, staff, { from: '2026-13-45', to: '2026-03-01' }, 'zh-CN')).rejects.toMatchObject({ fields: { from: 'date' } });
	});
});
