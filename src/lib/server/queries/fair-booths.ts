/**
 * Who could take a booth at a station's fair: employers with open positions around the station (inside
 * 20 km, the distance people travel to a fair), each with its newest open positions to bring. Staff pick
 * from this list; createFair/addBooth check the picks again, so this only saves typing ids.
 */
import { and, between, count, desc, eq, isNotNull, notInArray } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { organisations, positions } from '../db/schema';
import { forbidden } from '../errors';
import { loadStation } from '../services/stations';
import { id, parse } from '../validation';

const RADIUS_KM = 20;
const EMPLOYERS = 30;
const POSITIONS_EACH = 8;

export interface BoothCandidate {
	organisationId: number;
	name: string;
	positions: { id: number; title: string }[];
}

export async function boothCandidates(ctx: AppContext, actor: Actor, stationId: unknown, exclude: number[] = []): Promise<BoothCandidate[]> {
	const sid = parse(id, stationId);
	if (!(actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === sid))) throw forbidden();
	const station = await loadStation(ctx.db, sid);
	const dLat = RADIUS_KM / 111;
	const dLng = RADIUS_KM / (111 * Math.cos((station.lat * Math.PI) / 180));
	const near = and(
		eq(positions.state, 'open'),
		isNotNull(positions.employerOrganisationId),
		between(positions.lat, station.lat - dLat, station.lat + dLat),
		between(positions.lng, station.lng - dLng, station.lng + dLng)
	);
	// Employers ranked by how much they would bring; the bounding box rides the open-positions geo index.
	const employers = await ctx.db
		.select({ organisationId: organisations.id, name: organisations.name, open: count() })
		.from(positions)
		.innerJoin(organisations, and(eq(organisations.id, positions.employerOrganisationId), eq(organisations.kind, 'employer')))
		.where(exclude.length ? and(near, notInArray(organisations.id, exclude)) : near)
		.groupBy(organisations.id, organisations.name)
		.orderBy(desc(count()), organisations.id)
		.limit(EMPLOYERS);
	return Promise.all(
		employers.map(async (e) => ({
			organisationId: e.organisationId,
			name: e.name,
			positions: await ctx.db
				.select({ id: positions.id, title: positions.title })
				.from(positions)
				.where(and(near, eq(positions.employerOrganisationId, e.organisationId)))
				.orderBy(desc(positions.publishedAt), desc(positions.id))
				.limit(POSITIONS_EACH)
		}))
	);
}
