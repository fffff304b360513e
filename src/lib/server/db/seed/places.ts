/**
 * Places and the organisations behind them: the region tree (province > city > county > street >
 * community), HR departments and trade unions per county, service agencies, employers, and the stations.
 */
import { serviceKind, organisations, regions, stations } from '../schema';
import type { County, Organisation, Seeding, Station } from './context';
import { CITIES, COMMUNITY_NAMES, PROVINCE, STREET_NAMES } from './geography';
import { insertReturning, insertRows } from './insert';
import { COMPANY_PREFIX, FACILITIES, INDUSTRIES, STATION_KIND_SUFFIX } from './words';

type StationKind = Station['kind'];
type RegionRow = typeof regions.$inferInsert;

/** How often each kind appears: community stations are the backbone of the circle. */
const KIND_WEIGHTS: Array<[StationKind, number]> = [
	['community', 40],
	['industrial_park', 14],
	['transport_hub', 8],
	['mobile', 8],
	['online', 4],
	['odd_job', 13],
	['outdoor_worker', 13]
];

/** Station 1 (the demo staff's): Wushan street, Tianhe district, Guangzhou, at its real place. */
const WUSHAN = { countyCode: '440106', streetZh: '五山街道', lat: 23.1537, lng: 113.3469 };

export async function seedRegions(s: Seeding): Promise<County[]> {
	const { rnd } = s;
	const rows: RegionRow[] = [{ code: PROVINCE.code, parentCode: null, level: 'province', nameZh: PROVINCE.zh, nameEn: PROVINCE.en, lat: PROVINCE.lat, lng: PROVINCE.lng }];
	const counties: County[] = [];
	for (const city of CITIES) {
		rows.push({ code: city.code, parentCode: PROVINCE.code, level: 'city', nameZh: city.zh, nameEn: city.en, lat: city.lat, lng: city.lng });
		city.counties.forEach(([code, zh, en], ci) => {
			// The first district sits on the city centre; the others around it.
			const centre = ci === 0 ? { lat: city.lat, lng: city.lng } : rnd.near(city.lat, city.lng, 12_000);
			const quota = rnd.int(2, 4);
			rows.push({ code, parentCode: city.code, level: 'county', nameZh: zh, nameEn: en, lat: centre.lat, lng: centre.lng, stationQuota: quota });
			const county: County = { code, zh, en, cityZh: city.zh, ...centre, weight: city.weight / city.counties.length, quota, communities: [] };
			for (let st = 1; st <= 3; st++) {
				const streetCode = `${code}${String(st).padStart(3, '0')}`;
				const wushan = code === WUSHAN.countyCode && st === 1;
				const streetZh = wushan ? WUSHAN.streetZh : `${STREET_NAMES[(ci * 3 + st + Number(code.slice(-2))) % STREET_NAMES.length]}街道`;
				const sc = wushan ? { lat: WUSHAN.lat, lng: WUSHAN.lng } : rnd.near(centre.lat, centre.lng, 4000);
				rows.push({ code: streetCode, parentCode: code, level: 'street', nameZh: streetZh, nameEn: `${en} street ${st}`, lat: sc.lat, lng: sc.lng });
				for (let c = 1; c <= 2; c++) {
					const communityCode = `${streetCode}${String(c).padStart(3, '0')}`;
					const cc = rnd.near(sc.lat, sc.lng, 1200);
					const zhName = `${rnd.pick(COMMUNITY_NAMES)}社区`;
					rows.push({ code: communityCode, parentCode: streetCode, level: 'community', nameZh: zhName, nameEn: `${en} community ${st}-${c}`, lat: cc.lat, lng: cc.lng });
					county.communities.push({ code: communityCode, zh: zhName, streetZh, lat: cc.lat, lng: cc.lng });
				}
			}
			counties.push(county);
		});
	}
	await insertRows(s.tx, regions, rows);
	return counties;
}

export interface Organisations {
	leadOf: (countyCode: string, kind: 'hr_department' | 'trade_union') => Organisation;
	agencies: Organisation[];
	/** employers[0] is the demo employer (Guangzhou Shunda Logistics). */
	employers: Organisation[];
}

export async function seedOrganisations(s: Seeding, counties: County[]): Promise<Organisations> {
	const { rnd, tx } = s;
	const leads = await insertReturning<Organisation>(
		tx,
		organisations,
		counties.flatMap((c) => [
			{ name: `${c.cityZh}${c.zh}人力资源和社会保障局`, kind: 'hr_department' as const, regionCode: c.code },
			{ name: `${c.cityZh}${c.zh}总工会`, kind: 'trade_union' as const, regionCode: c.code }
		])
	);
	const byCounty = new Map(leads.map((o) => [`${o.regionCode}:${o.kind}`, o]));
	const agencies = await insertReturning<Organisation>(
		tx,
		organisations,
		['南粤人力资源服务有限公司', '智联就业服务中心', '众信劳务派遣有限公司', '乐业职业介绍所'].map((name) => ({ name, kind: 'service_agency', regionCode: '44' }))
	);
	const names = new Set<string>();
	const employerRows = [];
	for (let i = 0; employerRows.length < s.size.employers; i++) {
		const demo = i === 0;
		const city = demo ? CITIES[0] : rnd.weighted(CITIES.map((c) => [c, c.weight] as const));
		const [, suffix] = demo ? INDUSTRIES[0] : rnd.pick(INDUSTRIES);
		const name = `${city.zh.replace(/市$/, '')}${demo ? '顺达' : rnd.pick(COMPANY_PREFIX)}${suffix}`;
		if (names.has(name)) continue;
		names.add(name);
		employerRows.push({ name, kind: 'employer' as const, regionCode: city.code, contactPhone: `0${rnd.int(20, 769)}-${rnd.int(6000_0000, 8999_9999)}` });
	}
	const employers = await insertReturning<Organisation>(tx, organisations, employerRows);
	return { leadOf: (code, kind) => byCounty.get(`${code}:${kind}`)!, agencies, employers };
}

