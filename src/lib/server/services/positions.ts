/**
 * Positions and odd jobs: draft → pending_review → open → filled | closed | expired.
 * Employers post for their own organisation; station staff post for their station (optionally on behalf
 * of a walk-in employer); staff of the station, covering supervisors and admins review.
 */
import { and, asc, desc, eq, getTableColumns, gte, ilike, inArray, isNotNull, like, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { regionTopics, topic } from '$lib/realtime/topics';
import { type Actor, coversStation, regionCovers } from '../actor';
import type { AppContext } from '../context';
import type { Executor, Tx } from '../db';
import { organisations, payUnit, positionKind, positions, regions } from '../db/schema';
import { conflict, forbidden, invalid, isUniqueViolation, notFound, ServiceError } from '../errors';
import { write, type Publish } from '../events/write';
import { distanceSql, inBoxSql } from '../geo-sql';
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
	employerOrganisationId: id.nullish(),
	/** The employer's own reference (API upsert key, import rows); printable text, no control characters. */
	externalRef: z.string().trim().min(1, 'required').max(100, 'too_long').regex(/^[^\p{Cc}]+$/u, 'external_ref_format').nullish()
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

/** A new position's fields as createPosition takes them: the one check for forms, the API and import rows. */
export function validatePosition(input: unknown) {
	const data = parse(createInput, input);
	checkRules(data);
	return data;
}
type PositionData = ReturnType<typeof validatePosition>;
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

/**
 * A station's review area: the county (district) it stands in, the level whose HR bureau answers for
 * the postings there. Staff review what their station collected and what employers post in that county.
 */
const COUNTY_CODE_LENGTH = 6;
export function reviewArea(stationRegionCode: string) {
	return stationRegionCode.slice(0, COUNTY_CODE_LENGTH);
}

/** Who may approve or reject: staff of its station or of a station in its county, supervisors of its region, admins. */
async function isReviewer(db: Executor, actor: Actor, p: Position) {
	if (actor.kind === 'admin') return true;
	if (actor.kind === 'supervisor') return regionCovers(actor.regionCode, p.regionCode);
	if (actor.kind === 'staff') {
		if (p.stationId === actor.stationId) return true;
		const station = await loadStation(db, actor.stationId);
		return regionCovers(reviewArea(station.regionCode), p.regionCode);
	}
	return false;
}

/** A position posted for an employer must name a real employer organisation. */
async function checkEmployer(db: Executor, organisationId: number) {
	const [org] = await db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, organisationId));
	if (org?.kind !== 'employer') throw invalid({ employerOrganisationId: org ? 'not_an_employer' : 'unknown_organisation' });
}

async function checkRegion(db: Executor, regionCode: string) {
	const [region] = await db.select({ code: regions.code, lat: regions.lat, lng: regions.lng }).from(regions).where(eq(regions.code, regionCode));
	if (!region) throw invalid({ regionCode: 'unknown_region' });
	return region;
}

/**
 * Who posts and where, for one position or a batch: the owner the actor posts for, and the region and point
 * a post without them gets. Lookups are remembered, so a batch of 10,000 rows asks once per region.
 */
