/**
 * Coverage (/ops/coverage and its CSV): per county in the actor's scope, stations against the county's quota,
 * and which communities no station circle reaches.
 *
 * Rules, so the page, the CSV and the alerts agree:
 * - a station counts toward its county's quota unless it is `offline` (closed for the evening still serves);
 * - a community is covered when its point lies within `radius_m` of a station that is not offline — any
 *   station, in any county, in scope or not: people cross county lines, and the answer (covered or not, and
 *   how far the nearest station is) reveals nothing about the other side's stations;
 * - the `kind` and `org` filters narrow both: which stations count and which stations cover.
 * Set-based: a handful of queries whatever the number of counties; circles are found with a bounding box on
 * stations(lat, lng) (index stations_lat_lng_idx) and then the exact haversine distance in SQL.
 */
import { and, asc, count, eq, inArray, like, max, ne, sql, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { organisations, regions, stationKind, stations } from '../db/schema';
import { forbidden, invalid } from '../errors';
import { distanceSql } from '../geo-sql';
import { id, parse } from '../validation';
import { prefixPattern, regionPrefixOf } from './scope';

/** How far we look for "the nearest station" of an uncovered community. */
export const NEAREST_WITHIN_M = 20_000;
/** Metres per degree of latitude, rounded down so a bounding box errs on the large side. */
const METRES_PER_DEGREE = 110_000;
/** Codes per `in (…)` list when looking up nearest stations; far below PostgreSQL's parameter limit. */
const CHUNK = 5000;

/** Stations whose point lies in the box of `metres` around (lat, lng): the index-friendly prefilter. */
function stationsNear(lat: SQLWrapper, lng: SQLWrapper, metres: number) {
	const dLat = metres / METRES_PER_DEGREE;
	return and(
		sql`${stations.lat} between ${lat} - ${dLat}::float8 and ${lat} + ${dLat}::float8`,
		// A degree of longitude shrinks with cos(latitude); the floor keeps the box finite near the poles.
		sql`${stations.lng} between ${lng} - ${dLat}::float8 / greatest(cos(radians(${lat})), 0.01) and ${lng} + ${dLat}::float8 / greatest(cos(radians(${lat})), 0.01)`
	);
}

/** URL parameters, named as in the URL so a 400 names the parameter the visitor sent. */
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
export const coverageFilterSchema = z.object({
	region: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9]{2,12}$/, 'region_code').optional()),
	kind: z.preprocess(emptyToUndefined, z.enum(stationKind.enumValues, { error: 'station_kind' }).optional()),
	org: z.preprocess(emptyToUndefined, id.optional())
});
export type CoverageFilters = z.infer<typeof coverageFilterSchema>;

/** The filters of a request URL (`?region=4401&kind=community&org=12`); unknown parameters are ignored. */
export function coverageFiltersFrom(params: URLSearchParams): CoverageFilters {
	return parse(coverageFilterSchema, { region: params.get('region'), kind: params.get('kind'), org: params.get('org') });
}

/** The filters as a query string (for links that keep them: export, back to the page). */
export function coverageQuery(filters: CoverageFilters) {
	const q = new URLSearchParams();
	if (filters.region) q.set('region', filters.region);
	if (filters.kind) q.set('kind', filters.kind);
	if (filters.org) q.set('org', String(filters.org));
	const s = q.toString();
	return s ? `?${s}` : '';
}

export interface UncoveredCommunity {
	code: string;
	nameZh: string;
	nameEn: string;
	/** Distance to the nearest (filtered, not offline) station, when one is within NEAREST_WITHIN_M. */
	nearestKm: number | null;
}

export interface CountyCoverage {
	code: string;
	nameZh: string;
	nameEn: string;
	cityZh: string | null;
	cityEn: string | null;
	/** Stations in the county (after the filters), any state. */
	stations: number;
	/** Of those, the ones that count toward the quota (not offline). */
	counted: number;
	quota: number;
	gap: number;
	met: boolean;
	communities: number;
	uncovered: UncoveredCommunity[];
}

export interface CoverageReport {
	filters: CoverageFilters;
	/** The region the report is narrowed to (the filter, else the actor's scope; null = everything). */
	region: { code: string; nameZh: string; nameEn: string } | null;
	counties: CountyCoverage[];
	summary: { counties: number; countiesMet: number; communities: number; uncoveredCommunities: number };
}