/**
 * Stations, spread over counties by the city's weight. Some counties deliberately stay one short of
 * their quota, so the coverage alert has something to show.
 */
export async function seedStations(s: Seeding, counties: County[], orgs: Organisations): Promise<Station[]> {
	const { rnd } = s;
	const rows: Array<typeof stations.$inferInsert> = [];
	const perCounty = new Map<string, number>();
	const names = new Set<string>();
	const add = (county: County, kind: StationKind, community = rnd.pick(county.communities)) => {
		const first = rows.length === 0;
		const at = first ? { lat: WUSHAN.lat, lng: WUSHAN.lng } : rnd.near(community.lat, community.lng, 600);
		const lead =
			kind === 'outdoor_worker' || (kind !== 'odd_job' && rnd.chance(0.25))
				? orgs.leadOf(county.code, 'trade_union')
				: (kind === 'online' || kind === 'mobile') && rnd.chance(0.4)
					? rnd.pick(orgs.agencies)
					: orgs.leadOf(county.code, 'hr_department');
		const prefix = kind === 'outdoor_worker' ? `${county.zh}总工会${community.streetZh}` : `${county.zh}${community.streetZh}`;
		// "天河区五山街道家门口就业服务站"; a second one in the same street is named after its community.
		let name = `${prefix}${STATION_KIND_SUFFIX[kind]}`;
		if (names.has(name)) name = `${prefix}${community.zh}${STATION_KIND_SUFFIX[kind]}`;
		for (let n = 2; names.has(name); n++) name = `${prefix}${community.zh}${STATION_KIND_SUFFIX[kind]}（${n}号点）`;
		names.add(name);
		rows.push({
			name,
			kind,
			leadOrganisationId: lead.id,
			regionCode: community.code,
			address: `${county.cityZh}${county.zh}${community.streetZh}${kind === 'transport_hub' ? '客运站' : ''}${rnd.int(1, 300)}号`,
			lat: at.lat,
			lng: at.lng,
			radiusM: kind === 'online' ? 10_000 : kind === 'transport_hub' ? 1500 : kind === 'mobile' ? 2000 : 1200,
			capacity: kind === 'online' ? 80 : kind === 'mobile' ? rnd.int(10, 20) : rnd.int(12, 80),
			openingHours: kind === 'outdoor_worker' ? '07:00-21:00' : kind === 'odd_job' ? '06:30-18:00' : kind === 'online' ? '00:00-24:00' : rnd.pick(['09:00-17:30', '08:30-17:30', '09:00-18:00']),
			services: serviceKind.enumValues.filter((_, i) => i < 2 || rnd.chance(0.55)),
			facilities: FACILITIES.filter(() => rnd.chance(kind === 'outdoor_worker' ? 0.75 : 0.35)),
			state: first ? 'open' : rnd.weighted([['open', 88], ['closed', 9], ['offline', 3]] as const)
		});
		perCounty.set(county.code, (perCounty.get(county.code) ?? 0) + 1);
	};
	const tianhe = counties.find((c) => c.code === WUSHAN.countyCode)!;
	add(tianhe, 'community', tianhe.communities[0]);
	const short = new Set(counties.filter((_, i) => i % 6 === 4).map((c) => c.code));
	const totalWeight = counties.reduce((sum, c) => sum + c.weight, 0);
	for (const county of counties) {
		const share = Math.max(1, Math.round((county.weight / totalWeight) * s.size.stations));
		const target = short.has(county.code) ? county.quota - 1 : Math.max(county.quota, share);
		while ((perCounty.get(county.code) ?? 0) < target && rows.length < s.size.stations) add(county, rnd.weighted(KIND_WEIGHTS));
	}
	const filling = counties.filter((c) => !short.has(c.code)).map((c) => [c, c.weight] as const);
	while (rows.length < s.size.stations) add(rnd.weighted(filling), rnd.weighted(KIND_WEIGHTS));
	// Every kind at least once, even in a small test province.
	for (const [kind] of KIND_WEIGHTS) if (!rows.some((r) => r.kind === kind)) add(rnd.weighted(filling), kind);
	return insertReturning<Station>(s.tx, stations, rows);
}
