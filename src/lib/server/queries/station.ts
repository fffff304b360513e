/**
 * The station workbench header (/stations/[id]): facts about the station and today's figures.
 * Access goes through the stations service (staff of the station, covering supervisor, admin).
 */
import { and, count, eq, gte, isNull } from 'drizzle-orm';
import { startOfServiceDay } from '$lib/time';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { organisations, positions, regions, serviceRecords, visits } from '../db/schema';
import { getStation } from '../services/stations';

export async function stationOverview(ctx: AppContext, actor: Actor, stationId: number) {
	const station = await getStation(ctx, actor, stationId);
	const dayStart = startOfServiceDay(ctx.now());
	const [[region], [lead], [visitsToday], [onSiteVisits], [servicesToday], [openPositions]] = await Promise.all([
		ctx.db.select({ nameZh: regions.nameZh, nameEn: regions.nameEn }).from(regions).where(eq(regions.code, station.regionCode)),
		ctx.db.select({ name: organisations.name, kind: organisations.kind }).from(organisations).where(eq(organisations.id, station.leadOrganisationId)),
		ctx.db.select({ n: count() }).from(visits).where(and(eq(visits.stationId, station.id), gte(visits.checkedInAt, dayStart))),
		ctx.db.select({ n: count() }).from(visits).where(and(eq(visits.stationId, station.id), isNull(visits.checkedOutAt))),
		ctx.db.select({ n: count() }).from(serviceRecords).where(and(eq(serviceRecords.stationId, station.id), gte(serviceRecords.at, dayStart))),
		ctx.db.select({ n: count() }).from(positions).where(and(eq(positions.stationId, station.id), eq(positions.state, 'open')))
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
			regionZh: region?.nameZh ?? station.regionCode,
			regionEn: region?.nameEn ?? station.regionCode,
			leadOrganisation: lead?.name ?? null,
			leadOrganisationKind: lead?.kind ?? null
		},
		today: {
			visits: visitsToday?.n ?? 0,
			openVisits: onSiteVisits?.n ?? 0,
			services: servicesToday?.n ?? 0,
			openPositions: openPositions?.n ?? 0
		}
	};
}
