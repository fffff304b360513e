/**
 * The supervisor's overview (/ops): headline counts and the busiest stations in the actor's region scope.
 * Aggregates only; no personal data.
 */
import { and, count, desc, eq, like, sql, sum } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { positions, regions, stations } from '../db/schema';
import { prefixPattern, regionPrefixOf } from './scope';

export async function opsOverview(ctx: AppContext, actor: Actor, busiestLimit = 10) {
	const prefix = regionPrefixOf(actor);
	const inScope = like(stations.regionCode, prefixPattern(prefix));
	const [[stationTotals], [positionTotals], [region], busiest] = await Promise.all([
		ctx.db
			.select({
				stations: count(),
				openStations: count(sql`case when ${stations.state} = 'open' then 1 end`),
				onSite: sum(stations.occupancy).mapWith(Number),
				capacity: sum(stations.capacity).mapWith(Number)
			})
			.from(stations)
			.where(inScope),
		ctx.db
			.select({ open: count() })
			.from(positions)
			.where(and(eq(positions.state, 'open'), like(positions.regionCode, prefixPattern(prefix)))),
		prefix
			? ctx.db.select({ nameZh: regions.nameZh, nameEn: regions.nameEn }).from(regions).where(eq(regions.code, prefix))
			: Promise.resolve([null]),
		ctx.db
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
			.where(inScope)
			.orderBy(desc(sql`${stations.occupancy}::float / ${stations.capacity}`), desc(stations.occupancy), stations.id)
			.limit(busiestLimit)
	]);
	return {
		region: region ?? null,
		totals: {
			stations: stationTotals?.stations ?? 0,
			openStations: stationTotals?.openStations ?? 0,
			onSite: stationTotals?.onSite ?? 0,
			capacity: stationTotals?.capacity ?? 0,
			openPositions: positionTotals?.open ?? 0
		},
		busiest
	};
}
