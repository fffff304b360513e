/**
 * Bulk import of positions (issue 4, item 7): the exact per-row report, nothing written from a file with a
 * failing row unless the valid rows were chosen, Chinese and English headers, a BOM, JSON, the staff's
 * station scope, and 10,000 rows in one go (correctness only: the time is the bench's desk.import_10k_s).
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import type { AppContext } from '../../../src/lib/server/context';
import { events, positions } from '../../../src/lib/server/db/schema';
import { importAnswer } from '../../../src/lib/server/exchange/import';
import { apiAnswer } from '../../../src/lib/server/exchange/http';
import { createApiToken } from '../../../src/lib/server/services/api-tokens';
import { importExampleCsv, importPositions } from '../../../src/lib/server/services/position-import';
import { type TestApp, startTestApp } from '../../helpers/app';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';

let app: TestApp;
let ctx: AppContext;
let employer: Actor;
let orgId: number;
let staff: Actor;
let stationId: number;
let token: string;

const EN_HEADER = 'externalRef,title,category,kind,payMin,payMax,payUnit,headcount,regionCode,startsAt,endsAt';
const good = (ref: string, title = '分拣员') => `${ref},${title},warehouse,full_time,5000,7000,month,3,440106,,`;

async function countPositions() {
	const [row] = await app.db.database.db.select({ n: count() }).from(positions);
	return row.n;
}
async function countEvents() {
	const [row] = await app.db.database.db.select({ n: count() }).from(events);
	return row.n;
}

beforeAll(async () => {
	app = await startTestApp();
	ctx = app.ctx;
	const db = app.db.database.db;
	await seedRegions(db);
	orgId = (await makeOrganisation(db, { kind: 'employer', name: '导入公司', regionCode: '440106' })).id;
	employer = (await signIn(db, 'employer', { organisationId: orgId })).actor;
	stationId = (await makeStation(db, { name: '导入站' })).id;
	staff = (await signIn(db, 'staff', { stationId })).actor;
	const admin = (await signIn(db, 'admin')).actor;
	token = (await createApiToken(ctx, admin, { organisationId: orgId, label: '导入' })).token;
});
afterAll(async () => app?.close());

describe('importing positions', () => {
	const mixed = [
		EN_HEADER,
		good('M-1'),
		'M-2,,warehouse,full_time,5000,7000,month,3,440106,,', // row 3: no title
		good('M-3'),
		'M-4,司机,transport,odd_job,abc,300,day,1,440106,2030-06-01 08:00,', // row 5: pay not a number, odd job without an end
		'M-5,保安,security,full_time,6000,5000,monthly,2,999999,,', // row 6: pay to below pay from, unknown region
		'',
		good('M-1', '重复编号') // row 8: reference twice in the file
	].join('\r\n');

	it('reports every failing row with the field and the reason, and writes nothing in a dry run', async () => {
		const [positionsBefore, eventsBefore] = [await countPositions(), await countEvents()];
		const report = await importPositions(ctx, employer, { mode: 'check' }, mixed);
		expect(report).toMatchObject({ mode: 'check', format: 'csv', total: 6, valid: 2, invalid: 4, imported: 0, refused: false, errorsOmitted: 0 });
		// Row 5's odd job without an end is found once its pay is a number: the rules run on a row that parses.
		expect(report.errors).toEqual([
			{ row: 3, field: 'title', column: 'title', reason: 'required' },
			{ row: 5, field: 'payMin', column: 'payMin', reason: 'number' },
			{ row: 6, field: 'payMax', column: 'payMax', reason: 'below_pay_min' },
			{ row: 8, field: 'externalRef', column: 'externalRef', reason: 'duplicate_in_batch' }
		]);
		expect(await countPositions()).toBe(positionsBefore);
		expect(await countEvents()).toBe(eventsBefore);
	});

	it('refuses "import all" when a row fails: nothing written, the same report', async () => {
		const before = await countPositions();
		const report = await importPositions(ctx, employer, { mode: 'all' }, mixed);
		expect(report).toMatchObject({ refused: true, imported: 0, valid: 2, invalid: 4 });
		expect(await countPositions()).toBe(before);
	});

	it('imports only the valid rows when that was chosen, as drafts of the organisation, one event each', async () => {
		const [positionsBefore, eventsBefore] = [await countPositions(), await countEvents()];
		const report = await importPositions(ctx, employer, { mode: 'valid' }, mixed);
		expect(report).toMatchObject({ refused: false, imported: 2, valid: 2, invalid: 4 });
		expect(await countPositions()).toBe(positionsBefore + 2);
		expect(await countEvents()).toBe(eventsBefore + 2);
		const rows = await app.db.database.db.select().from(positions).where(eq(positions.externalRef, 'M-3'));
		expect(rows[0]).toMatchObject({ state: 'draft', employerOrganisationId: orgId, title: '分拣员', regionCode: '440106' });
	});

	it('imports a file whose rows all pass, and a second import of the same references fails them as taken', async () => {
		const file = [EN_HEADER, good('A-1'), good('A-2'), good('A-3')].join('\n') + '\n';
		const report = await importPositions(ctx, employer, { mode: 'all' }, file);
		expect(report).toMatchObject({ total: 3, valid: 3, invalid: 0, imported: 3, refused: false, errors: [] });
		const again = await importPositions(ctx, employer, { mode: 'check' }, file);
		expect(again.errors.map((e) => [e.row, e.field, e.reason])).toEqual([
			[2, 'externalRef', 'taken'],
			[3, 'externalRef', 'taken'],
			[4, 'externalRef', 'taken']
		]);
	});

	it('reads Chinese headers and values, Beijing times, a UTF-8 BOM, quoted cells and unknown columns', async () => {
		const file =
			'\uFEFF外部编号,岗位名称,类别,用工形式,薪酬下限,薪酬上限,计薪单位,招聘人数,区划代码,开始时间,结束时间,截止日期,备注\r\n' +
			'Z-1,"搬运工，日结",搬运,零工,200,260,天,5,440106,2030/6/1 8:00,2030-06-01 17:00,,"多行\n备注"\r\n' +
			"Z-2,'-夜班保安,安保,全职,5000,6000,元/月,2,440106,,,2030-12-31,\r\n";
		const report = await importPositions(ctx, employer, { mode: 'all' }, new TextEncoder().encode(file));
		expect(report).toMatchObject({ total: 2, imported: 2, errors: [], ignoredColumns: ['备注'] });
		const [oddJob] = await app.db.database.db.select().from(positions).where(eq(positions.externalRef, 'Z-1'));
		expect(oddJob).toMatchObject({ title: '搬运工，日结', kind: 'odd_job', payUnit: 'day', headcount: 5 });
		expect(oddJob.startsAt?.toISOString()).toBe('2030-06-01T00:00:00.000Z');
		expect(oddJob.endsAt?.toISOString()).toBe('2030-06-01T09:00:00.000Z');
		const [guard] = await app.db.database.db.select().from(positions).where(eq(positions.externalRef, 'Z-2'));
		// The export's formula guard is undone; an expiry day lasts to its end in Beijing time.
		expect(guard).toMatchObject({ title: '-夜班保安', kind: 'full_time', payUnit: 'month' });
		expect(guard.expiresAt?.toISOString()).toBe('2030-12-31T16:00:00.000Z');
	});

	it('names unreadable Chinese cells and missing columns', async () => {
		const bad = '岗位名称,类别,用工形式,薪酬下限,薪酬上限,计薪单位,招聘人数,开始时间\n保洁,保洁,长期工,3000,4000,周,1,明天\n';
		const report = await importPositions(ctx, employer, { mode: 'check' }, bad);
		expect(report.errors).toEqual(
			expect.arrayContaining([
				{ row: 2, field: 'kind', column: '用工形式', reason: 'kind' },
				{ row: 2, field: 'payUnit', column: '计薪单位', reason: 'pay_unit' },
				{ row: 2, field: 'startsAt', column: '开始时间', reason: 'date' }
			])
		);
		await expect(importPositions(ctx, employer, { mode: 'check' }, '岗位名称,类别\n保洁,保洁\n')).rejects.toMatchObject({
			reason: 'missing_columns',
			fields: { kind: 'missing_column', payMin: 'missing_column', headcount: 'missing_column' }
		});
		await expect(importPositions(ctx, employer, { mode: 'check' }, 'title\n"open')).rejects.toMatchObject({ fields: { file: 'csv_unclosed_quote' } });
		await expect(importPositions(ctx, employer, { mode: 'check' }, '')).rejects.toMatchObject({ fields: { file: 'file_empty' } });
		await expect(importPositions(ctx, employer, { mode: 'sometimes' }, 'x')).rejects.toMatchObject({ fields: { mode: 'mode' } });
	});

	it('reads GB18030 files as Excel on Chinese Windows saves them', async () => {
		// "岗位名称,类别,用工形式,薪酬下限,薪酬上限,计薪单位,招聘人数\n保洁,保洁,兼职,20,25,小时,1\n" in GB18030.
		const gbk = Buffer.from(
			'b8dacebbc3fbb3c62cc0e0b1f02cd3c3b9a4d0cecabd2cd0bdb3eacfc2cfde2cd0bdb3eac9cfcfde2cbcc6d0bdb5a5cebb2cd5d0c6b8c8cbcafd0ab1a3bde02cb1a3bde02cbce6d6b02c32302c32352cd0a1cab12c310a',
			'hex'
		);
		const report = await importPositions(ctx, employer, { mode: 'check' }, new Uint8Array(gbk));
		expect(report).toMatchObject({ total: 1, valid: 1, errors: [] });
	});

	it('takes JSON arrays with the API field names, numbering rows from 1', async () => {
		const body = JSON.stringify([
			{ externalRef: 'J-1', title: 'JSON 岗位', category: 'it', kind: 'internship', payMin: 3000, payMax: 4000, payUnit: 'month', headcount: 1 },
			{ externalRef: 'J-2', title: 'JSON 坏', category: 'it', kind: 'internship', payMin: '3000', payMax: 4000, payUnit: 'month', headcount: 1 },
			42
		]);
		const report = await importPositions(ctx, employer, { mode: 'check' }, body);
		expect(report).toMatchObject({ format: 'json', total: 3, valid: 1, invalid: 2 });
		expect(report.errors).toEqual([
			{ row: 2, field: 'payMin', column: null, reason: 'number' },
			{ row: 3, field: '_', column: null, reason: 'object' }
		]);
	});

	it('files staff imports under their own station only', async () => {
		const file = ['title,category,kind,payMin,payMax,payUnit,headcount', '站点 收银员,retail,part_time,20,25,hour,2'].join('\n');
		const report = await importPositions(ctx, staff, { mode: 'all', stationId }, file);
		expect(report.imported).toBe(1);
		const [row] = await app.db.database.db.select().from(positions).where(eq(positions.title, '站点 收银员'));
		expect(row).toMatchObject({ stationId, employerOrganisationId: null, state: 'draft' });
		await expect(importPositions(ctx, staff, { mode: 'all', stationId: stationId + 1000 }, file)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(importPositions(ctx, employer, { mode: 'all', stationId }, file)).rejects.toMatchObject({ code: 'forbidden' });
		const seeker: Actor = { kind: 'seeker', userId: 1, seekerId: 1 } as Actor;
		await expect(importPositions(ctx, seeker, { mode: 'check' }, file)).rejects.toMatchObject({ code: 'forbidden' });
	});

	it("refuses an employer's rows naming another organisation, by row", async () => {
		const other = await makeOrganisation(app.db.database.db, { kind: 'employer' });
		const file = ['title,category,kind,payMin,payMax,payUnit,headcount,employerOrganisationId', `别家,x,full_time,1,2,month,1,${other.id}`].join('\n');
		const report = await importPositions(ctx, employer, { mode: 'check' }, file);
		expect(report.errors).toEqual([{ row: 2, field: 'employerOrganisationId', column: 'employerOrganisationId', reason: 'not_your_organisation' }]);
	});

	it('reads back its own example file', async () => {
		for (const locale of ['zh-CN', 'en'] as const) {
			const report = await importPositions(ctx, employer, { mode: 'check' }, importExampleCsv(locale));
			expect(report, locale).toMatchObject({ total: 2, valid: 2, errors: [], ignoredColumns: [] });
		}
	});

	it('imports 10,000 rows in one go with one event each', async () => {
		const lines = [EN_HEADER];
		for (let i = 0; i < 10_000; i++) lines.push(`BULK-${i},批量岗位 ${i},warehouse,${i % 2 ? 'part_time' : 'full_time'},${3000 + i},${4000 + i},month,${1 + (i % 9)},440106,,`);
		const [positionsBefore, eventsBefore] = [await countPositions(), await countEvents()];
		const report = await importPositions(ctx, employer, { mode: 'all' }, lines.join('\n'));
		expect(report).toMatchObject({ total: 10_000, valid: 10_000, imported: 10_000, errors: [] });
		expect(await countPositions()).toBe(positionsBefore + 10_000);
		expect(await countEvents()).toBe(eventsBefore + 10_000);
		const [last] = await app.db.database.db.select().from(positions).where(eq(positions.externalRef, 'BULK-9999'));
		expect(last).toMatchObject({ title: '批量岗位 9999', payMin: 12999, headcount: 1 });
	}, 120_000);
});

describe('POST /api/v1/positions/import', () => {
	async function post(body: string, contentType: string, query = '') {
		const url = new URL(`http://api.test/api/v1/positions/import${query}`);
		const request = new Request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
		const res = await apiAnswer(ctx, request, (c, actor) => importAnswer(c, actor, request, url), (a) => (a.refused ? 422 : 200));
		return { status: res.status, body: await res.json() };
	}

	it('imports CSV and JSON bodies and answers with the report; a refused file is 422 with the report', async () => {
		const csv = await post([EN_HEADER, good('API-1')].join('\n'), 'text/csv; charset=utf-8');
		expect(csv).toMatchObject({ status: 200, body: { imported: 1, format: 'csv' } });
		const json = await post(JSON.stringify([{ title: 'x', category: 'y', kind: 'full_time', payMin: 1, payMax: 0, payUnit: 'month', headcount: 1 }]), 'application/json');
		expect(json.status).toBe(422);
		expect(json.body).toMatchObject({ code: 'invalid', reason: 'rows_invalid', refused: true, imported: 0, errors: [{ row: 1, field: 'payMax', reason: 'below_pay_min' }] });
		const check = await post([EN_HEADER, good('API-2')].join('\n'), 'text/csv', '?mode=check');
		expect(check).toMatchObject({ status: 200, body: { mode: 'check', imported: 0, valid: 1 } });
		expect((await post('{', 'application/json')).body).toMatchObject({ fields: { file: 'json_syntax' } });
		expect((await post('x', 'text/csv', '?mode=maybe')).body).toMatchObject({ fields: { mode: 'mode' } });
	});
});
