/**
 * The station page (/stations/[id]) and the map's station panel: facts about the station, today's figures,
 * and the read view supervisors use — visits over the day and the last 14 service days, services given,
 * positions, job fairs, live rooms, wall displays and their health.
 * Access goes through the stations service (staff of the station, covering supervisor, admin).
 * Aggregates and station-side facts only: nothing here identifies a seeker.
 */
import { and, asc, count, desc, eq, gte, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { SERVICE_TIME_ZONE, serviceDateKey, startOfServiceDay } from '$lib/time';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { displays, fairBooths, fairSignIns, jobFairs, liveRooms, organisations, positions, regions, serviceRecords, visits } from '../db/schema';
import { displayHealth, displayOnlineWindowMs } from '../services/displays';
import { getStation, type Station } from '../services/stations';
import { roomListFields } from './live';
import { id, parse } from '../validation';

const DAY = 86_400_000;
/** How far back the daily history and the services table look. */
export const HISTORY_DAYS = 14;
export const SERVICES_DAYS = 30;
/** Positions listed on the page (open and in review first); the total is given beside them. */
export const POSITIONS_SHOWN = 20;
const FAIRS_UPCOMING = 10;
const FAIRS_RECENT = 5;
const ROOMS_CURRENT = 10;
const ROOMS_RECENT = 5;

/** A constant zone inlined as a literal: GROUP BY must see the very expression the SELECT list has. */
const zone = sql.raw(`'${SERVICE_TIME_ZONE}'`);
const positionOrder = sql`case ${positions.state} when 'open' then 0 when 'pending_review' then 1 when 'draft' then 2 when 'filled' then 3 when 'closed' then 4 else 5 end`;

/** The service day's start `days` days before the one containing `now` (half a day in: safe across DST). */
const dayStartBefore = (dayStart: Date, days: number) => startOfServiceDay(new Date(dayStart.getTime() - days * DAY + DAY / 2));

/** Header figures every view needs: names, today's counts. */
async function headline(ctx: AppContext, station: Station, now: Date) {
	const dayStart = startOfServiceDay(now);
	const [[region], [lead], [visitsToday], [onSiteVisits], [servicesToday], [openPositions]] = await Promise.all([
		ctx.db.select({ nameZh: regions.nameZh, nameEn: regions.nameEn }).from(regions).where(eq(regions.code, station.regionCode)),
		ctx.db.select({ name: organisations.name, kind: organisations.kind }).from(organisations).where(eq(organisations.id, station.leadOrganisationId)),
		ctx.db.select({ n: count() }).from(visits).where(and(eq(visits.stationId, station.id), gte(visits.checkedInAt, dayStart))),
		ctx.db.select({ n: count() }).from(visits).where(and(eq(visits.stationId, station.id), isNull(visits.checkedOutAt))),
		ctx.db.select({ n: count() }).from(serviceRecords).where(and(eq(serviceRecords.stationId, station.id), gte(serviceRecords.at, dayStart))),
		ctx.db.select({ n: count() }).from(positions).where(and(eq(positions.stationId, station.id), eq(positions.state, 'open')))
	]);
	return {
		region: { code: station.regionCode, nameZh: region?.nameZh ?? station.regionCode, nameEn: region?.nameEn ?? station.regionCode },
		lead: lead ?? null,
		today: {
			visits: visitsToday?.n ?? 0,
			openVisits: onSiteVisits?.n ?? 0,
			services: servicesToday?.n ?? 0,
			openPositions: openPositions?.n ?? 0
		}
	};
}

/** Check-ins per hour of today (service time), and visits per service day for the last HISTORY_DAYS days. */
async function visitHistory(ctx: AppContext, stationId: number, now: Date) {
	const dayStart = startOfServiceDay(now);
	const since = dayStartBefore(dayStart, HISTORY_DAYS - 1);
	const hour = sql<number>`extract(hour from ${visits.checkedInAt} at time zone ${zone})::int`;
	const day = sql<string>`to_char(${visits.checkedInAt} at time zone ${zone}, 'YYYY-MM-DD')`;
	const [hourRows, dayRows] = await Promise.all([
		ctx.db.select({ hour, n: count() }).from(visits).where(and(eq(visits.stationId, stationId), gte(visits.checkedInAt, dayStart))).groupBy(hour),
		ctx.db.select({ day, n: count() }).from(visits).where(and(eq(visits.stationId, stationId), gte(visits.checkedInAt, since))).groupBy(day)
	]);
	const perHour = new Map(hourRows.map((r) => [Number(r.hour), r.n]));
	const perDay = new Map(dayRows.map((r) => [r.day, r.n]));
	return {
		/** 24 entries, hour 0–23 of today; the page shows the span that matters. */
		hours: Array.from({ length: 24 }, (_, h) => ({ hour: h, checkIns: perHour.get(h) ?? 0 })),
		nowHour: Number(new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: SERVICE_TIME_ZONE }).format(now)),
		/** Oldest first, today last, zero-filled. */
		days: Array.from({ length: HISTORY_DAYS }, (_, i) => {
			const date = serviceDateKey(new Date(dayStartBefore(dayStart, HISTORY_DAYS - 1 - i).getTime() + DAY / 2));
			return { date, visits: perDay.get(date) ?? 0 };
		})
	};
}

