/**
 * Positions and odd jobs: draft → pending_review → open → filled | closed | expired.
 * Employers post for their own organisation; station staff post for their station (optionally on behalf
 * of a walk-in employer); staff of the station, covering supervisors and admins review.
 */
import { and, desc, eq, gte, ilike, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { regionTopics, topic } from '$lib/realtime/topics';
import { type Actor, regionCovers } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { organisations, payUnit, positionKind, positions, regions } from '../db/schema';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { write, type Publish } from '../events/write';
import { id, lat, lng, parse, patchOf, requiredText, text } from '../validation';
import { loadStation } from './stations';

export type Position = typeof positions.$inferSelect;

const positionFields = z.object({
	title: requiredText(80),
	category: requiredText(40),
	kind: z.enum(positionKind.enumValues),
	description: text(4000).default(''),
	payMin: z.number().int('integer').min(0, 'pay_range').max(10_000_000, 'pay_range'),
	payMax: z.number().int('integer').min(0, 'pay_range').max(10_000_000, 'pay_range'),
	payUnit: z.enum(payUnit.enumValues),
	headcount: z.number().int('integer').min(1, 'headcount_range').max(10000, 'headcount_range'),
	address: text(200).default(''),
	lat: lat.optional(),
	lng: lng.optional(),
	regionCode: z.string().regex(/^[0-9]{2,12}$/, 'region_code').optional(),
	startsAt: z.coerce.date({ error: 'date' }).nullish(),
	endsAt: z.coerce.date({ error: 'date' }).nullish(),
	expiresAt: z.coerce.date({ error: 'date' }).nullish(),
	/** Staff posting on behalf of a walk-in employer. */
	employerOrganisationId: id.nullish()
});

function checkRules(p: { payMin: number; payMax: number; kind: string; startsAt?: Date | null; endsAt?: Date | null }) {
	const fields: Record<string, string> = {};
	if (p.payMax < p.payMin) fields.payMax = 'below_pay_min';
	if (p.kind === 'odd_job' && !p.startsAt) fields.startsAt = 'required_for_odd_job';
	if (p.kind === 'odd_job' && !p.endsAt) fields.endsAt = 'required_for_odd_job';
	if (p.startsAt && p.endsAt && p.endsAt <= p.startsAt) fields.endsAt = 'before_start';
	if (Object.keys(fields).length) throw invalid(fields);
}

const createInput = positionFields;
const updateInput = patchOf(positionFields.shape).extend({ positionId: id });
const idInput = z.object({ positionId: id });
const reviewInput = z.discriminatedUnion('decision', [
	z.object({ positionId: id, decision: z.literal('approve') }),
	z.object({ positionId: id, decision: z.literal('reject'), reason: requiredText(500) })
], { error: 'decision' });

/** Public facts of a position: what boards, search and tickers show. */
export function positionPayload(p: Position) {
	return {
		positionId: p.id,
		title: p.title,
		category: p.category,
		kind: p.kind,
		state: p.state,
		payMin: p.payMin,
		payMax: p.payMax,
		payUnit: p.payUnit,
		headcount: p.headcount,
		filledCount: p.filledCount,
		stationId: p.stationId,
		employerOrganisationId: p.employerOrganisationId,
		regionCode: p.regionCode,
		lat: p.lat,
		lng: p.lng,
		startsAt: p.startsAt?.toISOString() ?? null,
		endsAt: p.endsAt?.toISOString() ?? null
	};
}

/** Drafts and reviews stay with the people who work on them; wall displays and `jobs` hear only public changes. */
export function positionTopics(p: Position, isPublic: boolean) {
	const list = regionTopics(p.regionCode);
	if (p.stationId) list.push(topic.station(p.stationId));
	if (p.employerOrganisationId) list.push(topic.org(p.employerOrganisationId));
	if (isPublic) {
		list.push(topic.jobs);
		if (p.stationId) list.push(topic.display(p.stationId));
	}
	return list;
}

function announce(publish: Publish, type: string, p: Position, wasPublic: boolean, extra: Record<string, unknown> = {}) {
	publish({ type, topics: positionTopics(p, wasPublic || p.state === 'open'), payload: { ...positionPayload(p), ...extra } });
}

export async function loadPosition(db: Executor, positionId: number): Promise<Position> {
	const [row] = await db.select().from(positions).where(eq(positions.id, positionId)).limit(1);
	if (!row) throw notFound('position');
	return row;
}

/** Who owns it: the employer's organisation, or the staff of the station that collected it. */
function isOwner(actor: Actor, p: Position) {
	if (actor.kind === 'admin') return true;
	if (actor.kind === 'employer') return p.employerOrganisationId === actor.organisationId;
	if (actor.kind === 'staff') return p.stationId === actor.stationId;
	return false;
}

/** Who may approve or reject: staff of its station, supervisors of its region, admins. */
function isReviewer(actor: Actor, p: Position) {
	if (actor.kind === 'admin') return true;
	if (actor.kind === 'supervisor') return regionCovers(actor.regionCode, p.regionCode);
	if (actor.kind === 'staff') return p.stationId === actor.stationId;
	return false;
}

/** A position posted for an employer must name a real employer organisation. */
async function checkEmployer(db: Executor, organisationId: number) {
	const [org] = await db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, organisationId));
	if (org?.kind !== 'employer') throw invalid({ employerOrganisationId: org ? 'not_an_employer' : 'unknown_organisation' });
}

