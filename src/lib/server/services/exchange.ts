/**
 * Reads for the exchange API (/api/v1): an organisation's own positions and the public facts of stations,
 * both keyset-paginated by id ascending so a platform can sync by walking `next` until it is null.
 */
import { and, asc, eq, gt, gte } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { positions, positionState, stations } from '../db/schema';
import { forbidden } from '../errors';
import { date, id, parse } from '../validation';
import { createPosition, submitPosition, updatePosition } from './positions';

const positionsInput = z.object({
	state: z.enum(positionState.enumValues, { error: 'unknown_state' }).optional(),
	updatedSince: date.optional(),
	after: id.optional(),
	limit: z.coerce.number().int('integer').min(1, 'limit_range').max(500, 'limit_range').default(100)
});

/** Positions of the actor's organisation (an employer, or an API token acting as one). */
export async function listOrganisationPositions(ctx: AppContext, actor: Actor, input: unknown) {
	if (actor.kind !== 'employer') throw forbidden();
	const q = parse(positionsInput, input);
	const rows = await ctx.db
		.select()
		.from(positions)
		.where(
			and(
				eq(positions.employerOrganisationId, actor.organisationId),
				q.state ? eq(positions.state, q.state) : undefined,
				q.updatedSince ? gte(positions.updatedAt, q.updatedSince) : undefined,
				q.after ? gt(positions.id, q.after) : undefined
			)
		)
		.orderBy(asc(positions.id))
		.limit(q.limit + 1);
	const page = rows.slice(0, q.limit);
	return { positions: page, next: rows.length > q.limit ? page.at(-1)!.id : null };
}

const stationsInput = z.object({
	after: id.optional(),
	limit: z.coerce.number().int('integer').min(1, 'limit_range').max(500, 'limit_range').default(100)
});

/** Public facts of every station (what the public map shows); no occupancy history, no people. */
export async function listPublicStations(ctx: AppContext, input: unknown) {
	const q = parse(stationsInput, input);
	const rows = await ctx.db
		.select({
			id: stations.id,
			name: stations.name,
			kind: stations.kind,
			regionCode: stations.regionCode,
			address: stations.address,
			lat: stations.lat,
			lng: stations.lng,
			radiusM: stations.radiusM,
			capacity: stations.capacity,
			openingHours: stations.openingHours,
			services: stations.services,
			facilities: stations.facilities,
			state: stations.state
		})
		.from(stations)
		.where(q.after ? gt(stations.id, q.after) : undefined)
		.orderBy(asc(stations.id))
		.limit(q.limit + 1);
	const page = rows.slice(0, q.limit);
	return { stations: page, next: rows.length > q.limit ? page.at(-1)!.id : null };
}

const upsertInput = z.object(
	{
		externalRef: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long'),
		/** Send it for review once saved (a draft stays a draft otherwise; an edited open position goes back to review anyway). */
		submit: z.boolean({ error: 'boolean' }).default(false)
	},
	{ error: 'object' }
);

/**
 * Create or update the organisation's position with this external reference (POST /api/v1/positions): the
 * platform sends what it has and need not remember our ids. Creating takes every required field; updating
 * changes the fields sent. Both go through createPosition / updatePosition, so the same checks, scope and
 * events apply as on the employer's own pages. References are per organisation: another organisation's
 * position is never found, let alone changed.
 */
export async function upsertPositionByRef(ctx: AppContext, actor: Actor, input: unknown) {
	if (actor.kind !== 'employer') throw forbidden();
	const { externalRef, submit } = parse(upsertInput, input);
	const { submit: _submit, ...rest } = input as Record<string, unknown>;
	const fields = { ...rest, externalRef };
	// Naming another organisation is refused whether the position is new or not (an edit would only ignore it).
	if (rest.employerOrganisationId != null && Number(rest.employerOrganisationId) !== actor.organisationId) throw forbidden('not_your_organisation');
	const [current] = await ctx.db
		.select({ id: positions.id })
		.from(positions)
		.where(and(eq(positions.employerOrganisationId, actor.organisationId), eq(positions.externalRef, externalRef)));
	const created = !current;
	let position = current ? await updatePosition(ctx, actor, { ...fields, positionId: current.id }) : await createPosition(ctx, actor, fields);
	if (submit && position.state === 'draft') position = await submitPosition(ctx, actor, { positionId: position.id });
	return { created, position };
}
