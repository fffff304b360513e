/**
 * What a station's wall display shows (issue 5): open positions inside the station's circle, today's and
 * tomorrow's odd jobs, live and upcoming rooms, upcoming fairs. Public facts only — no person appears here.
 * Also the `display:<station>` topic's snapshot, so a board that resyncs gets exactly this.
 */
import { and, asc, desc, eq, gte, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { startOfServiceDay } from '$lib/time';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { jobFairs, liveRooms, organisations, positions, stations } from '../db/schema';
import { distanceSql, inBoxSql } from '../geo-sql';

const DAY = 86_400_000;
const POSITIONS = 40;
const ODD_JOBS = 30;
const ROOMS = 6;
const FAIRS = 4;

export interface BoardPosition {
	id: number;
	title: string;
	category: string;
	kind: string;
	payMin: number;
	payMax: number;
	payUnit: 'hour' | 'day' | 'month' | 'piece';
	startsAt: string | null;
	endsAt: string | null;
	publishedAt: string | null;
	lat: number;
	lng: number;
}

export interface BoardContent {
	station: { id: number; name: string; lat: number; lng: number; radiusM: number };
	positions: BoardPosition[];
	oddJobs: BoardPosition[];
	rooms: { id: number; title: string; state: 'scheduled' | 'live' | 'ended'; scheduledAt: string; host: string }[];
	fairs: { id: number; title: string; state: 'scheduled' | 'open' | 'ended'; startsAt: string; endsAt: string }[];
}

const positionFields = {
	id: positions.id,
	title: positions.title,
	category: positions.category,
	kind: positions.kind,
	payMin: positions.payMin,
	payMax: positions.payMax,
	payUnit: positions.payUnit,
	startsAt: positions.startsAt,
	endsAt: positions.endsAt,
	publishedAt: positions.publishedAt,
	lat: positions.lat,
	lng: positions.lng
};

/** The station's own positions, and others inside its circle (bounding box on the index, then exact distance). */
function insideCircle(s: BoardContent['station']): SQL {
	const near = and(inBoxSql(positions.lat, positions.lng, s, s.radiusM), sql`${distanceSql(positions.lat, positions.lng, s.lat, s.lng)} <= ${s.radiusM}`);
	return or(eq(positions.stationId, s.id), near)!;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const boardPosition = (p: Omit<BoardPosition, 'startsAt' | 'endsAt' | 'publishedAt'> & { startsAt: Date | null; endsAt: Date | null; publishedAt: Date | null }): BoardPosition => ({
	...p,
	startsAt: iso(p.startsAt),
	endsAt: iso(p.endsAt),
	publishedAt: iso(p.publishedAt)
});

export async function boardContent(ctx: AppContext, db: Executor, stationId: number): Promise<BoardContent | null> {
	const [station] = await db
		.select({ id: stations.id, name: stations.name, lat: stations.lat, lng: stations.lng, radiusM: stations.radiusM, regionCode: stations.regionCode })
		.from(stations)
		.where(eq(stations.id, stationId));
	if (!station) return null;
	const now = ctx.now();
	const today = startOfServiceDay(now);
	const circle = insideCircle(station);
	const [jobs, odd, rooms, fairs] = await Promise.all([
		db
			.select(positionFields)
			.from(positions)
			.where(and(eq(positions.state, 'open'), ne(positions.kind, 'odd_job'), circle))
			.orderBy(desc(positions.publishedAt), desc(positions.id))
			.limit(POSITIONS),
		db
			.select(positionFields)
			.from(positions)
			.where(and(eq(positions.state, 'open'), eq(positions.kind, 'odd_job'), gte(positions.endsAt, now), lt(positions.startsAt, new Date(today.getTime() + 2 * DAY)), circle))
			.orderBy(asc(positions.startsAt), asc(positions.id))
			.limit(ODD_JOBS),
		// This station's rooms, and rooms of the same city: live first, then the next ones.
		db
			.select({ id: liveRooms.id, title: liveRooms.title, state: liveRooms.state, scheduledAt: liveRooms.scheduledAt, host: organisations.name })
			.from(liveRooms)
			.innerJoin(organisations, eq(organisations.id, liveRooms.hostOrganisationId))
			.leftJoin(stations, eq(stations.id, liveRooms.stationId))
			.where(
				and(
					inArray(liveRooms.state, ['live', 'scheduled']),
					or(eq(liveRooms.stationId, station.id), sql`left(${stations.regionCode}, 4) = ${station.regionCode.slice(0, 4)}`)
				)
			)
			.orderBy(sql`${liveRooms.state} <> 'live'`, asc(liveRooms.scheduledAt))
			.limit(ROOMS),
		db
			.select({ id: jobFairs.id, title: jobFairs.title, state: jobFairs.state, startsAt: jobFairs.startsAt, endsAt: jobFairs.endsAt })
			.from(jobFairs)
			.where(and(eq(jobFairs.stationId, station.id), gte(jobFairs.endsAt, now), ne(jobFairs.state, 'ended')))
			.orderBy(asc(jobFairs.startsAt))
			.limit(FAIRS)
	]);
	const { regionCode: _r, ...publicStation } = station;
	return {
		station: publicStation,
		positions: jobs.map(boardPosition),
		oddJobs: odd.map(boardPosition),
		rooms: rooms.map((r) => ({ ...r, scheduledAt: r.scheduledAt.toISOString() })),
		fairs: fairs.map((f) => ({ ...f, startsAt: f.startsAt.toISOString(), endsAt: f.endsAt.toISOString() }))
	};
}
