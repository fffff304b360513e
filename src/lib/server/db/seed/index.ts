/**
 * The demo province: a realistic network so the product looks alive on first start (issue: foundation,
 * item 8). Deterministic (seeded PRNG), bulk-inserted in one transaction; the seed is bootstrapping, so
 * it writes rows directly, then appends one `demo.seeded` event through the write path so the log and
 * the relay have a well-defined start. Live traffic afterwards goes through the services (sim/).
 */
import { count, sql } from 'drizzle-orm';
import { startOfServiceDay } from '$lib/time';
import type { AppContext } from '../../context';
import type { Tx } from '../index';
import {
	applications,
	chatMessages,
	displays,
	fairBoothPositions,
	fairBooths,
	jobFairs,
	liveRoomPositions,
	liveRooms,
	organisations,
	positions,
	regions,
	seekers,
	serviceKind,
	serviceRecords,
	stations,
	users,
	visits
} from '../schema';
import { write } from '../../events/write';
import { hashPassword, sha256 } from '../../services/auth';
import { maskName } from '$lib/privacy';
import { DEMO_DISPLAY_TOKEN, DEMO_PASSWORD } from './demo-logins';
import { CITIES, COMMUNITY_NAMES, PROVINCE, STREET_NAMES } from './geography';
import { Random } from './random';
import { CATEGORIES, COMPANY_PREFIX, FACILITIES, GIVEN, INDUSTRIES, STATION_KIND_SUFFIX, SURNAMES } from './words';

export interface SeedSize {
	stations: number;
	employers: number;
	positions: number;
	seekers: number;
	applications: number;
}

export const DEMO_SIZE: SeedSize = { stations: 320, employers: 150, positions: 5500, seekers: 2000, applications: 3000 };

type StationKind = (typeof stations.$inferInsert)['kind'];
const KIND_WEIGHTS: Array<[StationKind, number]> = [
	['community', 40],
	['industrial_park', 14],
	['transport_hub', 8],
	['mobile', 8],
	['online', 4],
	['odd_job', 13],
	['outdoor_worker', 13]
];

/** Insert in chunks (parameter limits) and return the inserted rows. */
async function insertAll<T extends { id: number }>(
	tx: Tx,
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	table: any,
	rows: unknown[],
	chunk = 500
): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < rows.length; i += chunk) {
		out.push(...((await tx.insert(table).values(rows.slice(i, i + chunk)).returning()) as T[]));
	}
	return out;
}

async function insertPlain(tx: Tx, table: Parameters<Tx['insert']>[0], rows: unknown[], chunk = 1000) {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	for (let i = 0; i < rows.length; i += chunk) await tx.insert(table).values(rows.slice(i, i + chunk) as any);
}

export async function isSeeded(ctx: AppContext) {
	const [row] = await ctx.db.select({ n: count() }).from(regions);
	return row.n > 0;
}

