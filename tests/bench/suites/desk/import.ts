/**
 * desk.import_10k_s: importing 10,000 positions from a CSV file, report included, on PostgreSQL — as the
 * provincial platform does it: `POST /api/v1/positions/import` with the file as a `text/csv` body and an
 * organisation's API token, against the app as a real process (`node server.js`) on a fresh database.
 * Timed from the first byte sent to the last byte of the report read, so the figure holds the upload, CSV
 * parsing, every row's check (createPosition's own), the multi-row inserts, one `position.created` each
 * through the write path, the commit and the report. Each run imports a new file (new references) into
 * the same organisation, so later runs also check against the positions already there.
 *
 * Quick: one run. Full: three runs, the median. Every run must import all 10,000 rows with an empty
 * report, and the database must hold them afterwards; otherwise the run is marked failed.
 */
import postgres from 'postgres';
import { type Database, openDatabase } from '../../../../src/lib/server/db';
import { migrate } from '../../../../src/lib/server/db/migrate';
import { sha256 } from '../../../../src/lib/server/services/auth';
import { type ChildServer, freshDatabase, startApp } from '../../app-process';
import { type Figure, percentile } from '../../figures';
import { seedOpsScope } from '../../ops-data';

const ROWS = 10_000;
const TOKEN = 'jc_bench_import_0123456789abcdefghijklmnopqrstuvwxyz';

interface ImportOptions {
	quick: boolean;
	/** A database to use (it is migrated and seeded); by default a fresh `jc_bench_desk_import`. */
	databaseUrl?: string;
	note?: (message: string) => void;
	fail?: (message: string) => void;
}

/** A file as an employer's HR system exports it: Chinese headers, every kind, odd jobs with their hours. */
function csvFile(run: number, regionCodes: string[]) {
	const kinds = ['全职', '兼职', '零工', '实习', '公益性岗位'];
	const lines = ['外部编号,岗位名称,类别,用工形式,薪酬下限,薪酬上限,计薪单位,招聘人数,区划代码,地点,开始时间,结束时间,截止日期'];
	for (let i = 0; i < ROWS; i++) {
		const kind = kinds[i % kinds.length];
		const odd = kind === '零工';
		const day = `2030-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
		lines.push(
			[
				`BENCH-${run}-${i}`,
				`"基准岗位 ${run}-${i}，${odd ? '日结' : '长期'}"`,
				['仓储物流', '餐饮', '保洁', '安保', '制造'][i % 5],
				kind,
				odd ? 150 + (i % 100) : 3000 + (i % 5000),
				odd ? 300 + (i % 100) : 9000 + (i % 5000),
				odd ? '天' : '月',
				1 + (i % 20),
				regionCodes[i % regionCodes.length],
				`基准路 ${i} 号`,
				odd ? `${day} 08:00` : '',
				odd ? `${day} 17:00` : '',
				odd ? '' : '2030-12-31'
			].join(',')
		);
	}
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function measureImport(opts: ImportOptions): Promise<Figure[]> {
	const note = opts.note ?? ((message: string) => console.error(`desk import: ${message}`));
	const fail = opts.fail ?? ((message: string) => console.error(`desk import FAILED: ${message}`));
	const runs = opts.quick ? 1 : 3;
	const url = opts.databaseUrl ?? (await freshDatabase('jc_bench_desk_import'));
	let database: Database | null = null;
	let sql: postgres.Sql | null = null;
	let app: ChildServer | null = null;
	try {
		database = await openDatabase({ url, poolMax: 2 });
		await migrate(database);
		sql = postgres(url, { max: 2, onnotice: () => {} });
		const scope = await seedOpsScope(sql, 50);
		const counties = (await sql<{ code: string }[]>`select code from regions where level = 'county' order by code limit 24`).map((r) => r.code);
		const [org] = await sql<{ id: number }[]>`
			insert into organisations (name, kind, region_code) values ('基准导入物流有限公司', 'employer', ${counties[0]}) returning id`;
		await sql`
			insert into api_tokens (organisation_id, label, token_hash, created_by)
			values (${org.id}, '省平台（基准）', ${sha256(TOKEN)}, ${scope.admin.userId})`;
		app = await startApp(url);
		note(`app on ${app.url}; importing ${ROWS} rows × ${runs}`);

		const seconds: number[] = [];
		for (let run = 1; run <= runs; run++) {
			const body = csvFile(run, counties);
			const started = performance.now();
			const res = await fetch(`${app.url}/api/v1/positions/import?mode=all`, {
				method: 'POST',
				headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv; charset=utf-8' },
				body,
				signal: AbortSignal.timeout(120_000)
			});
			const report = (await res.json()) as { imported?: number; errors?: unknown[]; total?: number };
			const s = (performance.now() - started) / 1000;
			note(`run ${run}: ${(body.length / 1e6).toFixed(1)} MB, HTTP ${res.status}, imported ${report.imported}, ${s.toFixed(2)} s`);
			if (res.status !== 200 || report.imported !== ROWS || report.errors?.length) {
				fail(`import run ${run} answered ${res.status}: ${JSON.stringify(report).slice(0, 400)}`);
				continue;
			}
			seconds.push(s);
		}
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from positions where employer_organisation_id = ${org.id}`;
		const [{ e }] = await sql<{ e: number }[]>`select count(*)::int as e from events where type = 'position.created'`;
		if (n !== seconds.length * ROWS || e !== n) fail(`the database holds ${n} positions and ${e} position.created events after ${seconds.length} imports of ${ROWS}`);
		if (!seconds.length) return [];
		return [{ metric: 'desk.import_10k_s', value: percentile(seconds, 50), unit: 's', n: ROWS, goal: '<=10' }];
	} finally {
		await app?.stop();
		await sql?.end({ timeout: 2 });
		await database?.close();
	}
}