async function checkRegion(db: Executor, regionCode: string) {
	const [region] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, regionCode));
	if (!region) throw invalid({ regionCode: 'unknown_region' });
}

export async function createPosition(ctx: AppContext, actor: Actor, input: unknown) {
	if (actor.kind !== 'employer' && actor.kind !== 'staff' && actor.kind !== 'admin') throw forbidden();
	const data = parse(createInput, input);
	checkRules(data);
	let stationId: number | null = null;
	let employerOrganisationId = data.employerOrganisationId ?? null;
	let place: { regionCode?: string; lat?: number; lng?: number } = {};
	if (actor.kind === 'employer') {
		// An employer posts for its own organisation only.
		if (employerOrganisationId && employerOrganisationId !== actor.organisationId) throw forbidden('not_your_organisation');
		employerOrganisationId = actor.organisationId;
	} else {
		if (employerOrganisationId) await checkEmployer(ctx.db, employerOrganisationId);
	}
	if (actor.kind === 'staff') {
		const station = await loadStation(ctx.db, actor.stationId);
		stationId = station.id;
		place = { regionCode: station.regionCode, lat: station.lat, lng: station.lng };
	}
	const regionCode = data.regionCode ?? place.regionCode;
	const at = { lat: data.lat ?? place.lat, lng: data.lng ?? place.lng };
	const missing: Record<string, string> = {};
	if (!regionCode) missing.regionCode = 'required';
	if (at.lat === undefined) missing.lat = 'required';
	if (at.lng === undefined) missing.lng = 'required';
	if (!stationId && !employerOrganisationId) missing.employerOrganisationId = 'required';
	if (Object.keys(missing).length) throw invalid(missing);
	await checkRegion(ctx.db, regionCode!);
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.insert(positions)
			.values({
				...data,
				regionCode: regionCode!,
				lat: at.lat!,
				lng: at.lng!,
				stationId,
				employerOrganisationId,
				postedByUserId: 'userId' in actor ? actor.userId : null,
				state: 'draft'
			})
			.returning();
		announce(publish, 'position.created', row, false);
		return row;
	});
}

export async function updatePosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId, ...changes } = parse(updateInput, input);
	const current = await loadPosition(ctx.db, positionId);
	if (!isOwner(actor, current)) throw forbidden();
	if (!['draft', 'pending_review', 'open'].includes(current.state)) throw conflict('position_not_editable', 'Only drafts, positions in review and open positions can be edited');
	checkRules({ ...current, ...changes });
	if (changes.regionCode) await checkRegion(ctx.db, changes.regionCode);
	const { employerOrganisationId: _ignored, ...allowed } = changes;
	// Editing an open position sends it back to review: what the public sees was approved.
	const state = current.state === 'open' ? 'pending_review' : current.state;
	return write(ctx, async (tx, publish) => {
		const [row] = await tx.update(positions).set({ ...allowed, state, updatedAt: ctx.now() }).where(eq(positions.id, positionId)).returning();
		announce(publish, 'position.updated', row, current.state === 'open');
		return row;
	});
}