function postingFor(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'employer' && actor.kind !== 'staff' && actor.kind !== 'admin') throw forbidden();
	const once = <K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>) => {
		if (!cache.has(key)) cache.set(key, load());
		return cache.get(key)!;
	};
	const homes = new Map<0, Promise<{ stationId: number | null; place: { regionCode?: string | null; lat?: number; lng?: number } }>>();
	const employers = new Map<number, Promise<void>>();
	const regionsSeen = new Map<string, Promise<{ lat: number; lng: number }>>();
	const home = () =>
		once(homes, 0, async () => {
			if (actor.kind === 'employer') {
				// An employer posts for its own organisation; without a place it posts where the organisation is.
				const [org] = await ctx.db.select({ regionCode: organisations.regionCode }).from(organisations).where(eq(organisations.id, actor.organisationId));
				return { stationId: null, place: { regionCode: org?.regionCode } };
			}
			if (actor.kind === 'staff') {
				const station = await loadStation(ctx.db, actor.stationId);
				return { stationId: station.id, place: { regionCode: station.regionCode, lat: station.lat, lng: station.lng } };
			}
			return { stationId: null, place: {} };
		});

	return async function place(data: PositionData): Promise<typeof positions.$inferInsert> {
		let employerOrganisationId = data.employerOrganisationId ?? null;
		if (actor.kind === 'employer') {
			if (employerOrganisationId && employerOrganisationId !== actor.organisationId) throw forbidden('not_your_organisation');
			employerOrganisationId = actor.organisationId;
		} else if (employerOrganisationId) {
			const orgId = employerOrganisationId;
			await once(employers, orgId, () => checkEmployer(ctx.db, orgId));
		}
		const { stationId, place } = await home();
		const regionCode = data.regionCode ?? place.regionCode ?? undefined;
		const missing: Record<string, string> = {};
		if (!regionCode) missing.regionCode = 'required';
		if (!stationId && !employerOrganisationId) missing.employerOrganisationId = 'required';
		if (Object.keys(missing).length) throw invalid(missing);
		const region = await once(regionsSeen, regionCode!, () => checkRegion(ctx.db, regionCode!));
		// No point given: the station's own, or the middle of the region chosen (a form with only a region select).
		const fallback = regionCode === place.regionCode && place.lat !== undefined ? place : region;
		return {
			...data,
			regionCode: regionCode!,
			lat: data.lat ?? fallback.lat!,
			lng: data.lng ?? fallback.lng!,
			stationId,
			employerOrganisationId,
			postedByUserId: 'userId' in actor ? actor.userId : null,
			state: 'draft'
		};
	};
}

/** A reference already used in the organisation: the unique index decides (two requests can race). */
function refTaken(error: unknown): never {
	if (isUniqueViolation(error, 'positions_employer_external_ref_idx')) {
		throw conflict('external_ref_taken', 'The organisation already has a position with this reference', { externalRef: 'taken' });
	}
	throw error;
}

export async function createPosition(ctx: AppContext, actor: Actor, input: unknown) {
	const place = postingFor(ctx, actor);
	const values = await place(validatePosition(input));
	return write(ctx, async (tx, publish) => {
		const [row] = await tx.insert(positions).values(values).returning().catch(refTaken);
		announce(publish, 'position.created', row, false);
		return row;
	});
}

/** One row of a batch: what would be inserted, or the fields at fault (as createPosition would name them). */
export type PreparedPosition = { ok: true; values: typeof positions.$inferInsert } | { ok: false; fields: Record<string, string> };

/** How far a long batch has got (an import shows it): checking every row, then writing them. */
export type BatchProgress = (phase: 'checking' | 'writing', done: number, total: number) => void;

/**
 * A batch checked row by row exactly as createPosition checks one (an import's dry run), without writing.
 * A reference may appear once in the batch and must not be taken in the organisation already.
 */
export async function preparePositions(ctx: AppContext, actor: Actor, inputs: unknown[], progress?: BatchProgress): Promise<PreparedPosition[]> {
	const place = postingFor(ctx, actor);
	const prepared: PreparedPosition[] = [];
	for (const [index, input] of inputs.entries()) {
		try {
			prepared.push({ ok: true, values: await place(validatePosition(input)) });
		} catch (error) {
			if (!(error instanceof ServiceError)) throw error;
			// A refusal without fields is about the owner (another organisation) or the whole row.
			const fields: Record<string, string> = error.fields ?? (error.reason === 'not_your_organisation' ? { employerOrganisationId: error.reason } : { _: error.reason });
			prepared.push({ ok: false, fields });
		}
		if (progress && (index + 1) % 1000 === 0) progress('checking', index + 1, inputs.length);
	}
	await markTakenRefs(ctx.db, prepared);
	progress?.('checking', inputs.length, inputs.length);
	return prepared;
}