export async function seedDemo(ctx: AppContext, size: SeedSize = DEMO_SIZE) {
	const rnd = new Random(20261122);
	const now = ctx.now();
	const today = startOfServiceDay(now);
	const hour = 3_600_000;
	const day = 24 * hour;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const personName = () => rnd.pick(SURNAMES) + rnd.pick(GIVEN);

	await ctx.db.transaction(async (tx) => {
		// ── regions ────────────────────────────────────────────────────────────────────────────────
		type RegionRow = typeof regions.$inferInsert;
		const regionRows: RegionRow[] = [{ code: PROVINCE.code, parentCode: null, level: 'province', nameZh: PROVINCE.zh, nameEn: PROVINCE.en, lat: PROVINCE.lat, lng: PROVINCE.lng }];
		interface County { code: string; zh: string; en: string; cityZh: string; lat: number; lng: number; weight: number; quota: number; communities: Array<{ code: string; zh: string; streetZh: string; lat: number; lng: number }> }
		const counties: County[] = [];
		for (const city of CITIES) {
			regionRows.push({ code: city.code, parentCode: PROVINCE.code, level: 'city', nameZh: city.zh, nameEn: city.en, lat: city.lat, lng: city.lng });
			city.counties.forEach(([code, zh, en], ci) => {
				const centre = ci === 0 ? { lat: city.lat, lng: city.lng } : rnd.near(city.lat, city.lng, 12_000);
				const quota = rnd.int(2, 4);
				regionRows.push({ code, parentCode: city.code, level: 'county', nameZh: zh, nameEn: en, lat: centre.lat, lng: centre.lng, stationQuota: quota });
				const county: County = { code, zh, en, cityZh: city.zh, ...centre, weight: city.weight / city.counties.length, quota, communities: [] };
				for (let s = 1; s <= 3; s++) {
					const streetCode = `${code}${String(s).padStart(3, '0')}`;
					const streetZh = `${STREET_NAMES[(ci * 3 + s + code.length) % STREET_NAMES.length]}街道`;
					const sc = code === '440106' && s === 1 ? { lat: 23.153, lng: 113.347 } : rnd.near(centre.lat, centre.lng, 4000);
					regionRows.push({ code: streetCode, parentCode: code, level: 'street', nameZh: code === '440106' && s === 1 ? '五山街道' : streetZh, nameEn: `Street ${s}`, lat: sc.lat, lng: sc.lng });
					for (let c = 1; c <= 2; c++) {
						const communityCode = `${streetCode}${String(c).padStart(3, '0')}`;
						const cc = rnd.near(sc.lat, sc.lng, 1200);
						const zhName = `${rnd.pick(COMMUNITY_NAMES)}社区`;
						regionRows.push({ code: communityCode, parentCode: streetCode, level: 'community', nameZh: zhName, nameEn: `Community ${s}-${c}`, lat: cc.lat, lng: cc.lng });
						county.communities.push({ code: communityCode, zh: zhName, streetZh: code === '440106' && s === 1 ? '五山街道' : streetZh, lat: cc.lat, lng: cc.lng });
					}
				}
				counties.push(county);
			});
		}
		await insertPlain(tx, regions, regionRows);

		// ── organisations ──────────────────────────────────────────────────────────────────────────
		const leadRows = counties.flatMap((c) => [
			{ name: `${c.zh}人力资源和社会保障局`, kind: 'hr_department' as const, regionCode: c.code },
			{ name: `${c.zh}总工会`, kind: 'trade_union' as const, regionCode: c.code }
		]);
		const leads = await insertAll<typeof organisations.$inferSelect>(tx, organisations, leadRows);
		const agencies = await insertAll<typeof organisations.$inferSelect>(
			tx,
			organisations,
			['南粤人力资源服务有限公司', '智联就业服务中心', '众信劳务派遣有限公司', '乐业职业介绍所'].map((name) => ({ name, kind: 'service_agency', regionCode: '44' }))
		);
		const leadOf = (countyCode: string, kind: 'hr_department' | 'trade_union') => leads.find((o) => o.regionCode === countyCode && o.kind === kind)!;
		const employerRows = Array.from({ length: size.employers }, (_, i) => {
			const city = i === 0 ? CITIES[0] : rnd.weighted(CITIES.map((c) => [c, c.weight] as const));
			const [industry, suffix] = i === 0 ? INDUSTRIES[0] : rnd.pick(INDUSTRIES);
			const prefix = i === 0 ? '顺达' : COMPANY_PREFIX[(i * 7) % COMPANY_PREFIX.length];
			void industry;
			return { name: `${city.zh.replace('市', '')}${prefix}${suffix}`, kind: 'employer' as const, regionCode: city.code, contactPhone: `020-${String(80000000 + i * 131).slice(0, 8)}` };
		});
		const employers = await insertAll<typeof organisations.$inferSelect>(tx, organisations, employerRows);

		// ── stations: the first is the demo staff's station (id 1, Wushan street, Tianhe) ─────────────
		// Counties get stations by weight, and some deliberately fewer than their quota.
		const tianhe = counties.find((c) => c.code === '440106')!;
		const shortCounties = new Set(counties.filter((_, i) => i % 6 === 4).map((c) => c.code));
		const stationRows: Array<typeof stations.$inferInsert> = [];
		const perCounty = new Map<string, number>();
		const addStation = (county: County, kind: StationKind, community = rnd.pick(county.communities)) => {
			const at = stationRows.length === 0 ? { lat: 23.1537, lng: 113.3469 } : rnd.near(community.lat, community.lng, 600);
			const lead = kind === 'outdoor_worker' || (kind !== 'odd_job' && rnd.chance(0.3)) ? leadOf(county.code, 'trade_union') : kind === 'online' && rnd.chance(0.5) ? rnd.pick(agencies) : leadOf(county.code, 'hr_department');
			const capacity = kind === 'online' ? 200 : kind === 'mobile' ? rnd.int(8, 15) : rnd.int(12, 80);
			stationRows.push({
				name: `${county.zh}${community.streetZh}${kind === 'community' ? community.zh : ''}${STATION_KIND_SUFFIX[kind]}`,
				kind,
				leadOrganisationId: lead.id,
				regionCode: community.code,
				address: `${county.cityZh}${county.zh}${community.streetZh}${rnd.int(1, 300)}号`,
				lat: at.lat,
				lng: at.lng,
				radiusM: kind === 'online' ? 5000 : kind === 'transport_hub' ? 1500 : 1200,
				capacity,
				openingHours: kind === 'outdoor_worker' ? '07:00-21:00' : kind === 'odd_job' ? '06:30-18:00' : '09:00-17:30',
				services: serviceKind.enumValues.filter(() => rnd.chance(0.6)),
				facilities: FACILITIES.filter(() => rnd.chance(kind === 'outdoor_worker' ? 0.7 : 0.35)),
				state: stationRows.length === 0 ? 'open' : rnd.weighted([['open', 88], ['closed', 9], ['offline', 3]] as const)
			});
			perCounty.set(county.code, (perCounty.get(county.code) ?? 0) + 1);
		};
		addStation(tianhe, 'community', tianhe.communities[0]);
		const totalWeight = counties.reduce((s, c) => s + c.weight, 0);
		for (const county of counties) {
			const share = Math.max(1, Math.round((county.weight / totalWeight) * size.stations));
			const target = shortCounties.has(county.code) ? Math.max(0, county.quota - 1) : Math.max(county.quota, share);
			while ((perCounty.get(county.code) ?? 0) < target && stationRows.length < size.stations) addStation(county, rnd.weighted(KIND_WEIGHTS));
		}
		while (stationRows.length < size.stations) {
			const county = rnd.weighted(counties.filter((c) => !shortCounties.has(c.code)).map((c) => [c, c.weight] as const));
			addStation(county, rnd.weighted(KIND_WEIGHTS));
		}
		const stationList = await insertAll<typeof stations.$inferSelect>(tx, stations, stationRows);

		// ── users: the demo logins, plus one staff user per station and one per employer (the simulator acts as them) ──
		const seekerRows = Array.from({ length: size.seekers }, (_, i) => {
			const home = rnd.pick(stationList);
			const at = rnd.near(home.lat, home.lng, 3000);
			return {
				name: personName(),
				// Unique by construction: the seeker's index sits in the middle of the number.
				phone: `1${rnd.pick([3, 5, 7, 8, 9])}${String(i).padStart(5, '0')}${String(rnd.int(0, 9999)).padStart(4, '0')}`,
				keyGroups: (['college_graduate', 'employment_difficulty', 'migrant_worker', 'flexible_worker', 'veteran', 'disabled'] as const).filter((_, k) => rnd.chance([0.2, 0.1, 0.3, 0.25, 0.04, 0.03][k])),
				skills: [rnd.pick(CATEGORIES).category],
				wantedCategories: [rnd.pick(CATEGORIES).category, rnd.pick(CATEGORIES).category],
				homeLat: at.lat,
				homeLng: at.lng,
				radiusM: rnd.pick([2000, 3000, 5000, 10000]),
				oddJobDays: [0, 1, 2, 3, 4, 5, 6].filter(() => rnd.chance(0.4)),
				consentAt: new Date(now.getTime() - rnd.int(1, 300) * day),
				registeredAtStationId: home.id
			};
		});
		const seekerList = await insertAll<typeof seekers.$inferSelect>(tx, seekers, seekerRows);
		const demoOrg = employers[0];
		const userRows: Array<typeof users.$inferInsert> = [
			{ username: 'admin', displayName: '系统管理员', passwordHash, role: 'admin' },
			{ username: 'supervisor', displayName: '省人社厅督导', passwordHash, role: 'supervisor', regionCode: '44' },
			{ username: 'supervisor.gz', displayName: '广州市人社局督导', passwordHash, role: 'supervisor', regionCode: '4401' },
			{ username: 'staff', displayName: '五山驿站 李敏', passwordHash, role: 'staff', stationId: stationList[0].id },
			{ username: 'employer', displayName: '顺达物流 招聘专员', passwordHash, role: 'employer', organisationId: demoOrg.id },
			{ username: 'seeker', displayName: seekerList[0].name!, passwordHash, role: 'seeker', seekerId: seekerList[0].id },
			...stationList.slice(1).map((s) => ({ username: `staff.${s.id}`, displayName: `驿站工作人员 ${s.id}`, passwordHash, role: 'staff' as const, stationId: s.id })),
			...employers.slice(1).map((o) => ({ username: `employer.${o.id}`, displayName: `${o.name} 招聘`, passwordHash, role: 'employer' as const, organisationId: o.id })),
			...seekerList.slice(1, 200).map((s) => ({ username: `seeker.${s.id}`, displayName: s.name!, passwordHash, role: 'seeker' as const, seekerId: s.id }))
		];
		const userList = await insertAll<typeof users.$inferSelect>(tx, users, userRows);
		const demoEmployerUser = userList.find((u) => u.username === 'employer')!;

		// ── positions: near stations, mostly open; odd jobs with windows today, tomorrow and this week ──
		const openStations = stationList.filter((s) => s.state === 'open');
		const positionRows: Array<typeof positions.$inferInsert> = [];
		for (let i = 0; i < size.positions; i++) {
			const fromStation = i % 4 === 3;
			const station = fromStation ? rnd.pick(openStations.filter((s) => s.kind === 'odd_job' || s.kind === 'outdoor_worker' || s.kind === 'community')) : rnd.pick(stationList);
			const employer = i < 40 ? demoOrg : rnd.pick(employers);
			const cat = rnd.pick(CATEGORIES);
			const kind = fromStation ? rnd.weighted([['odd_job', 80], ['part_time', 15], ['public_welfare', 5]] as const) : rnd.weighted([['full_time', 55], ['part_time', 15], ['odd_job', 22], ['internship', 6], ['public_welfare', 2]] as const);
			const at = rnd.near(station.lat, station.lng, fromStation ? 1500 : 4000);
			const odd = kind === 'odd_job';
			const unit = odd ? rnd.weighted([['day', 50], ['hour', 35], ['piece', 15]] as const) : kind === 'part_time' ? 'hour' : 'month';
			const [lo, hi] = unit === 'month' ? cat.monthly : unit === 'day' ? cat.daily : unit === 'hour' ? [Math.round(cat.daily[0] / 8), Math.round(cat.daily[1] / 8)] : [2, 8];
			const payMin = rnd.int(lo, Math.round((lo + hi) / 2));
			const state = i < 40 ? 'open' : rnd.weighted([['open', 85], ['pending_review', 5], ['draft', 3], ['filled', 4], ['closed', 3]] as const);
			const published = new Date(now.getTime() - rnd.int(10, 14 * 24 * 60) * 60_000);
			const start = odd ? new Date(today.getTime() + rnd.int(0, 6) * day + rnd.pick([7, 8, 9, 13, 14, 18]) * hour) : null;
			const headcount = odd ? rnd.int(1, 12) : rnd.int(1, 30);
			positionRows.push({
				title: rnd.pick(cat.titles),
				category: cat.category,
				kind,
				description: `${cat.titles[0]}等岗位，${odd ? '日结，现场签到' : '缴纳五险一金，包吃住可协商'}。`,
				payMin,
				payMax: rnd.int(payMin, hi),
				payUnit: unit,
				headcount,
				filledCount: state === 'filled' ? headcount : 0,
				employerOrganisationId: fromStation && rnd.chance(0.5) ? null : employer.id,
				stationId: fromStation ? station.id : null,
				postedByUserId: employer.id === demoOrg.id && !fromStation ? demoEmployerUser.id : null,
				regionCode: station.regionCode,
				address: `${station.address}附近`,
				lat: at.lat,
				lng: at.lng,
				startsAt: start,
				endsAt: start ? new Date(start.getTime() + rnd.int(3, 10) * hour) : null,
				state,
				submittedAt: state === 'draft' ? null : published,
				publishedAt: state === 'open' || state === 'filled' || state === 'closed' ? published : null,
				closedAt: state === 'filled' || state === 'closed' ? now : null,
				createdAt: published,
				updatedAt: published
			});
		}
		const positionList = await insertAll<typeof positions.$inferSelect>(tx, positions, positionRows);
		const openPositions = positionList.filter((p) => p.state === 'open');

		// ── applications: unique per seeker and position; the demo seeker has a handful ──────────────
		const seen = new Set<string>();
		const applicationRows: Array<typeof applications.$inferInsert> = [];
		const demoSeeker = seekerList[0];
		for (let i = 0; applicationRows.length < size.applications && i < size.applications * 3; i++) {
			const seeker = i < 6 ? demoSeeker : rnd.pick(seekerList);
			const position = i < 6 ? openPositions[i * 3] : rnd.pick(openPositions);
			const key = `${seeker.id}:${position.id}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const created = new Date(Math.max(position.publishedAt!.getTime(), now.getTime() - rnd.int(1, 7 * 24 * 60) * 60_000));
			applicationRows.push({
				seekerId: seeker.id,
				positionId: position.id,
				channel: rnd.weighted([['web', 45], ['counter', 20], ['display_qr', 15], ['live_room', 15], ['fair', 5]] as const),
				status: i < 6 ? (['applied', 'contacted', 'interview', 'applied', 'hired', 'rejected'] as const)[i] : rnd.weighted([['applied', 60], ['contacted', 15], ['interview', 10], ['hired', 7], ['rejected', 6], ['withdrawn', 2]] as const),
				clientKey: `seed-${i}`,
				createdAt: created,
				updatedAt: created
			});
		}
		await insertPlain(tx, applications, applicationRows);

		// ── visits today: open ones make up each open station's occupancy ──────────────────────────
		const visitRows: Array<typeof visits.$inferInsert> = [];
		const occupancy = new Map<number, number>();
		const keyGroups = ['college_graduate', 'employment_difficulty', 'migrant_worker', 'flexible_worker', null, null] as const;
		const sinceOpening = Math.max(hour, Math.min(now.getTime() - today.getTime() - 8 * hour, 10 * hour));
		for (const s of stationList) {
			const onSite = s.state === 'open' ? rnd.int(0, Math.floor(s.capacity * 0.6)) : 0;
			const left = s.state === 'closed' ? 0 : rnd.int(0, s.capacity);
			for (let v = 0; v < onSite + left; v++) {
				const at = new Date(now.getTime() - rnd.int(5 * 60_000, sinceOpening));
				const open = v < onSite;
				visitRows.push({
					stationId: s.id,
					keyGroup: rnd.pick(keyGroups),
					clientKey: `seed-${s.id}-${v}`,
					checkedInAt: at,
					checkedOutAt: open ? null : new Date(Math.min(now.getTime(), at.getTime() + rnd.int(10, 90) * 60_000)),
					checkOutKey: open ? null : `seed-out-${s.id}-${v}`
				});
			}
			if (onSite) occupancy.set(s.id, onSite);
		}
		await insertPlain(tx, visits, visitRows);
		for (const [stationId, n] of occupancy) {
			await tx.update(stations).set({ occupancy: n }).where(sql`${stations.id} = ${stationId}`);
		}

		// ── service records over the past week ────────────────────────────────────────────────────
		const staffOf = new Map(userList.filter((u) => u.role === 'staff').map((u) => [u.stationId!, u.id]));
		await insertPlain(
			tx,
			serviceRecords,
			Array.from({ length: 3000 }, (_, i) => {
				const s = rnd.pick(openStations);
				return {
					stationId: s.id,
					kind: rnd.weighted(serviceKind.enumValues.map((k, n) => [k, [30, 20, 15, 15, 8, 7, 5][n]] as const)),
					staffUserId: staffOf.get(s.id) ?? null,
					clientKey: `seed-${i}`,
					at: new Date(now.getTime() - rnd.int(1, 7 * 24 * 60) * 60_000)
				};
			})
		);

		// ── live rooms: 3 scheduled, 1 live with a queue and a pinned position, 1 ended ──────────────
		const demoPositions = openPositions.filter((p) => p.employerOrganisationId === demoOrg.id).slice(0, 5);
		const roomRows: Array<typeof liveRooms.$inferInsert> = [
			{ title: '顺达物流 仓储岗位直播带岗', hostOrganisationId: demoOrg.id, stationId: stationList[0].id, scheduledAt: new Date(now.getTime() - 20 * 60_000), startedAt: new Date(now.getTime() - 20 * 60_000), state: 'live', pinnedPositionId: demoPositions[0]?.id ?? null, peakViewers: 236 },
			{ title: '天河区春风行动 直播招聘专场', hostOrganisationId: leadOf('440106', 'hr_department').id, stationId: stationList[0].id, scheduledAt: new Date(today.getTime() + day + 10 * hour), state: 'scheduled' },
			{ title: '深圳南山 电子厂普工直播带岗', hostOrganisationId: rnd.pick(employers).id, scheduledAt: new Date(today.getTime() + 2 * day + 15 * hour), state: 'scheduled' },
			{ title: '户外劳动者 零工岗位直播', hostOrganisationId: leadOf('440106', 'trade_union').id, scheduledAt: new Date(today.getTime() + 3 * day + 19 * hour), state: 'scheduled' },
			{ title: '家政服务岗位 直播回放', hostOrganisationId: rnd.pick(employers).id, scheduledAt: new Date(today.getTime() - day + 14 * hour), startedAt: new Date(today.getTime() - day + 14 * hour), endedAt: new Date(today.getTime() - day + 15 * hour), state: 'ended', peakViewers: 412 }
		];
		const rooms = await insertAll<typeof liveRooms.$inferSelect>(tx, liveRooms, roomRows);
		await insertPlain(tx, liveRoomPositions, demoPositions.map((p, i) => ({ roomId: rooms[0].id, positionId: p.id, sortOrder: i })));
		const chatters = userList.filter((u) => u.role === 'seeker');
		const lines = ['请问包住宿吗？', '夜班有补贴吗', '已报名，期待联系', '在天河哪个位置？', '需要什么证件？', '工资怎么结算？', '这个岗位还招几个人？', '有没有五险一金'];
		await insertPlain(
			tx,
			chatMessages,
			[rooms[0], rooms[4]].flatMap((room) =>
				Array.from({ length: 12 }, (_, i) => {
					const u = rnd.pick(chatters);
					return { roomId: room.id, authorUserId: u.id, authorLabel: maskName(u.displayName), kind: (i % 4 === 1 ? 'question' : 'chat') as 'chat' | 'question', body: rnd.pick(lines), clientKey: `seed-${room.id}-${i}`, createdAt: new Date((room.startedAt ?? now).getTime() + i * 90_000) };
				})
			)
		);

		// ── an upcoming job fair at station 1 with booths ───────────────────────────────────────────
		const [fair] = await tx
			.insert(jobFairs)
			.values({ stationId: stationList[0].id, title: '五山街道家门口招聘会', startsAt: new Date(today.getTime() + day + 9 * hour), endsAt: new Date(today.getTime() + day + 12 * hour), state: 'scheduled' })
			.returning();
		const boothOrgs = [demoOrg, ...employers.slice(1, 4)];
		const booths = await insertAll<typeof fairBooths.$inferSelect>(tx, fairBooths, boothOrgs.map((o, i) => ({ fairId: fair.id, organisationId: o.id, label: `A${i + 1}` })));
		await insertPlain(
			tx,
			fairBoothPositions,
			booths.flatMap((b) => openPositions.filter((p) => p.employerOrganisationId === b.organisationId).slice(0, 3).map((p) => ({ boothId: b.id, positionId: p.id })))
		);

		// ── wall displays: station 1's has the known demo token ─────────────────────────────────────
		await insertPlain(
			tx,
			displays,
			stationList.slice(0, 20).map((s, i) => ({ stationId: s.id, label: i === 0 ? '大厅屏' : '门口屏', tokenHash: sha256(i === 0 ? DEMO_DISPLAY_TOKEN : `seed-display-${s.id}-${rnd.int(0, 1e9)}`), lastHeartbeatAt: now }))
		);
	});

	await write(ctx, async (_tx, publish) => {
		publish({ type: 'demo.seeded', topics: ['region:44'], payload: { stations: size.stations, positions: size.positions } });
	});
}
