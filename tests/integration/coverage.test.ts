/**
 * Coverage per county: stations against quota, communities inside or outside every station circle, scope
 * refusals, filters, and the CSV export read back the way a spreadsheet would.
 *
 * The map (distances from the haversine formula, metres):
 *   Guangzhou 4401 > Tianhe 440106 (quota 2) — communities A, B, C, D, H; stations S1 (open), S2 (offline)
 *                  > Yuexiu 440104 (quota 1) — communities E, F; stations S3 (closed), S4 (offline, at F)
 *   Foshan 4406    > Chancheng 440604 (quota 2) — community G; stations S5 (mobile, parked by C), S6
 *   A: S1 0 · B: S3 818 (a Yuexiu circle covers a Tianhe community) · C: S5 511 (a Foshan circle), S1 5560
 *   D: nothing within 20 km · H: S5 4599, S1 6901 · E: S3 0 · F: S4 0 but offline, S1 6902, S3 8903 · G: S6 0
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/actor';
import { csvResponse } from '../../src/lib/server/csv';
import { regions } from '../../src/lib/server/db/schema';
import { coverageCsv } from '../../src/lib/server/exports/coverage';
import { type CoverageReport, coverageFiltersFrom, coverageOptions, coverageReport } from '../../src/lib/server/queries/coverage';
import { type TestApp, startTestApp } from '../helpers/app';
import { driverName } from '../helpers/db';
import { makeOrganisation, makeStation, signIn } from '../helpers/fixtures';

/** RFC 4180, as a spreadsheet reads it: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	const endCell = () => {
		row.push(cell);
		cell = '';
	};
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') endCell();
		else if (ch === '\r' && text[i + 1] === '\n') {
			endCell();
			rows.push(row);
			row = [];
			i++;
		} else cell += ch;
	}
	if (cell || row.length) throw new Error('CSV does not end with CRLF');
	return rows;
}

/** The interesting part of a county, for exact comparison. */
const brief = (r: CoverageReport) =>
	r.counties.map((c) => ({
		code: c.code,
		stations: c.stations,
		counted: c.counted,
		quota: c.quota,
		gap: c.gap,
		met: c.met,
		communities: c.communities,
		uncovered: c.uncovered.map((u) => [u.code, u.nearestKm])
	}));