async function servicesGiven(ctx: AppContext, stationId: number, now: Date) {
	const since = dayStartBefore(startOfServiceDay(now), SERVICES_DAYS - 1);
	const n = count();
	return ctx.db
		.select({ kind: serviceRecords.kind, n })
		.from(serviceRecords)
		.where(and(eq(serviceRecords.stationId, stationId), gte(serviceRecords.at, since)))
		.groupBy(serviceRecords.kind)
		.orderBy(desc(n), asc(serviceRecords.kind));
}

async function stationPositions(ctx: AppContext, stationId: number) {
	const [list, byState] = await Promise.all([
		ctx.db
			.select({
				id: positions.id,
				title: positions.title,
				kind: positions.kind,
				state: positions.state,
				headcount: positions.headcount,
				filledCount: positions.filledCount,
				payMin: positions.payMin,
				payMax: positions.payMax,
				payUnit: positions.payUnit,
				updatedAt: positions.updatedAt
			})
			.from(positions)
			.where(eq(positions.stationId, stationId))
			.orderBy(positionOrder, desc(positions.updatedAt), desc(positions.id))
			.limit(POSITIONS_SHOWN),
		ctx.db.select({ state: positions.state, n: count() }).from(positions).where(eq(positions.stationId, stationId)).groupBy(positions.state)
	]);
	return { list, total: byState.reduce((sum, r) => sum + r.n, 0), byState: Object.fromEntries(byState.map((r) => [r.state, r.n])) };
}

async function stationFairs(ctx: AppContext, stationId: number, now: Date) {
	const fields = {
		id: jobFairs.id,
		title: jobFairs.title,
		state: jobFairs.state,
		startsAt: jobFairs.startsAt,
		endsAt: jobFairs.endsAt,
		// Subqueries as builders: a column written straight into a select-list `sql` loses its table name, and
		// a bare "id" would then mean the booth's id, not the fair's.
		booths: sql<number>`(${ctx.db.select({ n: count() }).from(fairBooths).where(eq(fairBooths.fairId, jobFairs.id))})`.mapWith(Number),
		signIns: sql<number>`(${ctx.db.select({ n: count() }).from(fairSignIns).where(eq(fairSignIns.fairId, jobFairs.id))})`.mapWith(Number)
	};
	// Upcoming: not over yet (includes one running now). Recent: over, newest first.
	const [upcoming, recent] = await Promise.all([
		ctx.db.select(fields).from(jobFairs).where(and(eq(jobFairs.stationId, stationId), gte(jobFairs.endsAt, now), ne(jobFairs.state, 'ended'))).orderBy(asc(jobFairs.startsAt)).limit(FAIRS_UPCOMING),
		ctx.db
			.select(fields)
			.from(jobFairs)
			.where(and(eq(jobFairs.stationId, stationId), or(lt(jobFairs.endsAt, now), eq(jobFairs.state, 'ended'))))
			.orderBy(desc(jobFairs.startsAt))
			.limit(FAIRS_RECENT)
	]);
	return { upcoming, recent };
}

async function stationRooms(ctx: AppContext, stationId: number) {
	const [current, recent] = await Promise.all([
		ctx.db
			.select(roomListFields)
			.from(liveRooms)
			.innerJoin(organisations, eq(organisations.id, liveRooms.hostOrganisationId))
			.where(and(eq(liveRooms.stationId, stationId), ne(liveRooms.state, 'ended')))
			// Live ones first, then the schedule.
			.orderBy(sql`${liveRooms.state} <> 'live'`, asc(liveRooms.scheduledAt))
			.limit(ROOMS_CURRENT),
		ctx.db
			.select(roomListFields)
			.from(liveRooms)
			.innerJoin(organisations, eq(organisations.id, liveRooms.hostOrganisationId))
			.where(and(eq(liveRooms.stationId, stationId), eq(liveRooms.state, 'ended')))
			.orderBy(desc(sql`coalesce(${liveRooms.endedAt}, ${liveRooms.scheduledAt})`))
			.limit(ROOMS_RECENT)
	]);
	return { current, recent };
}

