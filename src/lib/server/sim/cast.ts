/**
 * The people the simulator plays: the staff of every open station, employers, seekers with their own
 * login, and the province supervisor who reviews employers' postings. All real accounts from the
 * database, so every event looks like one a person caused.
 */
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { applications, displays, positions, seekers, stations, users } from '../db/schema';

export interface SimStation {
	id: number;
	capacity: number;
	/** Last occupancy a service answered with (the service, not this cache, enforces capacity). */
	occupancy: number;
	kind: string;
	hasDisplay: boolean;
	staff: Actor & { kind: 'staff' };
}

export interface Cast {
	stations: SimStation[];
	/** Stations that collect odd jobs (odd-job markets, outdoor-worker rest stations, community stations). */
	boards: SimStation[];
	employers: Array<Actor & { kind: 'employer' }>;
	seekers: Array<Actor & { kind: 'seeker' }>;
	/** Seeker id → the station they registered at: staff apply at the counter only for their station's people. */
	homeStation: Map<number, number>;
	reviewer: Actor;
	/** Highest position id at start: random seeks into the id range find open positions without OFFSET. */
	maxPositionId: number;
	maxApplicationId: number;
}

export async function loadCast(ctx: AppContext): Promise<Cast | null> {
	const staffRows = await ctx.db
		.select({ id: stations.id, capacity: stations.capacity, occupancy: stations.occupancy, kind: stations.kind, userId: users.id })
		.from(stations)
		.innerJoin(users, and(eq(users.stationId, stations.id), eq(users.role, 'staff')))
		.where(eq(stations.state, 'open'))
		.orderBy(stations.id);
	const screens = new Set((await ctx.db.selectDistinct({ id: displays.stationId }).from(displays)).map((d) => d.id));
	const byStation = new Map<number, SimStation>();
	for (const r of staffRows) {
		if (byStation.has(r.id)) continue; // one staff account per station is enough
		byStation.set(r.id, { id: r.id, capacity: r.capacity, occupancy: r.occupancy, kind: r.kind, hasDisplay: screens.has(r.id), staff: { kind: 'staff', userId: r.userId, stationId: r.id } });
	}
	const list = [...byStation.values()];
	const employers = (
		await ctx.db.select({ id: users.id, org: users.organisationId }).from(users).where(and(eq(users.role, 'employer'), isNotNull(users.organisationId))).orderBy(users.id).limit(1000)
	).map((u) => ({ kind: 'employer' as const, userId: u.id, organisationId: u.org! }));
	const seekerRows = await ctx.db
		.select({ id: users.id, seekerId: users.seekerId, stationId: seekers.registeredAtStationId })
		.from(users)
		.innerJoin(seekers, eq(seekers.id, users.seekerId))
		.where(and(eq(users.role, 'seeker'), isNotNull(users.seekerId)))
		.orderBy(users.id)
		.limit(500);
	const seekerActors = seekerRows.map((u) => ({ kind: 'seeker' as const, userId: u.id, seekerId: u.seekerId! }));
	const homeStation = new Map(seekerRows.filter((u) => u.stationId !== null).map((u) => [u.seekerId!, u.stationId!]));
	const [supervisor] = await ctx.db
		.select({ id: users.id, regionCode: users.regionCode })
		.from(users)
		.where(and(eq(users.role, 'supervisor'), inArray(users.regionCode, ['44'])))
		.limit(1);
	const [admin] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
	const reviewer: Actor | null = supervisor ? { kind: 'supervisor', userId: supervisor.id, regionCode: supervisor.regionCode! } : admin ? { kind: 'admin', userId: admin.id } : null;
	const [last] = await ctx.db.select({ id: positions.id }).from(positions).orderBy(desc(positions.id)).limit(1);
	const [lastApplication] = await ctx.db.select({ id: applications.id }).from(applications).orderBy(desc(applications.id)).limit(1);
	if (!list.length || !reviewer) return null;
	return {
		stations: list,
		boards: list.filter((s) => s.kind === 'odd_job' || s.kind === 'outdoor_worker' || s.kind === 'community'),
		employers,
		seekers: seekerActors,
		homeStation,
		reviewer,
		maxPositionId: last?.id ?? 1,
		maxApplicationId: lastApplication?.id ?? 1
	};
}