async function transition(
	ctx: AppContext,
	positionId: number,
	from: Position['state'][],
	type: string,
	set: (p: Position) => Partial<typeof positions.$inferInsert>,
	extra: Record<string, unknown> = {}
) {
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(positions)
			.set({ updatedAt: ctx.now() })
			.where(and(eq(positions.id, positionId), inArray(positions.state, from)))
			.returning();
		if (!row) {
			const current = await loadPosition(tx, positionId);
			throw conflict('wrong_state', `The position is ${current.state}`, { state: current.state });
		}
		const [next] = await tx.update(positions).set(set(row)).where(eq(positions.id, positionId)).returning();
		announce(publish, type, next, row.state === 'open', extra);
		return next;
	});
}

export async function submitPosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId } = parse(idInput, input);
	if (!isOwner(actor, await loadPosition(ctx.db, positionId))) throw forbidden();
	return transition(ctx, positionId, ['draft'], 'position.submitted', () => ({ state: 'pending_review', submittedAt: ctx.now() }));
}

export async function reviewPosition(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(reviewInput, input);
	if (!isReviewer(actor, await loadPosition(ctx.db, data.positionId))) throw forbidden();
	if (data.decision === 'approve') {
		return transition(ctx, data.positionId, ['pending_review'], 'position.approved', () => ({ state: 'open', publishedAt: ctx.now(), reviewNote: null }));
	}
	return transition(ctx, data.positionId, ['pending_review'], 'position.rejected', () => ({ state: 'draft', reviewNote: data.reason }), { reason: data.reason });
}

export async function closePosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId } = parse(idInput, input);
	const p = await loadPosition(ctx.db, positionId);
	if (!isOwner(actor, p) && !isReviewer(actor, p)) throw forbidden();
	return transition(ctx, positionId, ['draft', 'pending_review', 'open'], 'position.closed', () => ({ state: 'closed', closedAt: ctx.now() }));
}

export async function fillPosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId } = parse(idInput, input);
	if (!isOwner(actor, await loadPosition(ctx.db, positionId))) throw forbidden();
	return transition(ctx, positionId, ['open'], 'position.filled', (p) => ({ state: 'filled', filledCount: p.headcount, closedAt: ctx.now() }));
}

/**
 * A hire counts towards the headcount; the hire that reaches it fills the position. Runs inside the
 * caller's transaction (setApplicationStatus), so the count and the application move together.
 */
export async function recordHire(tx: Executor, publish: Publish, positionId: number, now: Date) {
	const [row] = await tx
		.update(positions)
		.set({ filledCount: sql`least(${positions.filledCount} + 1, ${positions.headcount})`, updatedAt: now })
		.where(eq(positions.id, positionId))
		.returning();
	if (row && row.state === 'open' && row.filledCount >= row.headcount) {
		const [filled] = await tx.update(positions).set({ state: 'filled', closedAt: now }).where(eq(positions.id, positionId)).returning();
		announce(publish, 'position.filled', filled, true);
	}
	return row;
}

/** The sweeper: open positions whose odd-job window ended or whose expiry passed. One event each. */
export async function expireDuePositions(ctx: AppContext, now = ctx.now()) {
	const due = await ctx.db
		.select({ id: positions.id })
		.from(positions)
		.where(and(eq(positions.state, 'open'), or(lte(positions.expiresAt, now), and(eq(positions.kind, 'odd_job'), lt(positions.endsAt, now)))))
		.limit(1000);
	let expired = 0;
	for (const { id: positionId } of due) {
		await write(ctx, async (tx, publish) => {
			const [row] = await tx
				.update(positions)
				.set({ state: 'expired', closedAt: now, updatedAt: now })
				.where(and(eq(positions.id, positionId), eq(positions.state, 'open')))
				.returning();
			if (row) {
				expired++;
				announce(publish, 'position.expired', row, true);
			}
		});
	}
	return expired;
}

/** Open positions are public; other states only to their owners and reviewers. */
export async function getPosition(ctx: AppContext, actor: Actor, positionId: unknown) {
	const p = await loadPosition(ctx.db, parse(id, positionId));
	if (p.state !== 'open' && p.state !== 'filled' && !isOwner(actor, p) && !isReviewer(actor, p)) throw notFound('position');
	return p;
}

