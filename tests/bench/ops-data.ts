/**
 * The ops suite's scope, built in a handful of set-based statements (no row-by-row round trips): the
 * province of Guangdong (44) with its 21 cities and six districts each, three lead organisations, `count`
 * stations spread around their district centres over lat 21–25 / lng 110–117 (capacity 20–80, mostly open,
 * some closed or offline, occupancy anywhere from empty to full), a supervisor of the province (so every
 * station is in scope) and an administrator. Deterministic: `setseed` fixes every random() here.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { hashPassword } from '../../src/lib/server/services/auth';

/** Prefecture-level cities of Guangdong: code, name, centre. */
const CITIES: [string, string, string, number, number][] = [
	['4401', '广州市', 'Guangzhou', 23.13, 113.26],
	['4402', '韶关市', 'Shaoguan', 24.81, 113.6],
	['4403', '深圳市', 'Shenzhen', 22.54, 114.06],
	['4404', '珠海市', 'Zhuhai', 22.27, 113.58],
	['4405', '汕头市', 'Shantou', 23.35, 116.68],
	['4406', '佛山市', 'Foshan', 23.02, 113.12],
	['4407', '江门市', 'Jiangmen', 22.58, 113.08],
	['4408', '湛江市', 'Zhanjiang', 21.27, 110.36],
	['4409', '茂名市', 'Maoming', 21.66, 110.92],
	['4412', '肇庆市', 'Zhaoqing', 23.05, 112.47],
	['4413', '惠州市', 'Huizhou', 23.11, 114.42],
	['4414', '梅州市', 'Meizhou', 24.29, 116.12],
	['4415', '汕尾市', 'Shanwei', 22.79, 115.38],
	['4416', '河源市', 'Heyuan', 23.74, 114.7],
	['4417', '阳江市', 'Yangjiang', 21.86, 111.98],
	['4418', '清远市', 'Qingyuan', 23.68, 113.06],
	['4419', '东莞市', 'Dongguan', 23.02, 113.75],
	['4420', '中山市', 'Zhongshan', 22.52, 113.39],
	['4451', '潮州市', 'Chaozhou', 23.66, 116.62],
	['4452', '揭阳市', 'Jieyang', 23.55, 116.37],
	['4453', '云浮市', 'Yunfu', 22.92, 112.04]
];
const DISTRICTS_PER_CITY = 6;

export interface OpsScope {
	stations: number;
	supervisor: { username: string; password: string; userId: number };
	admin: { username: string; password: string; userId: number };
	/** Open stations with room for at least two more visitors, shuffled: where the stream checks people in. */
	roomyOpenStationIds: number[];
}

export async function seedOpsScope(sql: postgres.Sql, count: number): Promise<OpsScope> {
	await sql`select setseed(0.2024)`;
	await sql`
		insert into regions (code, parent_code, level, name_zh, name_en, lat, lng)
		values ('44', null, 'province', '广东省', 'Guangdong', 23.13, 113.26)`;
	await sql`
		insert into regions ${sql(
			CITIES.map(([code, zh, en, lat, lng]) => ({ code, parent_code: '44', level: 'city', name_zh: zh, name_en: en, lat, lng })),
			'code',
			'parent_code',
			'level',
			'name_zh',
			'name_en',
			'lat',
			'lng'
		)}`;
	// Districts around their city centre, kept inside the province's box.
	await sql`
		insert into regions (code, parent_code, level, name_zh, name_en, lat, lng, station_quota)
		select c.code || lpad(d::text, 2, '0'), c.code, 'county', c.name_zh || d || '区', c.name_en || ' District ' || d,
			least(24.9, greatest(21.1, c.lat + (random() - 0.5) * 0.8)),
			least(116.9, greatest(110.1, c.lng + (random() - 0.5) * 0.8)),
			2
		from regions c cross join generate_series(1, ${DISTRICTS_PER_CITY}) d
		where c.level = 'city'
		order by c.code, d`;
	const orgs = await sql<{ id: number }[]>`
		insert into organisations (name, kind, region_code)
		values ('广东省人力资源和社会保障厅', 'hr_department', '44'), ('广东省总工会', 'trade_union', '44'), ('南粤人力资源服务有限公司', 'service_agency', '44')
		returning id`;
	const orgIds = orgs.map((o) => o.id);
	// One statement for every station: district i mod n, a spread of about ±15 km around its centre.
	await sql`
		with d as (
			select code, lat, lng, row_number() over (order by code) - 1 as k, count(*) over () as n
			from regions where level = 'county'
		), s as (
			select i, 20 + floor(random() * 61)::int as capacity, random() as fill, random() as dlat, random() as dlng
			from generate_series(1, ${count}) i
		)
		insert into stations (name, kind, lead_organisation_id, region_code, address, lat, lng, radius_m, capacity, occupancy, state, services)
		select
			'就业驿站 ' || lpad(s.i::text, 5, '0'),
			(array['community', 'industrial_park', 'transport_hub', 'mobile', 'odd_job', 'outdoor_worker', 'community'])[1 + s.i % 7]::station_kind,
			(${orgIds}::int[])[1 + s.i % ${orgIds.length}],
			d.code,
			d.code || ' 号 ' || s.i,
			least(25, greatest(21, d.lat + (s.dlat - 0.5) * 0.3)),
			least(117, greatest(110, d.lng + (s.dlng - 0.5) * 0.3)),
			(array[800, 1200, 1200, 1500])[1 + s.i % 4],
			s.capacity,
			case when s.i % 20 = 0 or s.i % 10 = 3 then 0 else least(s.capacity, floor(s.fill * s.capacity * 1.1)::int) end,
			(case when s.i % 20 = 0 then 'offline' when s.i % 10 = 3 then 'closed' else 'open' end)::station_state,
			'{policy_consultation,job_registration,career_guidance}'
		from s join d on d.k = s.i % d.n`;
	await sql`analyze`;

	const password = () => randomBytes(12).toString('base64url');
	const supervisor = { username: 'bench-ops-supervisor', password: password(), userId: 0 };
	const admin = { username: 'bench-ops-admin', password: password(), userId: 0 };
	const [supervisorHash, adminHash] = await Promise.all([hashPassword(supervisor.password), hashPassword(admin.password)]);
	const users = await sql<{ id: number; role: string }[]>`
		insert into users (username, display_name, password_hash, role, region_code)
		values (${supervisor.username}, '省级督导（基准）', ${supervisorHash}, 'supervisor', '44'), (${admin.username}, '管理员（基准）', ${adminHash}, 'admin', null)
		returning id, role`;
	supervisor.userId = users.find((u) => u.role === 'supervisor')!.id;
	admin.userId = users.find((u) => u.role === 'admin')!.id;

	const roomy = await sql<{ id: number }[]>`
		select id from stations where state = 'open' and occupancy <= capacity - 2 order by md5(id::text)`;
	const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from stations`;
	return { stations: n, supervisor, admin, roomyOpenStationIds: roomy.map((r) => r.id) };
}
