/**
 * Visits: people checked in and out at a station's counter; they move the station's live occupancy.
 * Occupancy changes with a single conditional UPDATE in the same transaction as the visit row, so 40
 * simultaneous check-ins for 10 free places give exactly 10 successes. Both taps carry a client key:
 * a double-tap gets the first tap's answer.
 */
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Actor } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { keyGroup, stations, visits } from '../db/schema';
import { ServiceError, conflict, forbidden, isUniqueViolation } from '../errors';
import { write } from '../events/write';
import { clientKey, id, parse } from '../validation';
import { loadStation, stationPayload, stationTopics } from './stations';

const checkInInput = z.object({
	stationId: id,
	keyGroup: z.enum(keyGroup.enumValues).nullish(),
	seekerId: id.nullish(),
	clientKey,
	/** Staff may let someone in past capacity (recorded on the visit). */
	override: z.boolean().default(false)
});
/** Two-key advisory locks live in their own key space; 73 marks Jobcircle's check-out taps. */
const CHECK_OUT_LOCK_SPACE = 73;

const checkOutInput = z.object({ stationId: id, visitId: id.nullish(), clientKey });

export interface VisitAnswer {
	visitId: number;
	stationId: number;
	checkedInAt: string;
	checkedOutAt: string | null;
	overCapacity: boolean;
	/** Occupancy right after this tap (for a repeated tap: now). */
	occupancy: number;
	capacity: number;
}

function counterStaff(actor: Actor, stationId: number) {
	if (actor.kind === 'admin') return;
	if (actor.kind === 'staff' && actor.stationId === stationId) return;
	throw forbidden();
}

async function answerFor(db: Executor, where: ReturnType<typeof and>): Promise<VisitAnswer | null> {
	const [row] = await db
		.select({ visit: visits, occupancy: stations.occupancy, capacity: stations.capacity })
		.from(visits)
		.innerJoin(stations, eq(stations.id, visits.stationId))
		.where(where)
		.limit(1);
	if (!row) return null;
	return {
		visitId: row.visit.id,
		stationId: row.visit.stationId,
		checkedInAt: row.visit.checkedInAt.toISOString(),
		checkedOutAt: row.visit.checkedOutAt?.toISOString() ?? null,
		overCapacity: row.visit.overCapacity,
		occupancy: row.occupancy,
		capacity: row.capacity
	};
}

export async function checkIn(ctx: AppContext, actor: Actor, input: unknown): Promise<VisitAnswer> {
	const data = parse(checkInInput, input);
	counterStaff(actor, data.stationId);
	const station = await loadStation(ctx.db, data.stationId);
	const repeated = await answerFor(ctx.db, and(eq(visits.stationId, data.stationId), eq(visits.clientKey, data.clientKey)));
	if (repeated) return repeated;
	if (station.state !== 'open') throw conflict('station_not_open', 'The station is not open');

	const answer = await write(ctx, async (tx, publish) => {
		const [visit] = await tx
			.insert(visits)
			.values({ stationId: data.stationId, keyGroup: data.keyGroup ?? null, seekerId: data.seekerId ?? null, clientKey: data.clientKey })
			.onConflictDoNothing()
			.returning();
		if (!visit) return null; // the same tap, committed by a concurrent request: answer as it did
		const [updated] = await tx
			.update(stations)
			.set({ occupancy: sql`${stations.occupancy} + 1`, lastActivityAt: ctx.now() })
			.where(and(eq(stations.id, data.stationId), eq(stations.state, 'open'), data.override ? undefined : sql`${stations.occupancy} < ${stations.capacity}`))
			.returning();
		if (!updated) {
			throw new ServiceError('conflict', 'capacity_full', `The station is full (${station.capacity} people)`, { stationId: 'capacity_full' });
		}
		const overCapacity = updated.occupancy > updated.capacity;
		if (overCapacity) await tx.update(visits).set({ overCapacity }).where(eq(visits.id, visit.id));
		publish({
			type: 'visit.checked_in',
			topics: stationTopics(updated),
			payload: { ...stationPayload(updated), visitId: visit.id, keyGroup: visit.keyGroup, overCapacity }
		});
		return {
			visitId: visit.id,
			stationId: visit.stationId,
			checkedInAt: visit.checkedInAt.toISOString(),
			checkedOutAt: null,
			overCapacity,
			occupancy: updated.occupancy,
			capacity: updated.capacity
		} satisfies VisitAnswer;
	});
	return answer ?? (await answerFor(ctx.db, and(eq(visits.stationId, data.stationId), eq(visits.clientKey, data.clientKey))))!;
}

export async function checkOut(ctx: AppContext, actor: Actor, input: unknown): Promise<VisitAnswer> {
	const data = parse(checkOutInput, input);
	counterStaff(actor, data.stationId);
	await loadStation(ctx.db, data.stationId);
	const byKey = and(eq(visits.stationId, data.stationId), eq(visits.checkOutKey, data.clientKey));
	const repeated = await answerFor(ctx.db, byKey);
	if (repeated) return repeated;
	try {
		const answer = await write(ctx, async (tx, publish) => {
			// Identical taps queue here; the later one then finds the first one's visit by its key.
			await tx.execute(sql`select pg_advisory_xact_lock(${CHECK_OUT_LOCK_SPACE}, hashtext(${`${data.stationId}:${data.clientKey}`}))`);
			const [done] = await tx.select({ id: visits.id }).from(visits).where(byKey).limit(1);
			if (done) return null;
			const [open] = await tx
				.select()
				.from(visits)
				.where(and(eq(visits.stationId, data.stationId), isNull(visits.checkedOutAt), data.visitId ? eq(visits.id, data.visitId) : undefined))
				.orderBy(asc(visits.checkedInAt), asc(visits.id))
				.limit(1)
				.for('update', { skipLocked: true });
			if (!open) throw conflict('nobody_on_site', 'Nobody is checked in here', data.visitId ? { visitId: 'not_open' } : undefined);
			const [visit] = await tx
				.update(visits)
				.set({ checkedOutAt: ctx.now(), checkOutKey: data.clientKey })
				.where(eq(visits.id, open.id))
				.returning();
			const [updated] = await tx
				.update(stations)
				.set({ occupancy: sql`${stations.occupancy} - 1`, lastActivityAt: ctx.now() })
				.where(and(eq(stations.id, data.stationId), gt(stations.occupancy, 0)))
				.returning();
			const station = updated ?? (await loadStation(tx, data.stationId));
			publish({ type: 'visit.checked_out', topics: stationTopics(station), payload: { ...stationPayload(station), visitId: visit.id, keyGroup: visit.keyGroup } });
			return {
				visitId: visit.id,
				stationId: visit.stationId,
				checkedInAt: visit.checkedInAt.toISOString(),
				checkedOutAt: visit.checkedOutAt!.toISOString(),
				overCapacity: visit.overCapacity,
				occupancy: station.occupancy,
				capacity: station.capacity
			} satisfies VisitAnswer;
		});
		return answer ?? (await answerFor(ctx.db, byKey))!;
	} catch (error) {
		// A concurrent identical tap won the unique key: answer with its result.
		if (isUniqueViolation(error)) {
			const answer = await answerFor(ctx.db, byKey);
			if (answer) return answer;
		}
		throw error;
	}
}