/**
 * The narrowing prefix for a request: the `region` filter when given (it must lie inside the actor's scope —
 * 403 otherwise — exist, and be a county or above), else the actor's own scope.
 */
async function narrowedRegion(ctx: AppContext, actor: Actor, filters: CoverageFilters) {
	const scope = regionPrefixOf(actor);
	const code = filters.region ?? scope;
	if (!code) return null;
	if (filters.region && !filters.region.startsWith(scope)) throw forbidden();
	const [row] = await ctx.db
		.select({ code: regions.code, level: regions.level, nameZh: regions.nameZh, nameEn: regions.nameEn })
		.from(regions)
		.where(eq(regions.code, code));
	if (filters.region) {
		if (!row) throw invalid({ region: 'unknown_region' });
		if (row.level === 'street' || row.level === 'community') throw invalid({ region: 'region_level' });
	}
	return row ? { code: row.code, nameZh: row.nameZh, nameEn: row.nameEn } : { code, nameZh: code, nameEn: code };
}

export async function coverageReport(ctx: AppContext, actor: Actor, input: unknown): Promise<CoverageReport> {
	regionPrefixOf(actor); // refuses other roles before anything is read
	const filters = parse(coverageFilterSchema, input);
	const [region] = await Promise.all([
		narrowedRegion(ctx, actor, filters),
		filters.org
			? ctx.db
					.select({ id: organisations.id })
					.from(organisations)
					.where(eq(organisations.id, filters.org))
					.then(([row]) => {
						if (!row) throw invalid({ org: 'unknown_organisation' });
					})
			: null
	]);
	const prefix = region?.code ?? '';
	/** Which stations take part: the filters, and never an offline one where circles or quotas are concerned. */
	const chosen = and(filters.kind ? eq(stations.kind, filters.kind) : undefined, filters.org ? eq(stations.leadOrganisationId, filters.org) : undefined);
	const serving = and(chosen, ne(stations.state, 'offline'));

	const city = alias(regions, 'city');
	const [countyRows, lengthRows, [radius]] = await Promise.all([
		ctx.db
			.select({
				code: regions.code,
				nameZh: regions.nameZh,
				nameEn: regions.nameEn,
				quota: regions.stationQuota,
				cityZh: city.nameZh,
				cityEn: city.nameEn
			})
			.from(regions)
			.leftJoin(city, eq(city.code, regions.parentCode))
			.where(and(eq(regions.level, 'county'), like(regions.code, prefixPattern(prefix))))
			.orderBy(asc(regions.code)),
		// County codes have one length in practice (6 digits); asking keeps the grouping below honest if not.
		ctx.db.selectDistinct({ len: sql<number>`length(${regions.code})`.mapWith(Number) }).from(regions).where(eq(regions.level, 'county')),
		ctx.db.select({ max: max(stations.radiusM) }).from(stations).where(serving)
	]);
	const lengths = lengthRows.map((r) => r.len).sort((a, b) => b - a);
	const countyOf = new Map<string, CountyCoverage>();
	for (const c of countyRows) {
		const quota = c.quota ?? 0;
		countyOf.set(c.code, { code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, cityZh: c.cityZh, cityEn: c.cityEn, stations: 0, counted: 0, quota, gap: quota, met: quota === 0, communities: 0, uncovered: [] });
	}
	const countyFor = (code: string) => {
		for (const len of lengths) {
			const hit = countyOf.get(code.slice(0, len));
			if (hit) return hit;
		}
		return undefined;
	};

	const maxRadius = radius?.max ?? 0;
	const [stationCounts, communityRows] = await Promise.all([
		// Stations per county: grouped by the county part of their region code, one query per code length.
		Promise.all(
			lengths.map((len) => {
				// Inlined, not a parameter: GROUP BY must see the very expression the SELECT list has ($1 ≠ $3).
				const countyCode = sql<string>`left(${stations.regionCode}, ${sql.raw(String(Math.trunc(len)))})`;
				return ctx.db
					.select({
						county: countyCode,
						total: count(),
						counted: count(sql`case when ${stations.state} <> 'offline' then 1 end`)
					})
					.from(stations)
					.where(and(like(stations.regionCode, prefixPattern(prefix)), chosen))
					.groupBy(countyCode);
			})
		),
		ctx.db
			.select({
				code: regions.code,
				nameZh: regions.nameZh,
				nameEn: regions.nameEn,
				covered:
					maxRadius > 0
						? sql<boolean>`exists (${ctx.db
								.select({ one: sql`1` })
								.from(stations)
								.where(and(serving, stationsNear(regions.lat, regions.lng, maxRadius), sql`${distanceSql(regions.lat, regions.lng, stations.lat, stations.lng)} <= ${stations.radiusM}`))})`
						: sql<boolean>`false`
			})
			.from(regions)
			.where(and(eq(regions.level, 'community'), like(regions.code, prefixPattern(prefix))))
			.orderBy(asc(regions.code))
	]);
	for (const rows of stationCounts) {
		for (const row of rows) {
			const county = countyOf.get(row.county);
			if (!county) continue;
			county.stations += row.total;
			county.counted += row.counted;
		}
	}

	const uncovered: Array<{ county: CountyCoverage; community: UncoveredCommunity }> = [];
	for (const row of communityRows) {
		const county = countyFor(row.code);
		if (!county) continue;
		county.communities++;
		if (!row.covered) {
			const community = { code: row.code, nameZh: row.nameZh, nameEn: row.nameEn, nearestKm: null };
			county.uncovered.push(community);
			uncovered.push({ county, community });
		}
	}

	// The nearest serving station, only for the communities no circle reaches (usually few).
	const nearest = new Map<string, number>();
	if (maxRadius > 0) {
		for (let i = 0; i < uncovered.length; i += CHUNK) {
			const codes = uncovered.slice(i, i + CHUNK).map((u) => u.community.code);
			const rows = await ctx.db
				.select({
					code: regions.code,
					metres: sql<number | null>`(${ctx.db
						.select({ d: sql`min(${distanceSql(regions.lat, regions.lng, stations.lat, stations.lng)})` })
						.from(stations)
						.where(and(serving, stationsNear(regions.lat, regions.lng, NEAREST_WITHIN_M)))})`.mapWith((v) => (v === null ? null : Number(v)))
				})
				.from(regions)
				.where(inArray(regions.code, codes));
			for (const row of rows) if (row.metres !== null && row.metres <= NEAREST_WITHIN_M) nearest.set(row.code, row.metres);
		}
	}
	for (const { community } of uncovered) {
		const metres = nearest.get(community.code);
		community.nearestKm = metres === undefined ? null : Math.round(metres / 100) / 10;
	}

	const counties = [...countyOf.values()];
	for (const c of counties) {
		c.gap = Math.max(0, c.quota - c.counted);
		c.met = c.gap === 0;
	}
	// Worst first: the biggest shortfall, then the most uncovered communities.
	counties.sort((a, b) => b.gap - a.gap || b.uncovered.length - a.uncovered.length || a.code.localeCompare(b.code));
	return {
		filters,
		region,
		counties,
		summary: {
			counties: counties.length,
			countiesMet: counties.filter((c) => c.met).length,
			communities: counties.reduce((n, c) => n + c.communities, 0),
			uncoveredCommunities: counties.reduce((n, c) => n + c.uncovered.length, 0)
		}
	};
}

/** What the filter form offers: the cities and counties in scope, the station kinds, the lead organisations. */
export async function coverageOptions(ctx: AppContext, actor: Actor) {
	const prefix = regionPrefixOf(actor);
	const [regionRows, organisationRows] = await Promise.all([
		ctx.db
			.select({ code: regions.code, level: regions.level, nameZh: regions.nameZh, nameEn: regions.nameEn })
			.from(regions)
			.where(and(inArray(regions.level, ['province', 'city', 'county']), like(regions.code, prefixPattern(prefix))))
			.orderBy(asc(regions.code)),
		ctx.db
			.selectDistinct({ id: organisations.id, name: organisations.name })
			.from(stations)
			.innerJoin(organisations, eq(organisations.id, stations.leadOrganisationId))
			.where(like(stations.regionCode, prefixPattern(prefix)))
			.orderBy(asc(organisations.name), asc(organisations.id))
	]);
	return { regions: regionRows, organisations: organisationRows, kinds: stationKind.enumValues };
}