async function stationDisplays(ctx: AppContext, stationId: number, now: Date) {
	const rows = await ctx.db
		.select({ id: displays.id, label: displays.label, bilingual: displays.bilingual, lastHeartbeatAt: displays.lastHeartbeatAt, revokedAt: displays.revokedAt })
		.from(displays)
		.where(eq(displays.stationId, stationId))
		.orderBy(sql`${displays.revokedAt} is not null`, asc(displays.id));
	return rows.map((d) => ({ ...d, health: displayHealth(d, now) }));
}

export async function stationOverview(ctx: AppContext, actor: Actor, stationId: number) {
	const station = await getStation(ctx, actor, stationId);
	const now = ctx.now();
	const [head, history, services, positionList, fairs, rooms, displayList] = await Promise.all([
		headline(ctx, station, now),
		visitHistory(ctx, station.id, now),
		servicesGiven(ctx, station.id, now),
		stationPositions(ctx, station.id),
		stationFairs(ctx, station.id, now),
		stationRooms(ctx, station.id),
		stationDisplays(ctx, station.id, now)
	]);
	return {
		station: {
			id: station.id,
			name: station.name,
			kind: station.kind,
			state: station.state,
			address: station.address,
			openingHours: station.openingHours,
			capacity: station.capacity,
			occupancy: station.occupancy,
			radiusM: station.radiusM,
			services: station.services,
			facilities: station.facilities,
			regionZh: head.region.nameZh,
			regionEn: head.region.nameEn,
			leadOrganisation: head.lead?.name ?? null,
			leadOrganisationKind: head.lead?.kind ?? null
		},
		today: head.today,
		history,
		services,
		positions: positionList,
		fairs,
		rooms,
		displays: displayList,
		/** When these figures were read (display health is relative to it). */
		at: now
	};
}

/**
 * The compact card the /ops map opens for a station (served as /stations/[id]/panel.json). The id is taken as
 * it comes from the URL: it is validated (400 naming stationId) before the station is looked up (404) and the
 * actor's scope checked (403).
 */
const panelInput = z.object({ stationId: id });

export async function stationPanel(ctx: AppContext, actor: Actor, rawId: unknown) {
	const { stationId } = parse(panelInput, { stationId: rawId });
	const station = await getStation(ctx, actor, stationId);
	const now = ctx.now();
	const online = new Date(now.getTime() - displayOnlineWindowMs());
	const [head, [fairs], [rooms], [screens]] = await Promise.all([
		headline(ctx, station, now),
		ctx.db
			.select({ upcoming: count() })
			.from(jobFairs)
			.where(and(eq(jobFairs.stationId, station.id), gte(jobFairs.endsAt, now), ne(jobFairs.state, 'ended'))),
		ctx.db
			.select({
				live: count(sql`case when ${liveRooms.state} = 'live' then 1 end`),
				upcoming: count(sql`case when ${liveRooms.state} = 'scheduled' then 1 end`)
			})
			.from(liveRooms)
			.where(and(eq(liveRooms.stationId, station.id), ne(liveRooms.state, 'ended'))),
		ctx.db
			.select({ total: count(), online: count(sql`case when ${gte(displays.lastHeartbeatAt, online)} then 1 end`) })
			.from(displays)
			.where(and(eq(displays.stationId, station.id), isNull(displays.revokedAt)))
	]);
	return {
		id: station.id,
		name: station.name,
		kind: station.kind,
		state: station.state,
		leadOrganisation: head.lead?.name ?? null,
		regionCode: station.regionCode,
		regionZh: head.region.nameZh,
		regionEn: head.region.nameEn,
		occupancy: station.occupancy,
		capacity: station.capacity,
		openPositions: head.today.openPositions,
		visitsToday: head.today.visits,
		servicesToday: head.today.services,
		/** Fairs not over yet (one running now included). */
		upcomingFairs: fairs?.upcoming ?? 0,
		/** Rooms live now or scheduled; `roomsLive` of them are live. */
		rooms: (rooms?.live ?? 0) + (rooms?.upcoming ?? 0),
		roomsLive: rooms?.live ?? 0,
		/** Displays not revoked, and of them the ones that beat within the online window. */
		displaysOnline: screens?.online ?? 0,
		displaysTotal: screens?.total ?? 0,
		at: now.toISOString()
	};
}

export type StationPanel = Awaited<ReturnType<typeof stationPanel>>;
