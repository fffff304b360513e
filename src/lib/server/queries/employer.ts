/** The employer's home (/employer): their organisation and their positions grouped by state. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { organisations, positionState } from '../db/schema';
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
	return {
		organisation: organisation ?? null,
		byState,
		recent: own.slice(0, 20).map((p) => ({
			id: p.id,
			title: p.title,
			kind: p.kind,
			state: p.state,
			headcount: p.headcount,
			filledCount: p.filledCount,
			updatedAt: p.updatedAt
		}))
	};
}
