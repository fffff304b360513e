/**
 * The counter console's first paint (/stations/[id]/desk): the station's live figures, today's visits and
 * today's services, read in one REPEATABLE READ snapshot together with the newest event id. The page then
 * follows the station topic *from that id*, so nothing recorded between the page load and the socket's
 * subscription is lost or counted twice (the same rule as realtime/snapshots.ts).
 * Staff of the station and admins only; nothing here identifies a seeker.
 */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { serviceDateKey, startOfServiceDay } from '$lib/time';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { events, serviceRecords, stations, visits } from '../db/schema';
import { forbidden, notFound } from '../errors';
import { id, parse } from '../validation';

/** The newest services listed under the buttons, so staff see their taps land. */
export const DESK_RECENT_SERVICES = 8;

export interface DeskService {
	id: number;
	kind: (typeof serviceRecords.$inferSelect)['kind'];
	at: string;
}

export async function deskOverview(ctx: AppContext, actor: Actor, stationId: unknown) {
	const sid = parse(id, stationId);
	// The counter is the station's own staff (and admins standing in); supervisors read /stations/[id].
	if (!(actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === sid))) throw forbidden();
	const now = ctx.now();
	const dayStart = startOfServiceDay(now);
	return ctx.db.transaction(
		async (tx) => {
			const [last] = await tx.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
			const [station] = await tx
				.select({
					id: stations.id,
					name: stations.name,
					state: stations.state,
					occupancy: stations.occupancy,
					capacity: stations.capacity
				})
				.from(stations)
				.where(eq(stations.id, sid));
			if (!station) throw notFound('station');
			const [today] = await tx
				.select({ n: sql<number>`count(*)::int` })
				.from(visits)
				.where(and(eq(visits.stationId, sid), gte(visits.checkedInAt, dayStart)));
			const todays = and(eq(serviceRecords.stationId, sid), gte(serviceRecords.at, dayStart));
			const byKind = await tx.select({ kind: serviceRecords.kind, n: sql<number>`count(*)::int` }).from(serviceRecords).where(todays).groupBy(serviceRecords.kind);
			const recent = await tx
				.select({ id: serviceRecords.id, kind: serviceRecords.kind, at: serviceRecords.at })
				.from(serviceRecords)
				.where(todays)
				.orderBy(desc(serviceRecords.id))
				.limit(DESK_RECENT_SERVICES);
			return {
				station,
				visitsToday: today?.n ?? 0,
				servicesByKind: Object.fromEntries(byKind.map((r) => [r.kind, r.n])) as Partial<Record<DeskService['kind'], number>>,
				recentServices: recent.map((s): DeskService => ({ id: s.id, kind: s.kind, at: s.at.toISOString() })),
				/** The service day these figures are for (a counter left on overnight starts afresh). */
				day: serviceDateKey(now),
				cursor: last?.id ?? 0
			};
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}
