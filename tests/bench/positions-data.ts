/**
 * Positions for the desk and board suites, made in one INSERT … SELECT generate_series (a million rows in
 * seconds, not a million round trips), on top of the ops scope (Guangdong, its districts and stations).
 *
 * What the rows look like, so that searches on them cost what they would in production:
 * - placed around the stations (each within about ±3 km of one), so a station's circle holds dozens;
 * - titles from a list of common jobs with a qualifier, so a word like 分拣 matches about 1 in 40 rows,
 *   and a rare title (`RARE_TITLE`) in 1 row of 20,000, the case where walking the newest-first index
 *   until a page is full would read most of the table;
 * - kinds, pay units and pay ranges of the kind a province's job board has (odd jobs with a work window
 *   today or tomorrow), 80 % open, the rest filled, closed, expired or still in review;
 * - published over the last 90 days in the order they were created (a few hours of review jitter), as a live
 *   table fills, so the table's pages follow publication time the way they do in production;
 * - owned by the station that collected them or by one of a few employers.
 * Deterministic: `setseed` fixes every random() here.
 *
 * Loading is a bulk load: the secondary indexes are dropped and rebuilt afterwards from their own
 * definitions (so the end state is exactly what the migrations made), and foreign-key triggers are off for
 * the one INSERT (session_replication_role; every reference is to a row that exists by construction).
 */
import type postgres from 'postgres';

/** Common job titles: a search for one of their words matches a few percent of all positions. */
export const TITLES = [
	'仓库分拣员', '快递配送员', '外卖骑手', '餐厅服务员', '厨房帮工', '保洁员', '保安员', '叉车司机', '电子厂普工', '包装工',
	'装配工', '质检员', '收银员', '理货员', '客服专员', '销售代表', '文员', '前台接待', '家政服务员', '育婴员',
	'养老护理员', '水电工', '焊工', '木工', '油漆工', '钢筋工', '搬运工', '货车司机', '网约车司机', '缝纫工',
	'面点师', '厨师', '美容师', '理发师', '物业管理员', '绿化工', '环卫工', '社区网格员', '直播带货助理', '数据标注员'
] as const;
const QUALIFIERS = ['', '（长期）', '（包吃住）', '急招', '（日结）', '（双休）', '（夜班）', '（学徒）'];
/** One position in RARE_EVERY carries this title: the needle a word search must find without reading the haystack. */
export const RARE_TITLE = '无人机植保飞手';
export const RARE_EVERY = 20_000;

export interface PositionsData {
	positions: number;
	open: number;
	/** Open stations with their circle, for "near a station" searches and boards. */
	stations: { id: number; lat: number; lng: number; radiusM: number }[];
	employerIds: number[];
}

export async function seedPositions(pool: postgres.Sql, count: number): Promise<PositionsData> {
	// One connection throughout: setseed and the session settings below belong to it.
	const sql = await pool.reserve();
	try {
		return await load(sql, count);
	} finally {
		sql.release();
	}
}

