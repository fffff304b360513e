/**
 * The work a province is doing: positions and odd jobs (mostly open; odd jobs with windows today,
 * tomorrow and this week), applications across channels, today's visits (the open ones are exactly each
 * station's occupancy) and a week of service records.
 */
import { sql } from 'drizzle-orm';
import { applications, positions, serviceKind, serviceRecords, stations, visits } from '../schema';
import { dailyLoad } from '../../sim/curve';
import type { Organisation, Position, Seeding, Seeker, Station, User } from './context';
import { DAY, HOUR } from './context';
import { insertReturning, insertRows } from './insert';
import { CATEGORIES, categoriesOf } from './words';

type Kind = Position['kind'];
type Unit = Position['payUnit'];

const MINUTE = 60_000;
/** The demo employer's first positions are all open, so its screens and live room are full. */
const DEMO_EMPLOYER_OPEN = 40;

export async function seedPositions(s: Seeding, stationList: Station[], employers: Organisation[], demoEmployerUser: User): Promise<Position[]> {
	const { rnd, now, today } = s;
	const [demoOrg] = employers;
	const openStations = stationList.filter((st) => st.state === 'open');
	const boards = openStations.filter((st) => st.kind === 'odd_job' || st.kind === 'outdoor_worker' || st.kind === 'community');
	const categoryByName = new Map(CATEGORIES.map((c) => [c.category, c]));
	const rows: Array<typeof positions.$inferInsert> = [];
	for (let i = 0; i < s.size.positions; i++) {
		const demo = i < DEMO_EMPLOYER_OPEN;
		// Every fourth position was collected by a station (a walk-in employer, the odd-job board).
		const fromStation = !demo && i % 4 === 3;
		const station = fromStation ? rnd.pick(boards) : rnd.pick(stationList);
		const employer = demo ? demoOrg : rnd.pick(employers);
		const onBehalf = !fromStation || rnd.chance(0.5);
		const cat = categoryByName.get(rnd.pick(categoriesOf(onBehalf ? employer.name : '')))!;
		const kind: Kind = fromStation
			? rnd.weighted([['odd_job', 80], ['part_time', 15], ['public_welfare', 5]] as const)
			: rnd.weighted([['full_time', 55], ['part_time', 15], ['odd_job', 22], ['internship', 6], ['public_welfare', 2]] as const);
		const odd = kind === 'odd_job';
		const unit: Unit = odd ? rnd.weighted([['day', 50], ['hour', 35], ['piece', 15]] as const) : kind === 'part_time' ? 'hour' : 'month';
		const [lo, hi] = unit === 'month' ? cat.monthly : unit === 'day' ? cat.daily : unit === 'hour' ? [Math.round(cat.daily[0] / 8), Math.round(cat.daily[1] / 8)] : [2, 8];
		const payMin = rnd.int(lo, Math.round((lo + hi) / 2));
		const state = demo ? 'open' : rnd.weighted([['open', 85], ['pending_review', 5], ['draft', 3], ['filled', 4], ['closed', 3]] as const);
		const published = new Date(now.getTime() - rnd.int(10, 14 * 24 * 60) * MINUTE);
		// Odd jobs: a window today, tomorrow or later this week; one that would already be over moves a day on.
		let startsAt: Date | null = null;
		let endsAt: Date | null = null;
		if (odd) {
			const dayOffset = rnd.weighted([[0, 35], [1, 30], [2, 10], [3, 10], [4, 5], [5, 5], [6, 5]] as const);
			startsAt = new Date(today.getTime() + dayOffset * DAY + rnd.pick([7, 8, 9, 13, 14, 18]) * HOUR);
			endsAt = new Date(startsAt.getTime() + rnd.int(3, 10) * HOUR);
			if (endsAt.getTime() < now.getTime() + HOUR) {
				startsAt = new Date(startsAt.getTime() + DAY);
				endsAt = new Date(endsAt.getTime() + DAY);
			}
		} else if (rnd.chance(0.3)) {
			startsAt = new Date(today.getTime() + rnd.int(3, 30) * DAY + 9 * HOUR);
		}
		const headcount = odd ? rnd.int(1, 12) : rnd.int(1, 30);
		const at = rnd.near(station.lat, station.lng, fromStation ? 1500 : 4000);
		rows.push({
			title: rnd.pick(cat.titles),
			category: cat.category,
			kind,
			description: odd
				? `${rnd.pick(['现场签到，', '自带身份证，', '提供工作服，'])}${unit === 'piece' ? '按件计酬' : '当日结算'}，${rnd.pick(['包午餐', '有饮水和休息区', '可提前下班'])}。`
				: `${rnd.pick(['缴纳五险一金', '包吃住', '提供员工宿舍', '交通补贴'])}，${rnd.pick(['无经验可培训', '有经验优先', '年龄18-50岁', '欢迎退役军人'])}，${rnd.pick(['月休4天', '做六休一', '两班倒', '长白班'])}。`,
			payMin,
			payMax: rnd.int(payMin, hi),
			payUnit: unit,
			headcount,
			filledCount: state === 'filled' ? headcount : 0,
			employerOrganisationId: onBehalf ? employer.id : null,
			stationId: fromStation ? station.id : null,
			postedByUserId: demo ? demoEmployerUser.id : null,
			regionCode: station.regionCode,
			address: `${station.address}附近`,
			lat: at.lat,
			lng: at.lng,
			startsAt,
			endsAt,
			state,
			submittedAt: state === 'draft' ? null : published,
			publishedAt: state === 'open' || state === 'filled' || state === 'closed' ? published : null,
			closedAt: state === 'filled' || state === 'closed' ? now : null,
			expiresAt: odd ? endsAt : new Date(published.getTime() + rnd.pick([30, 60, 90]) * DAY),
			createdAt: published,
			updatedAt: published
		});
	}
	return insertReturning<Position>(s.tx, positions, rows);
}

