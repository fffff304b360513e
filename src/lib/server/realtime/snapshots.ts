/**
 * Fresh state for a subscriber whose cursor is absent or too old to replay. Taken in one REPEATABLE READ
 * snapshot together with the highest visible event id: because ids are handed out in commit order, that
 * id is exactly the point the state reflects, so the client applies only later events on top of it.
 */
import { and, desc, eq, gte, like, sql } from 'drizzle-orm';
import type { ParsedTopic } from '$lib/realtime/topics';
import { startOfServiceDay } from '$lib/time';
import type { AppContext } from '../context';
import { boardContent } from '../queries/board';
import type { Tx } from '../db';
import { applications, events, stations, visits } from '../db/schema';
import { openAlertsIn } from '../services/alerts';
import { fairLive } from '../services/fairs';
import { roomHostLive, roomLive } from '../services/rooms';

export interface Snapshot {
	cursor: number;
	snapshot: unknown;
}

export interface SnapshotExtras {
	/** A room's viewers across processes (realtime presence); absent → 0. */
	viewers?: (roomId: number) => number;
}

export async function takeSnapshot(ctx: AppContext, t: ParsedTopic, extras: SnapshotExtras = {}): Promise<Snapshot> {
	return ctx.db.transaction(
		async (tx) => {
			const [last] = await tx.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
			const snapshot = await stateOf(ctx, tx, t, extras);
			return { cursor: last?.id ?? 0, snapshot };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

export interface StationLive {
	id: number;
	state: 'open' | 'closed' | 'offline';
	occupancy: number;
	capacity: number;
}

const stationLive = {
	id: stations.id,
	state: stations.state,
	occupancy: stations.occupancy,
	capacity: stations.capacity
};

async function stateOf(ctx: AppContext, tx: Tx, t: ParsedTopic, extras: SnapshotExtras): Promise<unknown> {
	switch (t.kind) {
		case 'station': {
			const id = Number(t.key);
			const [station] = await tx.select(stationLive).from(stations).where(eq(stations.id, id));
			const [today] = await tx
				.select({ n: sql<number>`count(*)::int` })
				.from(visits)
				.where(and(eq(visits.stationId, id), gte(visits.checkedInAt, startOfServiceDay(ctx.now()))));
			return { station: station ?? null, visitsToday: today?.n ?? 0 };
		}
		case 'region':
			return {
				stations: await tx
					.select(stationLive)
					.from(stations)
					.where(like(stations.regionCode, `${t.key}%`))
					.orderBy(stations.id),
				// Open alerts come back with a resync like everything else (newest first, at most 200).
				alerts: await openAlertsIn(tx, t.key)
			};
		case 'seeker':
			return {
				applications: await tx
					.select({
						id: applications.id,
						positionId: applications.positionId,
						status: applications.status,
						channel: applications.channel,
						updatedAt: applications.updatedAt
					})
					.from(applications)
					.where(eq(applications.seekerId, Number(t.key)))
					.orderBy(desc(applications.id))
					.limit(500)
			};
		case 'display':
			return boardContent(ctx, tx, Number(t.key));
		case 'fair':
			// Counters and the recent feed, in the same snapshot as the cursor: later events apply on top.
			return fairLive(tx, Number(t.key));
		case 'room':
			// A late joiner sees the pinned card, queue, chat and counts at once; the viewer count is the last
			// total announced over all processes (the next change arrives as `room:viewers`).
			return { ...(await roomLive(tx, Number(t.key))), viewers: extras.viewers?.(Number(t.key)) ?? 0 };
		case 'room_host':
			return roomHostLive(tx, Number(t.key), ctx.now());
		default:
			// Views of these topics load their state over HTTP; the snapshot only says "reload it".
			return null;
	}
}