async function markTakenRefs(db: Executor, prepared: PreparedPosition[]) {
	const seen = new Map<string, number>();
	const keyed: { index: number; org: number; ref: string }[] = [];
	for (const [index, p] of prepared.entries()) {
		if (!p.ok || !p.values.externalRef || !p.values.employerOrganisationId) continue;
		const key = `${p.values.employerOrganisationId}\u0000${p.values.externalRef}`;
		if (seen.has(key)) prepared[index] = { ok: false, fields: { externalRef: 'duplicate_in_batch' } };
		else seen.set(key, index);
		keyed.push({ index, org: p.values.employerOrganisationId, ref: p.values.externalRef });
	}
	const byOrg = new Map<number, typeof keyed>();
	for (const k of keyed) {
		if (!byOrg.has(k.org)) byOrg.set(k.org, []);
		byOrg.get(k.org)!.push(k);
	}
	for (const [org, list] of byOrg) {
		// All of an organisation's references in one parameter (a JSON array), not one parameter each.
		const refs = JSON.stringify(list.map((k) => k.ref));
		const taken = await db
			.select({ ref: positions.externalRef })
			.from(positions)
			.where(
				and(
					eq(positions.employerOrganisationId, org),
					isNotNull(positions.externalRef),
					sql`${positions.externalRef} in (select json_array_elements_text(${refs}::json))`
				)
			);
		for (const { ref } of taken) {
			const index = seen.get(`${org}\u0000${ref}`);
			if (index !== undefined) prepared[index] = { ok: false, fields: { externalRef: 'taken' } };
		}
	}
}

/** Rows per INSERT: 10,000 rows are five statements, and progress moves between them. */
const BATCH_ROWS = 2000;

type NewPosition = typeof positions.$inferInsert;

/**
 * One multi-row INSERT whose rows travel as a single JSON parameter read back by json_to_recordset: binding
 * 28 parameters a row through the query builder costs ten times what PostgreSQL spends inserting them.
 * Ids are drawn from the sequence first, so every row's event names its position without relying on the
 * order of RETURNING. Columns and their SQL types come from the schema, never from the input.
 */
async function insertMany(tx: Tx, now: Date, rows: NewPosition[]): Promise<Position[]> {
	const ids = await tx
		.select({ id: sql<number>`nextval(pg_get_serial_sequence('positions', 'id'))`.mapWith(Number) })
		.from(sql`generate_series(1, ${rows.length})`);
	const columns = getTableColumns(positions);
	const keys = (Object.keys(columns) as (keyof typeof columns)[]).filter((k) => k === 'id' || rows.some((r) => r[k] !== undefined));
	const names = keys.map((k) => `"${columns[k].name}"`).join(', ');
	const types = keys.map((k) => `"${columns[k].name}" ${k === 'id' ? 'bigint' : columns[k].getSQLType()}`).join(', ');
	const records = rows.map((r, i) => Object.fromEntries(keys.map((k) => [columns[k].name, k === 'id' ? ids[i].id : (r[k] ?? null)])));
	await tx
		.execute(sql`insert into ${positions} (${sql.raw(names)}) select ${sql.raw(names)} from json_to_recordset(${JSON.stringify(records)}::json) as r(${sql.raw(types)})`)
		.catch(refTaken);
	return rows.map((r, i) => ({
		description: '',
		address: '',
		filledCount: 0,
		stationId: null,
		employerOrganisationId: null,
		postedByUserId: null,
		startsAt: null,
		endsAt: null,
		state: 'draft',
		reviewNote: null,
		submittedAt: null,
		publishedAt: null,
		closedAt: null,
		expiresAt: null,
		externalRef: null,
		createdAt: now,
		updatedAt: now,
		...r,
		id: ids[i].id
	}));
}

/**
 * Many positions in one transaction (an import): multi-row inserts, one `position.created` each, appended
 * by the write path in one call. Nothing is written if a row fails, unless `validOnly`, which writes the
 * rows that pass. Answers with the created rows' ids and the failures by index.
 */
export async function createPositions(ctx: AppContext, actor: Actor, inputs: unknown[], options: { validOnly?: boolean; progress?: BatchProgress } = {}) {
	const prepared = await preparePositions(ctx, actor, inputs, options.progress);
	const failures = prepared.flatMap((p, index) => (p.ok ? [] : [{ index, fields: p.fields }]));
	const rows = prepared.flatMap((p) => (p.ok ? [p.values] : []));
	if ((failures.length && !options.validOnly) || !rows.length) return { ids: [] as number[], failures };
	const ids = await write(ctx, async (tx, publish) => {
		const made: number[] = [];
		for (let i = 0; i < rows.length; i += BATCH_ROWS) {
			const inserted = await insertMany(tx, ctx.now(), rows.slice(i, i + BATCH_ROWS));
			for (const row of inserted) {
				announce(publish, 'position.created', row, false);
				made.push(row.id);
			}
			options.progress?.('writing', made.length, rows.length);
		}
		return made;
	});
	return { ids, failures };
}

