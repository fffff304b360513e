/** Live recruiting rooms for the public list (/live): live now, upcoming, recently ended. Public facts only. */
import { asc, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { liveRooms, organisations, stations } from '../db/schema';

const PER_GROUP = 20;

/** What a room listing shows (needs the host organisation joined). */
export const roomListFields = {
	id: liveRooms.id,
	title: liveRooms.title,
	state: liveRooms.state,
	scheduledAt: liveRooms.scheduledAt,
	startedAt: liveRooms.startedAt,
	endedAt: liveRooms.endedAt,
	peakViewers: liveRooms.peakViewers,
	host: organisations.name
};

export async function liveRoomsOverview(ctx: AppContext) {
	const base = () =>
		ctx.db
			.select({ ...roomListFields, station: stations.name })
			.from(liveRooms)
			.innerJoin(organisations, eq(organisations.id, liveRooms.hostOrganisationId))
			.leftJoin(stations, eq(stations.id, liveRooms.stationId));
	const [live, upcoming, ended] = await Promise.all([
		base().where(eq(liveRooms.state, 'live')).orderBy(desc(liveRooms.startedAt), desc(liveRooms.id)).limit(PER_GROUP),
		base().where(eq(liveRooms.state, 'scheduled')).orderBy(asc(liveRooms.scheduledAt), asc(liveRooms.id)).limit(PER_GROUP),
		base().where(eq(liveRooms.state, 'ended')).orderBy(desc(liveRooms.endedAt), desc(liveRooms.id)).limit(PER_GROUP)
	]);
	return { live, upcoming, ended };
}