describe(`coverage on ${driverName}`, () => {
	let app: TestApp;
	let gz: Actor;
	let tianheOnly: Actor;
	let admin: Actor;
	let yuexiuHr: number;
	const F_NAME = '和平"东",西社区';

	beforeAll(async () => {
		app = await startTestApp();
		const db = app.ctx.db;
		const community = (code: string, nameZh: string, lat: number, lng: number) => ({ code, parentCode: code.slice(0, 9), level: 'community' as const, nameZh, nameEn: `${nameZh} (en)`, lat, lng });
		await db.insert(regions).values([
			{ code: '44', level: 'province', nameZh: '广东省', nameEn: 'Guangdong', lat: 23.13, lng: 113.26 },
			{ code: '4401', parentCode: '44', level: 'city', nameZh: '广州市', nameEn: 'Guangzhou', lat: 23.13, lng: 113.26 },
			{ code: '4406', parentCode: '44', level: 'city', nameZh: '佛山市', nameEn: 'Foshan', lat: 23.02, lng: 113.12 },
			{ code: '440106', parentCode: '4401', level: 'county', nameZh: '天河区', nameEn: 'Tianhe', lat: 23.12, lng: 113.36, stationQuota: 2 },
			{ code: '440104', parentCode: '4401', level: 'county', nameZh: '越秀区', nameEn: 'Yuexiu', lat: 23.13, lng: 113.27, stationQuota: 1 },
			{ code: '440604', parentCode: '4406', level: 'county', nameZh: '禅城区', nameEn: 'Chancheng', lat: 23.02, lng: 113.12, stationQuota: 2 },
			{ code: '440106001', parentCode: '440106', level: 'street', nameZh: '五山街道', nameEn: 'Wushan', lat: 23.15, lng: 113.35 },
			{ code: '440106002', parentCode: '440106', level: 'street', nameZh: '石牌街道', nameEn: 'Shipai', lat: 23.2, lng: 113.3 },
			{ code: '440104001', parentCode: '440104', level: 'street', nameZh: '北京街道', nameEn: 'Beijing Road', lat: 23.13, lng: 113.3 },
			{ code: '440604001', parentCode: '440604', level: 'street', nameZh: '祖庙街道', nameEn: 'Zumiao', lat: 23.02, lng: 113.12 },
			community('440106001001', 'A社区', 23.15, 113.34),
			community('440106001002', 'B社区', 23.15, 113.36),
			community('440106001003', 'C社区', 23.2, 113.34),
			community('440106001004', 'D社区', 23.6, 113.34),
			community('440106002001', 'H社区', 23.2, 113.3),
			community('440104001001', 'E社区', 23.15, 113.368),
			community('440104001002', F_NAME, 23.1, 113.3),
			community('440604001001', 'G社区', 23.02, 113.12)
		]);
		const org = (name: string, kind: 'hr_department' | 'trade_union' | 'service_agency', regionCode: string) => makeOrganisation(db, { name, kind, regionCode });
		const [tianheHr, tianheUnion, yuexiu, agency, foshanHr] = await Promise.all([
			org('天河区人社局', 'hr_department', '440106'),
			org('天河区总工会', 'trade_union', '440106'),
			org('越秀区人社局', 'hr_department', '440104'),
			org('南粤人力资源', 'service_agency', '44'),
			org('禅城区人社局', 'hr_department', '440604')
		]);
		yuexiuHr = yuexiu.id;
		const station = (values: Parameters<typeof makeStation>[1]) => makeStation(db, { radiusM: 1200, ...values });
		await station({ name: 'S1', kind: 'community', leadOrganisationId: tianheHr.id, regionCode: '440106001001', lat: 23.15, lng: 113.34 });
		// Registered at county level (no community code): still Tianhe's.
		await station({ name: 'S2', kind: 'odd_job', leadOrganisationId: tianheUnion.id, regionCode: '440106', lat: 23.3, lng: 113.34, state: 'offline' });
		await station({ name: 'S3', kind: 'community', leadOrganisationId: yuexiu.id, regionCode: '440104001001', lat: 23.15, lng: 113.368, state: 'closed' });
		await station({ name: 'S4', kind: 'industrial_park', leadOrganisationId: yuexiu.id, regionCode: '440104001002', lat: 23.1, lng: 113.3, state: 'offline' });
		await station({ name: 'S5', kind: 'mobile', leadOrganisationId: agency.id, regionCode: '440604001001', lat: 23.2, lng: 113.345, radiusM: 2000 });
		await station({ name: 'S6', kind: 'community', leadOrganisationId: foshanHr.id, regionCode: '440604001001', lat: 23.02, lng: 113.12 });
		gz = (await signIn(db, 'supervisor', { regionCode: '4401' })).actor;
		tianheOnly = (await signIn(db, 'supervisor', { regionCode: '440106' })).actor;
		admin = (await signIn(db, 'admin')).actor;
	});
	afterAll(async () => {
		await app?.close();
	});

	it('counts stations against quota and finds the communities no circle covers, worst county first', async () => {
		const report = await coverageReport(app.ctx, gz, {});
		expect(brief(report)).toEqual([
			// S2 is offline: on the books, not in the count. B is covered from Yuexiu, C by a Foshan station.
			{ code: '440106', stations: 2, counted: 1, quota: 2, gap: 1, met: false, communities: 5, uncovered: [['440106001004', null], ['440106002001', 4.6]] },
			// S3 is closed, not offline: it counts and covers. F sits on S4, which is offline.
			{ code: '440104', stations: 2, counted: 1, quota: 1, gap: 0, met: true, communities: 2, uncovered: [['440104001002', 6.9]] }
		]);
		expect(report.summary).toEqual({ counties: 2, countiesMet: 1, communities: 7, uncoveredCommunities: 3 });
		expect(report.region).toMatchObject({ code: '4401', nameZh: '广州市' });
		expect(report.counties[0]).toMatchObject({ nameZh: '天河区', cityZh: '广州市', cityEn: 'Guangzhou' });
		expect(report.counties[1].uncovered[0]).toMatchObject({ nameZh: F_NAME });
	});

	it('applies the kind and lead-organisation filters to the stations that count and the stations that cover', async () => {
		const community = await coverageReport(app.ctx, gz, { kind: 'community' });
		expect(brief(community)).toEqual([
			// Without the mobile S5, C is uncovered again (S1 is 5.6 km away).
			{ code: '440106', stations: 1, counted: 1, quota: 2, gap: 1, met: false, communities: 5, uncovered: [['440106001003', 5.6], ['440106001004', null], ['440106002001', 6.9]] },
			{ code: '440104', stations: 1, counted: 1, quota: 1, gap: 0, met: true, communities: 2, uncovered: [['440104001002', 6.9]] }
		]);
		// No odd-job station serves at all: every community is uncovered, none has a nearest station.
		const oddJob = await coverageReport(app.ctx, gz, { kind: 'odd_job' });
		expect(brief(oddJob).map((c) => [c.code, c.stations, c.counted, c.gap, c.uncovered.length])).toEqual([
			['440106', 1, 0, 2, 5],
			['440104', 0, 0, 1, 2]
		]);
		expect(oddJob.counties.flatMap((c) => c.uncovered.map((u) => u.nearestKm))).toEqual([null, null, null, null, null, null, null]);
		expect(oddJob.summary).toMatchObject({ countiesMet: 0, uncoveredCommunities: 7 });

		const byOrg = await coverageReport(app.ctx, gz, { org: yuexiuHr });
		expect(brief(byOrg)).toEqual([
			{ code: '440106', stations: 0, counted: 0, quota: 2, gap: 2, met: false, communities: 5, uncovered: [['440106001001', 2.9], ['440106001003', 6.3], ['440106001004', null], ['440106002001', 8.9]] },
			{ code: '440104', stations: 2, counted: 1, quota: 1, gap: 0, met: true, communities: 2, uncovered: [['440104001002', 8.9]] }
		]);
	});

	it('narrows to a region under the scope; the whole province for an administrator', async () => {
		const yuexiu = await coverageReport(app.ctx, gz, coverageFiltersFrom(new URLSearchParams('region=440104&kind=&org=')));
		expect(yuexiu.counties.map((c) => c.code)).toEqual(['440104']);
		// The nearest station may lie outside the region asked about.
		expect(yuexiu.counties[0].uncovered).toEqual([{ code: '440104001002', nameZh: F_NAME, nameEn: `${F_NAME} (en)`, nearestKm: 6.9 }]);
		expect(yuexiu.summary).toEqual({ counties: 1, countiesMet: 1, communities: 2, uncoveredCommunities: 1 });

		const all = await coverageReport(app.ctx, admin, {});
		expect(all.region).toBeNull();
		expect(brief(all).map((c) => [c.code, c.stations, c.counted, c.gap, c.uncovered.length])).toEqual([
			['440106', 2, 1, 1, 2],
			['440104', 2, 1, 0, 1],
			['440604', 2, 2, 0, 0]
		]);
		expect(all.summary).toEqual({ counties: 3, countiesMet: 2, communities: 8, uncoveredCommunities: 3 });

		const county = await coverageReport(app.ctx, tianheOnly, {});
		expect(county.counties.map((c) => c.code)).toEqual(['440106']);
	});

	it('refuses regions outside the scope and other roles, and names the bad parameter', async () => {
		await expect(coverageReport(app.ctx, gz, { region: '4406' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(coverageReport(app.ctx, tianheOnly, { region: '440104' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(coverageReport(app.ctx, tianheOnly, { region: '4401' })).rejects.toMatchObject({ code: 'forbidden' });
		// Staff of a station outside every county and far from every community, so the figures above stay put.
		const staff = (await signIn(app.ctx.db, 'staff', { stationId: (await makeStation(app.ctx.db, { regionCode: '4406', lat: 30, lng: 120, state: 'offline' })).id })).actor;
		await expect(coverageReport(app.ctx, staff, {})).rejects.toMatchObject({ code: 'forbidden' });
		await expect(coverageReport(app.ctx, (await signIn(app.ctx.db, 'seeker')).actor, {})).rejects.toMatchObject({ code: 'forbidden' });
		await expect(coverageOptions(app.ctx, staff)).rejects.toMatchObject({ code: 'forbidden' });

		const fieldOf = (params: string) =>
			Promise.resolve()
				.then(() => coverageReport(app.ctx, admin, coverageFiltersFrom(new URLSearchParams(params))))
				.then(
					() => null,
					(e) => ({ status: e.status, fields: e.fields })
				);
		expect(await fieldOf('kind=spaceship')).toEqual({ status: 400, fields: { kind: 'station_kind' } });
		expect(await fieldOf('org=abc')).toMatchObject({ status: 400, fields: { org: expect.any(String) } });
		expect(await fieldOf('org=999999')).toEqual({ status: 400, fields: { org: 'unknown_organisation' } });
		expect(await fieldOf('region=44a')).toEqual({ status: 400, fields: { region: 'region_code' } });
		expect(await fieldOf('region=4499')).toEqual({ status: 400, fields: { region: 'unknown_region' } });
		expect(await fieldOf('region=440106001')).toEqual({ status: 400, fields: { region: 'region_level' } });
	});

	it('offers the cities and counties in scope and the lead organisations of its stations', async () => {
		const options = await coverageOptions(app.ctx, gz);
		expect(options.regions.map((r) => r.code)).toEqual(['4401', '440104', '440106']);
		expect(options.organisations.map((o) => o.name).sort()).toEqual(['天河区人社局', '天河区总工会', '越秀区人社局'].sort());
		expect(options.kinds).toContain('outdoor_worker');
	});

	it('exports one CSV row per county that Excel opens in Chinese, with headers in the reader’s language', async () => {
		const report = await coverageReport(app.ctx, gz, {});
		const now = new Date('2026-11-21T17:30:00Z'); // 01:30 on the 22nd in Beijing
		const { filename, body } = coverageCsv(report, 'zh-CN', now);
		expect(filename).toBe('coverage-4401-2026-11-22.csv');
		expect(body.startsWith('\uFEFF')).toBe(true);
		const bytes = Buffer.from(body, 'utf8');
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = parseCsv(body.slice(1));
		expect(rows).toEqual([
			['区县代码', '区县', '所属城市', '驿站数', '计入配额', '配额', '缺口', '社区数', '未覆盖社区数', '未覆盖社区'],
			['440106', '天河区', '广州市', '2', '1', '2', '1', '5', '2', 'D社区、H社区'],
			['440104', '越秀区', '广州市', '2', '1', '1', '0', '2', '1', F_NAME]
		]);

		const english = coverageCsv(report, 'en', now);
		expect(parseCsv(english.body.slice(1))[0]).toEqual(['County code', 'County', 'City', 'Stations', 'Counted', 'Quota', 'Gap', 'Communities', 'Uncovered communities', 'Uncovered community names']);
		expect(parseCsv(english.body.slice(1))[1].slice(1, 3)).toEqual(['Tianhe', 'Guangzhou']);

		const response = csvResponse(body, filename);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="coverage-4401-2026-11-22.csv"');
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(new Uint8Array(await response.arrayBuffer()).subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));

		const all = coverageCsv(await coverageReport(app.ctx, admin, { kind: 'community' }), 'zh-CN', now);
		expect(all.filename).toBe('coverage-all-2026-11-22.csv');
		expect(parseCsv(all.body.slice(1))).toHaveLength(4);
	});
});