export async function updatePosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId, ...changes } = parse(updateInput, input);
	const current = await loadPosition(ctx.db, positionId);
	if (!isOwner(actor, current)) throw forbidden();
	if (!['draft', 'pending_review', 'open'].includes(current.state)) throw conflict('position_not_editable', 'Only drafts, positions in review and open positions can be edited');
	checkRules({ ...current, ...changes });
	if (changes.regionCode) await checkRegion(ctx.db, changes.regionCode);
	// The owner and the reference are the position's identity: an edit changes neither.
	const { employerOrganisationId: _ignored, externalRef: _key, ...allowed } = changes;
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
	if (!(await isReviewer(ctx.db, actor, await loadPosition(ctx.db, data.positionId)))) throw forbidden();
	if (data.decision === 'approve') {
		return transition(ctx, data.positionId, ['pending_review'], 'position.approved', () => ({ state: 'open', publishedAt: ctx.now(), reviewNote: null }));
	}
	return transition(ctx, data.positionId, ['pending_review'], 'position.rejected', () => ({ state: 'draft', reviewNote: data.reason }), { reason: data.reason });
}

export async function closePosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId } = parse(idInput, input);
	const p = await loadPosition(ctx.db, positionId);
	if (!isOwner(actor, p) && !(await isReviewer(ctx.db, actor, p))) throw forbidden();
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
	if (p.state !== 'open' && p.state !== 'filled' && !isOwner(actor, p) && !(await isReviewer(ctx.db, actor, p))) throw notFound('position');
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

/**
 * Open positions, newest first, keyset-paginated (never OFFSET: page 1,000 costs what page 1 does), with
 * optional filters; inside a circle the bounding box uses the open-positions geo index before the exact
 * distance, and each row carries its distance.
 */
export async function listOpenPositions(ctx: AppContext, input: unknown = {}) {
	const q = parse(listInput, input);
	const near = q.near;
	const distance = near ? distanceSql(positions.lat, positions.lng, near.lat, near.lng) : sql<number>`null`;
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
				near ? and(inBoxSql(positions.lat, positions.lng, near, near.radiusM), sql`${distance} <= ${near.radiusM}`) : undefined,
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

const stationListInput = z.object({ stationId: id, limit: z.number().int().min(1).max(500).default(100) });

/**
 * A station's positions page: what the station collected (any state, newest first) and what waits for
 * review in its area (its own and employers' postings in its county, oldest waiting first), each with the
 * employer's and the region's names. Staff of the station, supervisors covering it and admins.
 */
export async function listStationPositions(ctx: AppContext, actor: Actor, input: unknown) {
	const { stationId, limit } = parse(stationListInput, input);
	const station = await loadStation(ctx.db, stationId);
	if (!coversStation(actor, station)) throw forbidden();
	// A supervisor of a smaller region than the county reviews only inside it: the longer prefix is the overlap.
	const area = reviewArea(station.regionCode);
	const prefix = actor.kind === 'supervisor' && actor.regionCode.length > area.length ? actor.regionCode : area;
	const columns = { position: positions, employerName: organisations.name, regionZh: regions.nameZh, regionEn: regions.nameEn };
	const [collected, awaiting] = await Promise.all([
		ctx.db
			.select(columns)
			.from(positions)
			.leftJoin(organisations, eq(organisations.id, positions.employerOrganisationId))
			.innerJoin(regions, eq(regions.code, positions.regionCode))
			.where(eq(positions.stationId, station.id))
			.orderBy(desc(positions.id))
			.limit(limit),
		ctx.db
			.select(columns)
			.from(positions)
			.leftJoin(organisations, eq(organisations.id, positions.employerOrganisationId))
			.innerJoin(regions, eq(regions.code, positions.regionCode))
			.where(and(eq(positions.state, 'pending_review'), or(eq(positions.stationId, station.id), like(positions.regionCode, `${prefix}%`))))
			.orderBy(asc(positions.submittedAt), asc(positions.id))
			.limit(limit)
	]);
	const flat = (rows: typeof collected) => rows.map((r) => ({ ...r.position, employerName: r.employerName, regionZh: r.regionZh, regionEn: r.regionEn }));
	return { station, collected: flat(collected), awaiting: flat(awaiting) };
}
