/**
 * The employer's home (/employer): their organisation, their positions grouped by state with each one's
 * number of applicants, and the job fairs where the organisation has a booth.
 */
import { count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { applications, fairBooths, jobFairs, organisations, positionState, stations } from '../db/schema';
import { forbidden } from '../errors';
import { listOwnPositions } from '../services/positions';

export async function employerOverview(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'employer') throw forbidden();
	const [[organisation], own] = await Promise.all([
		ctx.db
			.select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
			.from(organisations)
			.where(eq(organisations.id, actor.organisationId)),
		listOwnPositions(ctx, actor, { limit: 200 })
	]);
	const byState = Object.fromEntries(positionState.enumValues.map((s) => [s, 0])) as Record<(typeof positionState.enumValues)[number], number>;
	for (const p of own) byState[p.state]++;
	const recent = own.slice(0, 20);
	const [applicants, fairs] = await Promise.all([applicantCounts(ctx, recent.map((p) => p.id)), boothFairs(ctx, actor.organisationId)]);
	return {
		organisation: organisation ?? null,
		byState,
		fairs,
		recent: recent.map((p) => ({
			id: p.id,
			title: p.title,
			kind: p.kind,
			state: p.state,
			headcount: p.headcount,
			filledCount: p.filledCount,
			updatedAt: p.updatedAt,
			applicants: applicants.get(p.id) ?? 0
		}))
	};
}

/** Applications per position (every status: the number the pipeline page shows). */
async function applicantCounts(ctx: AppContext, positionIds: number[]) {
	if (!positionIds.length) return new Map<number, number>();
	const rows = await ctx.db
		.select({ positionId: applications.positionId, n: count() })
		.from(applications)
		.where(inArray(applications.positionId, positionIds))
		.groupBy(applications.positionId);
	return new Map(rows.map((r) => [r.positionId, r.n]));
}

/** Fairs with a booth of this organisation: running and coming ones first, then the latest ended. */
async function boothFairs(ctx: AppContext, organisationId: number) {
	const rows = await ctx.db
		.select({
			id: jobFairs.id,
			title: jobFairs.title,
			state: jobFairs.state,
			startsAt: jobFairs.startsAt,
			endsAt: jobFairs.endsAt,
			booth: fairBooths.label,
			station: stations.name
		})
		.from(fairBooths)
		.innerJoin(jobFairs, eq(jobFairs.id, fairBooths.fairId))
		.innerJoin(stations, eq(stations.id, jobFairs.stationId))
		.where(eq(fairBooths.organisationId, organisationId))
		.orderBy(sql`${jobFairs.state} = 'ended'`, desc(jobFairs.startsAt))
		.limit(20);
	return rows.map((f) => ({ ...f, startsAt: f.startsAt.toISOString(), endsAt: f.endsAt.toISOString() }));
}