export async function seedApplications(s: Seeding, seekerList: Seeker[], openPositions: Position[]) {
	const { rnd, now } = s;
	const seen = new Set<string>();
	const rows: Array<typeof applications.$inferInsert> = [];
	const [demoSeeker] = seekerList;
	// The demo seeker has six, one at each step of the pipeline.
	const demoStatuses = ['applied', 'contacted', 'interview', 'applied', 'hired', 'rejected'] as const;
	for (let i = 0; rows.length < s.size.applications && i < s.size.applications * 3; i++) {
		const demo = i < demoStatuses.length;
		const seeker = demo ? demoSeeker : rnd.pick(seekerList);
		const position = demo ? openPositions[i * 3] : rnd.pick(openPositions);
		const key = `${seeker.id}:${position.id}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const created = new Date(Math.max(position.publishedAt!.getTime(), now.getTime() - rnd.int(1, 7 * 24 * 60) * MINUTE));
		rows.push({
			seekerId: seeker.id,
			positionId: position.id,
			channel: rnd.weighted([['web', 45], ['counter', 20], ['display_qr', 15], ['live_room', 15], ['fair', 5]] as const),
			status: demo ? demoStatuses[i] : rnd.weighted([['applied', 60], ['contacted', 15], ['interview', 10], ['hired', 7], ['rejected', 6], ['withdrawn', 2]] as const),
			clientKey: `seed-app-${i}`,
			createdAt: created,
			updatedAt: created
		});
	}
	await insertRows(s.tx, applications, rows);
	// Hires count towards headcount; an open position keeps at least one place free.
	await s.tx.execute(sql`
		update ${positions} p set filled_count = least(p.headcount - 1, h.n)
		from (select position_id, count(*)::int as n from ${applications} where status = 'hired' group by position_id) h
		where h.position_id = p.id and p.state = 'open'`);
}

/** Today's visits: who left already, and who is on site now (that count is the station's occupancy). */
export async function seedVisits(s: Seeding, stationList: Station[]) {
	const { rnd, now, today } = s;
	const keyGroups = ['college_graduate', 'employment_difficulty', 'migrant_worker', 'flexible_worker', 'veteran', null, null] as const;
	const load = dailyLoad(now);
	// Check-ins fall between the start of the service day (or ten hours ago) and a minute ago.
	const window = Math.max(2 * MINUTE, Math.min(now.getTime() - today.getTime(), 10 * HOUR));
	const rows: Array<typeof visits.$inferInsert> = [];
	const occupancy = new Map<number, number>();
	for (const st of stationList) {
		const onSite = st.state === 'open' ? Math.min(st.capacity, Math.round(st.capacity * load * (0.4 + rnd.next()))) : 0;
		const left = st.state === 'closed' ? 0 : rnd.int(0, st.capacity);
		for (let v = 0; v < onSite + left; v++) {
			const at = new Date(now.getTime() - rnd.int(MINUTE, window));
			const open = v < onSite;
			rows.push({
				stationId: st.id,
				keyGroup: rnd.pick(keyGroups),
				clientKey: `seed-${st.id}-${v}`,
				checkedInAt: at,
				checkedOutAt: open ? null : new Date(Math.min(now.getTime(), at.getTime() + rnd.int(10, 90) * MINUTE)),
				checkOutKey: open ? null : `seed-out-${st.id}-${v}`
			});
		}
		if (onSite) occupancy.set(st.id, onSite);
	}
	await insertRows(s.tx, visits, rows);
	// One statement sets every station's occupancy from its open visits (the invariant check-ins keep).
	if (occupancy.size) {
		await s.tx.execute(sql`
			update ${stations} st set occupancy = v.n
			from (select station_id, count(*)::int as n from ${visits} where checked_out_at is null group by station_id) v
			where v.station_id = st.id`);
	}
}

export async function seedServiceRecords(s: Seeding, stationList: Station[], seekerList: Seeker[], staffOf: Map<number, number>) {
	const { rnd, now } = s;
	const openStations = stationList.filter((st) => st.state === 'open');
	const kindWeights = serviceKind.enumValues.map((k, n) => [k, [30, 20, 15, 15, 8, 7, 5][n]] as const);
	const notes = ['', '', '已登记求职意向', '推荐至附近岗位', '讲解社保补贴政策', '预约技能培训', '协助劳动合同咨询'];
	await insertRows(
		s.tx,
		serviceRecords,
		Array.from({ length: s.size.serviceRecords }, (_, i) => {
			const st = rnd.pick(openStations);
			return {
				stationId: st.id,
				kind: rnd.weighted(kindWeights),
				seekerId: rnd.chance(0.6) ? rnd.pick(seekerList).id : null,
				staffUserId: staffOf.get(st.id) ?? null,
				note: rnd.pick(notes),
				clientKey: `seed-${i}`,
				// A week back, a fifth of them today.
				at: new Date(now.getTime() - (rnd.chance(0.2) ? rnd.int(1, 8 * 60) : rnd.int(1, 7 * 24 * 60)) * MINUTE)
			};
		})
	);
}