const listInput = z.object({
	kind: z.enum(positionKind.enumValues).optional(),
	category: text(40).optional(),
	/** Words in the title. */
	words: text(40).optional(),
	/** The least pay wanted: positions whose range reaches it (in the position's own pay unit). */
	payAtLeast: z.number().int().min(0).max(1_000_000).optional(),
	/** Inside a circle: around the seeker ("near me") or a station's service circle. */
	near: z.object({ lat, lng, radiusM: z.number().int().min(100).max(50_000) }).optional(),
	/** Keyset cursor: the last (publishedAt, id) of the previous page. */
	after: z.object({ publishedAt: z.coerce.date({ error: 'date' }), id }).optional(),
	limit: z.number().int().min(1).max(100).default(20)
});

const METRES_PER_DEGREE = 111_320;

/** Distance in metres from a point, in SQL (haversine; no PostGIS needed). */
function metresFrom(lat: number, lng: number) {
	return sql<number>`2 * 6371000 * asin(sqrt(power(sin(radians(${positions.lat} - ${lat}) / 2), 2)
		+ cos(radians(${lat})) * cos(radians(${positions.lat})) * power(sin(radians(${positions.lng} - ${lng}) / 2), 2)))`;
}

/**
 * Open positions, newest first, keyset-paginated (never OFFSET: page 1,000 costs what page 1 does), with
 * optional filters; inside a circle the bounding box uses the open-positions geo index before the exact
 * distance, and each row carries its distance.
 */
export async function listOpenPositions(ctx: AppContext, input: unknown = {}) {
	const q = parse(listInput, input);
	const near = q.near;
	const box = near && {
		dLat: near.radiusM / METRES_PER_DEGREE,
		dLng: near.radiusM / (METRES_PER_DEGREE * Math.cos((near.lat * Math.PI) / 180))
	};
	const distance = near ? metresFrom(near.lat, near.lng) : sql<number>`null`;
	const rows = await ctx.db
		.select({ position: positions, distanceM: distance })
		.from(positions)
		.where(
			and(
				eq(positions.state, 'open'),
				q.kind ? eq(positions.kind, q.kind) : undefined,
				q.category ? eq(positions.category, q.category) : undefined,
				q.words ? ilike(positions.title, `%${q.words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
				q.payAtLeast !== undefined ? gte(positions.payMax, q.payAtLeast) : undefined,
				near && box
					? and(
							sql`${positions.lat} between ${near.lat - box.dLat} and ${near.lat + box.dLat}`,
							sql`${positions.lng} between ${near.lng - box.dLng} and ${near.lng + box.dLng}`,
							sql`${distance} <= ${near.radiusM}`
						)
					: undefined,
				q.after ? sql`(${positions.publishedAt}, ${positions.id}) < (${q.after.publishedAt.toISOString()}::timestamptz, ${q.after.id})` : undefined
			)
		)
		.orderBy(desc(positions.publishedAt), desc(positions.id))
		.limit(q.limit + 1);
	const page = rows.slice(0, q.limit).map((r) => ({ ...r.position, distanceM: r.distanceM === null ? null : Number(r.distanceM) }));
	const last = page.at(-1);
	return { positions: page, next: rows.length > q.limit && last ? { publishedAt: last.publishedAt!.toISOString(), id: last.id } : null };
}

const ownListInput = z.object({
	/** Keyset cursor: the last id of the previous page (newest first). */
	after: id.optional(),
	limit: z.number().int().min(1).max(500).default(200)
});

/** Positions an owner manages: an employer's or a station's, any state, newest first. */
export async function listOwnPositions(ctx: AppContext, actor: Actor, input: unknown = {}) {
	const owner =
		actor.kind === 'employer' ? eq(positions.employerOrganisationId, actor.organisationId)
		: actor.kind === 'staff' ? eq(positions.stationId, actor.stationId)
		: null;
	if (!owner) throw forbidden();
	const { after, limit } = parse(ownListInput, input);
	return ctx.db
		.select()
		.from(positions)
		.where(and(owner, after ? lt(positions.id, after) : undefined))
		.orderBy(desc(positions.id))
		.limit(limit);
}
