/**
 * The supervisor's operations dashboard (/ops): filters, the stations for the map, and the live numbers and
 * chart series beside it. Aggregates and station facts only; no personal data. The actor's region scope
 * always applies; filters can only narrow it.
 */
import { and, count, desc, eq, gte, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { startOfServiceDay } from '$lib/time';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import {
	applicationChannel,
	applications,
	events,
	jobFairs,
	keyGroup,
	liveRooms,
	organisations,
	positions,
	regions,
	serviceKind,
	serviceRecords,
	stationKind,
	stationState,
	stations,
	visits
} from '../db/schema';
import { forbidden } from '../errors';
import { parse } from '../validation';
import { prefixPattern, regionPrefixOf } from './scope';

const DAY_MS = 86_400_000;

export const opsFiltersSchema = z.object({
	region: z.string().regex(/^[0-9]{2,12}$/, 'region_code').optional(),
	kind: z.enum(stationKind.enumValues, { error: 'station_kind' }).optional(),
	org: z.coerce.number().int('integer').positive('positive').max(2 ** 31 - 1).optional(),
	state: z.enum(stationState.enumValues, { error: 'station_state' }).optional()
});
export type OpsFilters = z.infer<typeof opsFiltersSchema>;

/** Filters from a query string; empty values mean "any". A region outside the actor's scope is refused. */
export function parseOpsFilters(actor: Actor, params: URLSearchParams): OpsFilters & { scope: string; prefix: string } {
	const raw = Object.fromEntries(['region', 'kind', 'org', 'state'].map((k) => [k, params.get(k) || undefined]));
	const filters = parse(opsFiltersSchema, raw);
	const scope = regionPrefixOf(actor);
	if (filters.region && !filters.region.startsWith(scope)) throw forbidden('region_out_of_scope');
	return { ...filters, scope, prefix: filters.region ?? scope };
}

type ParsedFilters = ReturnType<typeof parseOpsFilters>;

/** Station-side filters (kind, lead organisation, state) narrow positions and applications to those stations. */
const narrowsStations = (f: OpsFilters) => Boolean(f.kind || f.org || f.state);

function stationWhere(f: ParsedFilters): SQL {
	const parts: SQL[] = [like(stations.regionCode, prefixPattern(f.prefix))];
	if (f.kind) parts.push(eq(stations.kind, f.kind));
	if (f.org) parts.push(eq(stations.leadOrganisationId, f.org));
	if (f.state) parts.push(eq(stations.state, f.state));
	return and(...parts)!;
}

/** Positions (and what hangs off them) in the filtered region; with station filters, only those stations' positions. */
function positionWhere(f: ParsedFilters): SQL {
	const inRegion = like(positions.regionCode, prefixPattern(f.prefix));
	if (!narrowsStations(f)) return inRegion;
	return and(inRegion, inArray(positions.stationId, sqlSelectStationIds(f)))!;
}

function sqlSelectStationIds(f: ParsedFilters) {
	return sql`(select ${stations.id} from ${stations} where ${stationWhere(f)})`;
}

/** The region tree around the current filter: the path from the scope down, and the next level's choices. */
export async function opsFilterOptions(ctx: AppContext, f: ParsedFilters) {
	const pathCodes = [];
	for (let n = f.scope.length || 2; n <= f.prefix.length; n += n < 6 ? 2 : 3) pathCodes.push(f.prefix.slice(0, n));
	const [path, children, leads] = await Promise.all([
		pathCodes.length
			? ctx.db.select({ code: regions.code, level: regions.level, nameZh: regions.nameZh, nameEn: regions.nameEn }).from(regions).where(inArray(regions.code, pathCodes)).orderBy(regions.code)
			: Promise.resolve([]),
		ctx.db
			.select({ code: regions.code, level: regions.level, nameZh: regions.nameZh, nameEn: regions.nameEn })
			.from(regions)
			.where(f.prefix ? eq(regions.parentCode, f.prefix) : sql`${regions.parentCode} is null`)
			.orderBy(regions.code),
		ctx.db
			.selectDistinct({ id: organisations.id, name: organisations.name })
			.from(organisations)
			.innerJoin(stations, eq(stations.leadOrganisationId, organisations.id))
			.where(like(stations.regionCode, prefixPattern(f.scope)))
			.orderBy(organisations.name)
	]);
	return { path, children, leads };
}

/** Cities and counties in scope, for labels on the map when no tiles load. */
export async function opsRegionLabels(ctx: AppContext, actor: Actor) {
	const scope = regionPrefixOf(actor);
	return ctx.db
		.select({ code: regions.code, level: regions.level, nameZh: regions.nameZh, nameEn: regions.nameEn, lat: regions.lat, lng: regions.lng })
		.from(regions)
		.where(and(like(regions.code, prefixPattern(scope)), inArray(regions.level, ['city', 'county'])))
		.orderBy(regions.code);
}

export interface OpsSummary {
	/** Highest event id the figures include: events after it are news. */
	cursor: number;
	at: string;
	kpi: {
		stations: number;
		openStations: number;
		onSite: number;
		capacity: number;
		openPositions: number;
		oddJobsToday: number;
		applicationsToday: number;
		liveRoomsNow: number;
		fairsToday: number;
	};
	/** Check-ins per hour of the service day (24 values, service time). */
	visitorsByHour: number[];
	applicationsByChannel: Record<(typeof applicationChannel.enumValues)[number], number>;
	servicesByKind: Record<(typeof serviceKind.enumValues)[number], number>;
	visitorsByKeyGroup: Record<(typeof keyGroup.enumValues)[number] | 'none', number>;
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Headline numbers and chart series for the filtered scope, as of one consistent snapshot. */
export async function opsSummary(ctx: AppContext, f: ParsedFilters): Promise<OpsSummary> {
	const now = ctx.now();
	const dayStart = startOfServiceDay(now);
	const dayEnd = new Date(dayStart.getTime() + DAY_MS);
	const stationIds = sqlSelectStationIds(f);
	return ctx.db.transaction(
		async (tx) => {
			const [last] = await tx.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
			const [[st], [open], [odd], [apps], byChannel, [rooms], [fairs], byHour, byKind, byGroup] = await Promise.all([
				tx
					.select({
						stations: count(),
						openStations: count(sql`case when ${stations.state} = 'open' then 1 end`),
						onSite: sql<number>`coalesce(sum(${stations.occupancy}), 0)::int`,
						capacity: sql<number>`coalesce(sum(${stations.capacity}), 0)::int`
					})
					.from(stations)
					.where(stationWhere(f)),
				tx.select({ n: count() }).from(positions).where(and(eq(positions.state, 'open'), positionWhere(f))),
				tx
					.select({ n: count() })
					.from(positions)
					.where(
						and(
							eq(positions.kind, 'odd_job'),
							inArray(positions.state, ['open', 'filled']),
							gte(positions.startsAt, dayStart),
							lt(positions.startsAt, dayEnd),
							positionWhere(f)
						)
					),
				tx
					.select({ n: count() })
					.from(applications)
					.innerJoin(positions, eq(positions.id, applications.positionId))
					.where(and(gte(applications.createdAt, dayStart), positionWhere(f))),
				tx
					.select({ channel: applications.channel, n: count() })
					.from(applications)
					.innerJoin(positions, eq(positions.id, applications.positionId))
					.where(and(gte(applications.createdAt, dayStart), positionWhere(f)))
					.groupBy(applications.channel),
				tx
					.select({ n: count() })
					.from(liveRooms)
					.leftJoin(organisations, eq(organisations.id, liveRooms.hostOrganisationId))
					.where(
						and(
							eq(liveRooms.state, 'live'),
							narrowsStations(f)
								? inArray(liveRooms.stationId, stationIds)
								: or(inArray(liveRooms.stationId, stationIds), and(sql`${liveRooms.stationId} is null`, like(organisations.regionCode, prefixPattern(f.prefix))))
						)
					),
				tx
					.select({ n: count() })
					.from(jobFairs)
					.where(and(inArray(jobFairs.stationId, stationIds), lt(jobFairs.startsAt, dayEnd), gte(jobFairs.endsAt, dayStart))),
				tx
					.select({ hour: sql<number>`extract(hour from ${visits.checkedInAt} at time zone 'Asia/Shanghai')::int`, n: count() })
					.from(visits)
					.where(and(inArray(visits.stationId, stationIds), gte(visits.checkedInAt, dayStart)))
					.groupBy(sql`1`),
				tx
					.select({ kind: serviceRecords.kind, n: count() })
					.from(serviceRecords)
					.where(and(inArray(serviceRecords.stationId, stationIds), gte(serviceRecords.at, dayStart)))
					.groupBy(serviceRecords.kind),
				tx
					.select({ group: visits.keyGroup, n: count() })
					.from(visits)
					.where(and(inArray(visits.stationId, stationIds), gte(visits.checkedInAt, dayStart)))
					.groupBy(visits.keyGroup)
			]);
			const visitorsByHour = Array<number>(24).fill(0);
			for (const r of byHour) visitorsByHour[r.hour] = r.n;
			const applicationsByChannel = zeroes(applicationChannel.enumValues);
			for (const r of byChannel) applicationsByChannel[r.channel] = r.n;
			const servicesByKind = zeroes(serviceKind.enumValues);
			for (const r of byKind) servicesByKind[r.kind] = r.n;
			const visitorsByKeyGroup = zeroes([...keyGroup.enumValues, 'none'] as const);
			for (const r of byGroup) visitorsByKeyGroup[r.group ?? 'none'] = r.n;
			return {
				cursor: last?.id ?? 0,
				at: now.toISOString(),
				kpi: {
					stations: st?.stations ?? 0,
					openStations: st?.openStations ?? 0,
					onSite: st?.onSite ?? 0,
					capacity: st?.capacity ?? 0,
					openPositions: open?.n ?? 0,
					oddJobsToday: odd?.n ?? 0,
					applicationsToday: apps?.n ?? 0,
					liveRoomsNow: rooms?.n ?? 0,
					fairsToday: fairs?.n ?? 0
				},
				visitorsByHour,
				applicationsByChannel,
				servicesByKind,
				visitorsByKeyGroup
			};
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

/** The busiest stations of the filtered scope (the map's text equivalent starts here). */
export async function opsBusiest(ctx: AppContext, f: ParsedFilters, limit = 10) {
	return ctx.db
		.select({
			id: stations.id,
			name: stations.name,
			kind: stations.kind,
			state: stations.state,
			occupancy: stations.occupancy,
			capacity: stations.capacity,
			regionZh: regions.nameZh,
			regionEn: regions.nameEn
		})
		.from(stations)
		.innerJoin(regions, eq(regions.code, stations.regionCode))
		.where(stationWhere(f))
		.orderBy(desc(sql`${stations.occupancy}::float / ${stations.capacity}`), desc(stations.occupancy), stations.id)
		.limit(limit);
}

/** The station kinds in `stationKind` order, so the map data can send an index instead of the word. */
export const STATION_KINDS = stationKind.enumValues;
export const STATION_STATES = stationState.enumValues;

/**
 * Every station in the actor's scope for the map, column by column (10,000 stations is ~1 MB as rows of
 * objects, about half as columns). Filters are applied in the browser so changing one never refetches.
 */
export async function opsMapStations(ctx: AppContext, actor: Actor) {
	const scope = regionPrefixOf(actor);
	const dayStart = startOfServiceDay(ctx.now());
	return ctx.db.transaction(
		async (tx) => {
			const [last] = await tx.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
			const openByStation = tx
				.select({ stationId: positions.stationId, n: count().as('n') })
				.from(positions)
				.where(and(eq(positions.state, 'open'), sql`${positions.stationId} is not null`))
				.groupBy(positions.stationId)
				.as('open_by_station');
			const visitsByStation = tx
				.select({ stationId: visits.stationId, n: count().as('n') })
				.from(visits)
				.where(gte(visits.checkedInAt, dayStart))
				.groupBy(visits.stationId)
				.as('visits_by_station');
			const list = await tx
				.select({
					id: stations.id,
					name: stations.name,
					kind: stations.kind,
					lead: stations.leadOrganisationId,
					region: stations.regionCode,
					lat: stations.lat,
					lng: stations.lng,
					radius: stations.radiusM,
					capacity: stations.capacity,
					occupancy: stations.occupancy,
					state: stations.state,
					// drizzle prints a subquery's aliased count unqualified, and both subqueries call it n.
					openPositions: sql<number>`coalesce(${sql.raw('"open_by_station"."n"')}, 0)::int`,
					visitsToday: sql<number>`coalesce(${sql.raw('"visits_by_station"."n"')}, 0)::int`
				})
				.from(stations)
				.leftJoin(openByStation, eq(openByStation.stationId, stations.id))
				.leftJoin(visitsByStation, eq(visitsByStation.stationId, stations.id))
				.where(like(stations.regionCode, prefixPattern(scope)))
				.orderBy(stations.id);
			const leads = await tx
				.selectDistinct({ id: organisations.id, name: organisations.name })
				.from(organisations)
				.innerJoin(stations, eq(stations.leadOrganisationId, organisations.id))
				.where(like(stations.regionCode, prefixPattern(scope)));
			const kindIndex = new Map<string, number>(STATION_KINDS.map((k, i) => [k, i]));
			const stateIndex = new Map<string, number>(STATION_STATES.map((k, i) => [k, i]));
			return {
				cursor: last?.id ?? 0,
				kinds: STATION_KINDS,
				states: STATION_STATES,
				organisations: Object.fromEntries(leads.map((o) => [o.id, o.name])),
				id: list.map((r) => r.id),
				name: list.map((r) => r.name),
				kind: list.map((r) => kindIndex.get(r.kind)!),
				lead: list.map((r) => r.lead),
				region: list.map((r) => r.region),
				lat: list.map((r) => r.lat),
				lng: list.map((r) => r.lng),
				radius: list.map((r) => r.radius),
				capacity: list.map((r) => r.capacity),
				occupancy: list.map((r) => r.occupancy),
				state: list.map((r) => stateIndex.get(r.state)!),
				openPositions: list.map((r) => Number(r.openPositions)),
				visitsToday: list.map((r) => Number(r.visitsToday))
			};
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

export type OpsMapStations = Awaited<ReturnType<typeof opsMapStations>>;