async function load(sql: postgres.ReservedSql, count: number): Promise<PositionsData> {
	await sql`select setseed(0.1844)`;
	const employers = await sql<{ id: number }[]>`
		insert into organisations (name, kind, region_code)
		select '基准企业 ' || i, 'employer', '44' from generate_series(1, 20) i
		returning id`;
	const employerIds = employers.map((e) => e.id);
	const [{ stationCount }] = await sql<{ stationCount: number }[]>`select count(*)::int as "stationCount" from stations`;
	if (!stationCount) throw new Error('seedPositions: no stations to place positions around');
	const indexes = await sql<{ name: string; def: string }[]>`
		select i.indexname as name, i.indexdef as def from pg_indexes i
		where i.schemaname = current_schema() and i.tablename = 'positions'
			and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
	await sql`begin`;
	try {
		for (const { name } of indexes) await sql.unsafe(`drop index "${name}"`);
		await sql`set local session_replication_role = replica`;
		// One statement for every position: station k = i mod n, a spread of ±0.03° (about 3 km) around it.
		await sql`
		with s as (
			select id, region_code, lat, lng, row_number() over (order by id) - 1 as k from stations
		), p as (
			-- k computed here from a constant, so the join with s is a hash join (not n × stations comparisons).
			select i, i % ${stationCount} as k, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6
			from generate_series(1, ${count}) i
		), q as (
			select p.*, s.id as station_id, s.region_code, s.lat as slat, s.lng as slng,
				case when p.r1 < 0.5 then 'full_time' when p.r1 < 0.7 then 'part_time' when p.r1 < 0.9 then 'odd_job'
					when p.r1 < 0.95 then 'internship' else 'public_welfare' end::position_kind as kind,
				case when p.r2 < 0.8 then 'open' when p.r2 < 0.86 then 'filled' when p.r2 < 0.92 then 'closed'
					when p.r2 < 0.97 then 'expired' else 'pending_review' end::position_state as state,
				now() - (${count}::float8 - p.i) / ${count} * interval '90 days' - p.r3 * interval '6 hours' as published
			from p join s on s.k = p.k
		)
		insert into positions (title, category, kind, pay_min, pay_max, pay_unit, headcount, filled_count,
			employer_organisation_id, station_id, region_code, address, lat, lng, starts_at, ends_at, state,
			submitted_at, published_at, closed_at, created_at, updated_at)
		select
			case when q.i % ${RARE_EVERY} = 7 then ${RARE_TITLE}
				else (${TITLES as unknown as string[]}::text[])[1 + q.i % ${TITLES.length}] || (${QUALIFIERS}::text[])[1 + (q.i / ${TITLES.length}) % ${QUALIFIERS.length}] end,
			(array['logistics', 'catering', 'manufacturing', 'services', 'construction', 'care'])[1 + q.i % 6],
			q.kind,
			pay.lo, pay.lo + pay.span, pay.unit::pay_unit,
			1 + (q.i % 10), 0,
			case when q.i % 3 = 0 then null else (${employerIds}::int[])[1 + q.i % ${employerIds.length}] end,
			case when q.i % 3 = 0 or q.i % 2 = 0 then q.station_id end,
			q.region_code,
			q.region_code || ' 路 ' || (q.i % 500),
			least(25.5, greatest(20.5, q.slat + (q.r4 - 0.5) * 0.06)),
			least(117.5, greatest(109.5, q.slng + (q.r5 - 0.5) * 0.06)),
			case when q.kind = 'odd_job' then date_trunc('hour', now()) + (8 + floor(q.r6 * 40)) * interval '1 hour' end,
			case when q.kind = 'odd_job' then date_trunc('hour', now()) + (12 + floor(q.r6 * 40)) * interval '1 hour' end,
			q.state,
			q.published - interval '1 hour',
			case when q.state <> 'pending_review' then q.published end,
			case when q.state in ('filled', 'closed', 'expired') then q.published + interval '3 days' end,
			q.published - interval '2 hours',
			q.published
		from q
		cross join lateral (
			select
				case when q.kind in ('full_time', 'internship', 'public_welfare') then 'month' when q.kind = 'part_time' then 'hour' else 'day' end as unit,
				case when q.kind in ('full_time', 'internship', 'public_welfare') then 2500 + floor(q.r6 * 90) * 100
					when q.kind = 'part_time' then 18 + floor(q.r6 * 40) else 120 + floor(q.r6 * 30) * 10 end::int as lo,
				case when q.kind in ('full_time', 'internship', 'public_welfare') then 1000 + (q.i % 5) * 500
					when q.kind = 'part_time' then 5 + q.i % 10 else 20 + (q.i % 5) * 20 end::int as span
		) pay`;
		await sql`commit`;
	} catch (error) {
		await sql`rollback`;
		throw error;
	}
	await sql`set maintenance_work_mem = '256MB'`;
	for (const { def } of indexes) await sql.unsafe(def);
	await sql`reset maintenance_work_mem`;
	await sql`vacuum analyze positions`;
	const stationRows = await sql<{ id: number; lat: number; lng: number; radius_m: number }[]>`
		select id, lat, lng, radius_m from stations where state = 'open' order by id`;
	const [{ n, open }] = await sql<{ n: number; open: number }[]>`
		select count(*)::int as n, count(*) filter (where state = 'open')::int as open from positions`;
	return { positions: n, open, stations: stationRows.map((s) => ({ id: s.id, lat: s.lat, lng: s.lng, radiusM: s.radius_m })), employerIds };
}
