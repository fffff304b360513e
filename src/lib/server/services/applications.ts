/**
 * Applications: one per seeker and position, idempotent by the client key the seeker's device sends
 * (a double tap, a retry after a timeout): the second identical request gets the first one's answer.
 * Contact details reach only the employer of the position and the staff of its station.
 */
import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { regionTopics, topic } from '$lib/realtime/topics';
import type { Actor } from '../actor';
import { checkApplicationBudget, spendApplication } from '../auth/rate-limit';
import type { AppContext } from '../context';
import type { Db, Executor } from '../db';
import { applicationChannel, applicationStatus, applications, fairBoothPositions, fairBooths, fairSignIns, jobFairs, liveRoomPositions, liveRooms, positions, seekers } from '../db/schema';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { type Publish, write } from '../events/write';
import { CallGroup } from '../call-group';
import { onePer } from '../one-per';
import { timedApply } from '../metrics/registry';
import { clientKey, id, parse, text } from '../validation';
import { type Position, loadPosition, recordHire } from './positions';
import { type RoomState, checkRoomSource, roomApplicantEvent, roomIdOfSource } from './room-source';
import { seekerAtStation } from './seekers';

export type Application = typeof applications.$inferSelect;
type Status = Application['status'];

const applyInput = z.object({
	positionId: id,
	clientKey,
	channel: z.enum(applicationChannel.enumValues).default('web'),
	source: text(40).regex(/^(display|room|fair|station):[0-9]{1,10}$/, 'source_format').nullish(),
	/** Staff applying at the counter on a seeker's behalf. */
	seekerId: id.nullish()
});
const statusInput = z.object({ applicationId: id, status: z.enum(applicationStatus.enumValues) });

/** The pipeline: where each status may go next. */
const NEXT: Record<Status, Status[]> = {
	applied: ['contacted', 'interview', 'hired', 'rejected', 'withdrawn'],
	contacted: ['interview', 'hired', 'rejected', 'withdrawn'],
	interview: ['hired', 'rejected', 'withdrawn'],
	hired: [],
	rejected: [],
	withdrawn: []
};

export interface ApplyAnswer {
	applicationId: number;
	positionId: number;
	status: Status;
	channel: Application['channel'];
	createdAt: string;
}

export const answerOf = (a: Application): ApplyAnswer => ({
	applicationId: a.id,
	positionId: a.positionId,
	status: a.status,
	channel: a.channel,
	createdAt: a.createdAt.toISOString()
});

const notOpen = () => conflict('position_not_open', 'This position is not open for applications', { positionId: 'not_open' });

/** What an application needs of its position: whether it is open, and where its events go. */
type AppliedPosition = Pick<Position, 'id' | 'state' | 'regionCode' | 'employerOrganisationId' | 'stationId'>;

function applicationTopics(a: Application, p: AppliedPosition) {
	const list = [topic.seeker(a.seekerId), ...regionTopics(p.regionCode)];
	if (p.employerOrganisationId) list.push(topic.org(p.employerOrganisationId));
	if (p.stationId) list.push(topic.station(p.stationId));
	if (a.source?.startsWith('room:')) list.push(a.source);
	if (a.source?.startsWith('fair:')) list.push(a.source);
	return list;
}

/** Events about an application: ids and status only — the room and fair topics are public. */
const applicationPayload = (a: Application) => ({
	applicationId: a.id,
	positionId: a.positionId,
	status: a.status,
	channel: a.channel,
	source: a.source
});

async function findByKey(db: Executor, seekerId: number, key: string) {
	const [row] = await db.select().from(applications).where(and(eq(applications.seekerId, seekerId), eq(applications.clientKey, key))).limit(1);
	return row ?? null;
}

interface ApplicantQuery {
	seekerId: number;
	key: string;
	positionId: number;
	roomId: number | null;
}

/**
 * The applicant's read for every apply waiting on it, as one prepared statement (built once per database:
 * drizzle took longer to build it than PostgreSQL to run it). Each query is a row of `q`, numbered `i` from
 * 0; a query's rows are its seeker joined with their application by this key or for this position (at most
 * two), the position, and the room.
 *
 * PostgreSQL plans it at every call (db/index.ts), and planning grows with every join and column, so the
 * room's two facts are subqueries, each planned alone, and the position brings only what the apply uses.
 * With the room and its queue joined and the whole position, planning took 0.58 ms a call, four times as
 * long as running it; now 0.31 ms (EXPLAIN on the room bench's data; pg_stat_statements had the read's
 * planning at 6.9 of PostgreSQL's 17 busy seconds over the bench's 30 s of applies).
 */
const applicantStatesQuery = onePer((db: Db) => {
	const p = sql.placeholder;
	return db
		.select({
			// ordinality counts from 1, as a bigint.
			i: sql<number>`q.i::int - 1`,
			withdrawn: seekers.consentWithdrawnAt,
			name: seekers.name,
			phone: seekers.phone,
			prior: applications,
			// Only what the apply uses: every column more cost PostgreSQL planning time and the app parsing.
			position: {
				id: positions.id,
				state: positions.state,
				regionCode: positions.regionCode,
				employerOrganisationId: positions.employerOrganisationId,
				stationId: positions.stationId
			},
			room: {
				// A null room id matches no room.
				state: sql<RoomState | null>`(${db.select({ state: liveRooms.state }).from(liveRooms).where(sql`${liveRooms.id} = q.room_id`)})`.mapWith(liveRooms.state),
				queued: sql<number | null>`(${db
					.select({ id: liveRoomPositions.positionId })
					.from(liveRoomPositions)
					.where(and(sql`${liveRoomPositions.roomId} = q.room_id`, sql`${liveRoomPositions.positionId} = q.position_id`))})`.mapWith(liveRoomPositions.positionId)
			}
		})
		// unnest, not a JSON recordset: PostgreSQL plans each call for its real number of queries (unnest tells
		// the planner its arrays' length; a recordset counts as 100 rows, which made it scan whole tables).
		.from(sql`unnest(${p('seekerIds')}::int[], ${p('keys')}::text[], ${p('positionIds')}::int[], ${p('roomIds')}::int[]) with ordinality as q(seeker_id, key, position_id, room_id, i)`)
		.innerJoin(seekers, sql`${seekers.id} = q.seeker_id`)
		.leftJoin(applications, sql`${applications.seekerId} = q.seeker_id and (${applications.clientKey} = q.key or ${applications.positionId} = q.position_id)`)
		.leftJoin(positions, sql`${positions.id} = q.position_id`)
		.prepare('applicant_states');
});

type ApplicantState = Awaited<ReturnType<typeof applicantStates>>[number];

/**
 * For each query: the person, what they already did, the position and the room (an apply is the hottest
 * write a live room has) — consent, name and phone (for the host's masked applicant card), their application
 * with this key or for this position, if any, the position, if it exists, and for an apply in room `roomId`
 * what checkRoomSource needs. Null when there is no such seeker.
 */
async function applicantStates(db: Db, queries: ApplicantQuery[]) {
	const rows = await applicantStatesQuery(db).execute({
		seekerIds: queries.map((q) => q.seekerId),
		keys: queries.map((q) => q.key),
		positionIds: queries.map((q) => q.positionId),
		roomIds: queries.map((q) => q.roomId)
	});
	const rowsOf = queries.map((): typeof rows => []);
	for (const row of rows) rowsOf[row.i].push(row);
	return queries.map((q, i) => {
		const own = rowsOf[i];
		if (!own.length) return null;
		const priors = own.map((r) => r.prior).filter((a): a is Application => a !== null);
		return {
			person: { withdrawn: own[0].withdrawn, name: own[0].name, phone: own[0].phone },
			byKey: priors.find((a) => a.clientKey === q.key) ?? null,
			forPosition: priors.find((a) => a.positionId === q.positionId) ?? null,
			position: own[0].position,
			room: own[0].room
		};
	});
}

/**
 * One apply's read, made together with every other apply's that arrives while the process's previous read
 * runs (call-group.ts): in a rush, one statement per tap made most of the app's round trips to PostgreSQL.
 */
const applicantState = (db: Db, query: ApplicantQuery) => applicantReadsOf(db).submit(query);

const applicantReadsOf = onePer(
	(db: Db) =>
		new CallGroup<ApplicantQuery, ApplicantState>(
			(queries) => applicantStates(db, queries),
			async (query) => (await applicantStates(db, [query]))[0]
		)
);

/** An application (one tap, idempotent by client key), timed for /metrics. */
export const apply = timedApply(applyOnce);

async function applyOnce(ctx: AppContext, actor: Actor, input: unknown): Promise<ApplyAnswer> {
	const data = parse(applyInput, input);
	let seekerId: number;
	let channel = data.channel;
	if (actor.kind === 'seeker') {
		if (data.seekerId && data.seekerId !== actor.seekerId) throw forbidden('not_your_application');
		seekerId = actor.seekerId;
		if (channel === 'counter') throw forbidden('counter_is_for_staff');
	} else if (actor.kind === 'staff' || actor.kind === 'employer') {
		if (!data.seekerId) throw invalid({ seekerId: 'required' });
		// A room's applications are the viewers' own taps: nobody applies in a room on someone's behalf.
		if (data.source?.startsWith('room:')) throw forbidden('room_applications_are_own');
		seekerId = data.seekerId;
		// Staff apply at the counter, or at a booth of their fair; an employer only at its own booth.
		const atFair = channel === 'fair' && data.source?.startsWith('fair:');
		if (actor.kind === 'employer' && !atFair) throw forbidden();
		if (!atFair) {
			channel = 'counter';
			// Naming an id is no way to reach someone else's person (their contact goes to the employer with the
			// application): at the counter, staff apply only for people of their own station, as they recommend.
			if (actor.kind === 'staff' && !(await seekerAtStation(ctx.db, seekerId, actor.stationId))) throw notFound('seeker');
		}
		// Checked before anything is looked up: the fair is what entitles an employer to act for this person.
		else await checkFairSource(ctx.db, actor, Number(data.source!.slice(5)), data.positionId, seekerId);
	} else {
		throw forbidden();
	}

	const roomId = roomIdOfSource(data.source);
	const state = await applicantState(ctx.db, { seekerId, key: data.clientKey, positionId: data.positionId, roomId });
	if (state?.byKey) return sameKey(state.byKey, data.positionId);

	const position = state?.position ?? (await loadPosition(ctx.db, data.positionId));
	if (state?.forPosition) return answerOf(state.forPosition);
	// Only new applications count (rate-limit.ts): a repeated tap or one for a position applied to is answered above.
	if (actor.kind === 'seeker') await checkApplicationBudget(actor.seekerId);
	if (actor.kind === 'seeker' && data.source?.startsWith('fair:')) await checkFairSource(ctx.db, actor, Number(data.source.slice(5)), data.positionId);
	if (roomId !== null && state) checkRoomSource(state.room);
	if (position.state !== 'open') throw notOpen();
	if (!state) throw notFound('seeker');
	if (state.person.withdrawn) throw conflict('consent_withdrawn', 'This person withdrew consent');

	const created = await createApplication(ctx, { position, values: { seekerId, channel, source: data.source ?? null, clientKey: data.clientKey }, person: state.person });
	if (created) {
		if (actor.kind === 'seeker') await spendApplication(actor.seekerId);
		return answerOf(created);
	}
	const winner = await findByKey(ctx.db, seekerId, data.clientKey);
	if (winner) return sameKey(winner, data.positionId);
	const [forPosition] = await ctx.db
		.select()
		.from(applications)
		.where(and(eq(applications.seekerId, seekerId), eq(applications.positionId, data.positionId)));
	return answerOf(forPosition);
}

interface NewApplication {
	position: AppliedPosition;
	values: { seekerId: number; channel: Application['channel']; source: string | null; clientKey: string };
	/** The person's name and phone when the caller has them already (for a room's masked applicant card). */
	person?: { name: string | null; phone: string | null };
}

/**
 * The insert of one application and its events, inside the caller's transaction: a recommendation at the
 * counter (recommendations.ts), which writes its service record in the same transaction, an apply at a fair,
 * and an apply whose group failed as a whole. Null when a concurrent request with this key or for this
 * position won (nothing written).
 */
export async function insertApplication(tx: Executor, publish: Publish, position: AppliedPosition, values: NewApplication['values'], person?: NewApplication['person']): Promise<Application | null> {
	const [outcome] = await insertApplications(tx, publish, [{ position, values, person }]);
	if (outcome instanceof Error) throw outcome;
	return outcome;
}

/**
 * New applications in one transaction, each with its events: one outcome per item, in order — the row,
 * null when a concurrent request with its key or for its position won (also an earlier item of the same
 * call: a double tap), or the error for a position no longer open.
 */
async function insertApplications(tx: Executor, publish: Publish, items: NewApplication[]): Promise<(Application | null | Error)[]> {
	// Read the positions' state again under a share lock: a close committing meanwhile cannot slip in between.
	const ids = [...new Set(items.map((i) => i.position.id))];
	// Prepared (one round trip instead of two) on this transaction's connection: postgres.js keeps it per
	// connection, so only drizzle's build of this small query is paid each time.
	const live = await tx
		.select({ id: positions.id, state: positions.state })
		.from(positions)
		.where(sql`${positions.id} = any(${sql.placeholder('ids')}::int[])`)
		.orderBy(positions.id)
		.for('share')
		.prepare('positions_for_share')
		.execute({ ids });
	const open = new Set(live.filter((p) => p.state === 'open').map((p) => p.id));
	const writable = items.filter((i) => open.has(i.position.id));
	const rows = writable.length
		? await insertApplicationsQuery(tx).execute({
				seekerIds: writable.map((i) => i.values.seekerId),
				positionIds: writable.map((i) => i.position.id),
				channels: writable.map((i) => i.values.channel),
				sources: writable.map((i) => i.values.source),
				keys: writable.map((i) => i.values.clientKey)
			})
		: [];
	const byKey = new Map(rows.map((r) => [`${r.seekerId}:${r.clientKey}`, r]));
	const outcomes: (Application | null | Error)[] = [];
	for (const item of items) {
		if (!open.has(item.position.id)) {
			outcomes.push(notOpen());
			continue;
		}
		const key = `${item.values.seekerId}:${item.values.clientKey}`;
		const row = byKey.get(key) ?? null;
		byKey.delete(key);
		if (row) await announce(tx, publish, row, item);
		outcomes.push(row);
	}
	return outcomes;
}

/**
 * New applications from arrays, prepared: one statement for any number of rows, so one round trip instead
 * of two (an unprepared one first asks for its parameters' types) inside the group's transaction, which
 * every apply waits on. An insert from a select names every column: the defaults are spelled out here.
 */
const insertApplicationsQuery = (tx: Executor) =>
	tx
		.insert(applications)
		.select(
			sql`select nextval('applications_id_seq'), v.seeker_id, v.position_id, v.channel::application_channel, v.source, 'applied'::application_status, v.client_key, now(), now()
				from unnest(${sql.placeholder('seekerIds')}::int[], ${sql.placeholder('positionIds')}::bigint[], ${sql.placeholder('channels')}::text[], ${sql.placeholder('sources')}::text[], ${sql.placeholder('keys')}::text[])
					with ordinality as v(seeker_id, position_id, channel, source, client_key, n)
				order by v.n`
		)
		.onConflictDoNothing()
		.returning()
		.prepare('insert_applications');

async function announce(tx: Executor, publish: Publish, row: Application, item: NewApplication) {
	// A fair's live counter "at booths" counts people, not applications: say whether this is the person's first.
	const fairFlag = row.source?.startsWith('fair:') ? { firstAtFair: !(await appliedAtSourceBefore(tx, row)) } : {};
	publish({ type: 'application.created', topics: applicationTopics(row, item.position), payload: { ...applicationPayload(row), ...fairFlag } });
	// The room's host console sees who applied, masked; the public room topic only ids and counts.
	const roomId = roomIdOfSource(row.source);
	if (roomId !== null) publish(await roomApplicantEvent(tx, row, roomId, item.person));
}

/**
 * A new application in its own transaction when it is made at a fair (whether it is the person's first
 * there is read from the rows before it, which a group's other rows would blur), in its process's group
 * otherwise (call-group.ts).
 */
function createApplication(ctx: AppContext, item: NewApplication) {
	return item.values.source?.startsWith('fair:') ? writeOne(ctx, item) : groupOf(ctx).submit(item);
}

const writeOne = (ctx: AppContext, item: NewApplication) => write(ctx, (tx, publish) => insertApplication(tx, publish, item.position, item.values, item.person));

/** One group per process (per app context: tests make several). */
const groupOf = onePer(
	(ctx: AppContext) =>
		new CallGroup<NewApplication, Application | null>(
			(items) => write(ctx, (tx, publish) => insertApplications(tx, publish, items)),
			(item) => writeOne(ctx, item)
		)
);

/**
 * An application with source `fair:N` must name a fair that exists and is open, and a position at one of its
 * booths; staff must run that fair's station and an employer must have the booth. Checked before any write,
 * so a wrong fair or position leaves nothing behind.
 */
async function checkFairSource(db: Executor, actor: Actor, fairId: number, positionId: number, onBehalfOf?: number) {
	const [fair] = await db.select({ state: jobFairs.state, stationId: jobFairs.stationId }).from(jobFairs).where(eq(jobFairs.id, fairId));
	if (!fair) throw invalid({ source: 'fair_not_found' });
	if (fair.state !== 'open') throw conflict('fair_not_open', 'This fair is not open', { source: 'fair_not_open' });
	const [booth] = await db
		.select({ organisationId: fairBooths.organisationId })
		.from(fairBoothPositions)
		.innerJoin(fairBooths, eq(fairBooths.id, fairBoothPositions.boothId))
		.where(and(eq(fairBooths.fairId, fairId), eq(fairBoothPositions.positionId, positionId)))
		.limit(1);
	if (!booth) throw invalid({ positionId: 'not_at_fair' });
	if (actor.kind === 'staff' && actor.stationId !== fair.stationId) throw forbidden();
	if (actor.kind === 'employer' && actor.organisationId !== booth.organisationId) throw forbidden();
	// On someone's behalf only for a person who came: signed in at this fair's door.
	if (onBehalfOf) {
		const [signedIn] = await db
			.select({ id: fairSignIns.id })
			.from(fairSignIns)
			.where(and(eq(fairSignIns.fairId, fairId), eq(fairSignIns.seekerId, onBehalfOf)))
			.limit(1);
		if (!signedIn) throw invalid({ seekerId: 'not_signed_in' });
	}
}

async function appliedAtSourceBefore(db: Executor, a: Application) {
	const [other] = await db
		.select({ id: applications.id })
		.from(applications)
		.where(and(eq(applications.seekerId, a.seekerId), eq(applications.source, a.source!), ne(applications.id, a.id)))
		.limit(1);
	return Boolean(other);
}

function sameKey(previous: Application, positionId: number) {
	if (previous.positionId !== positionId) {
		throw conflict('client_key_reused', 'This request key was already used for another position', { clientKey: 'reused' });
	}
	return answerOf(previous);
}

/** Employer of the position's organisation, or staff of its station. */
function managesPosition(actor: Actor, p: Position) {
	if (actor.kind === 'admin') return true;
	if (actor.kind === 'employer') return p.employerOrganisationId === actor.organisationId;
	if (actor.kind === 'staff') return p.stationId === actor.stationId;
	return false;
}

/** Staff running the fair an application was made at move it too (an offer at a booth), whoever posted the position. */
async function runsFairOf(db: Executor, actor: Actor, a: Application) {
	if (actor.kind !== 'staff' || !a.source?.startsWith('fair:')) return false;
	const [fair] = await db.select({ stationId: jobFairs.stationId }).from(jobFairs).where(eq(jobFairs.id, Number(a.source.slice(5))));
	return fair?.stationId === actor.stationId;
}

export async function setApplicationStatus(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(statusInput, input);
	const [current] = await ctx.db.select().from(applications).where(eq(applications.id, data.applicationId));
	if (!current) throw notFound('application');
	const position = await loadPosition(ctx.db, current.positionId);
	const ownWithdrawal = actor.kind === 'seeker' && actor.seekerId === current.seekerId && data.status === 'withdrawn';
	const manages = managesPosition(actor, position) || (await runsFairOf(ctx.db, actor, current));
	if (!ownWithdrawal && !(manages && data.status !== 'withdrawn')) {
		if (actor.kind === 'seeker' && actor.seekerId !== current.seekerId) throw notFound('application');
		throw forbidden();
	}
	if (current.status === data.status) return answerOf(current);
	if (!NEXT[current.status].includes(data.status)) {
		throw conflict('wrong_status', `Cannot move from ${current.status} to ${data.status}`, { status: 'not_allowed' });
	}
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(applications)
			.set({ status: data.status, updatedAt: ctx.now() })
			.where(and(eq(applications.id, current.id), eq(applications.status, current.status)))
			.returning();
		if (!row) throw conflict('changed_meanwhile', 'Someone changed this application meanwhile; reload');
		if (row.status === 'hired') await recordHire(tx, publish, row.positionId, ctx.now());
		publish({ type: 'application.status_changed', topics: applicationTopics(row, position), payload: { ...applicationPayload(row), from: current.status } });
		return answerOf(row);
	});
}

/** Keyset cursor for application lists: the last application id of the previous page (newest first). */
const pageInput = z.object({ after: id.optional(), limit: z.number().int().min(1).max(500).default(200) });

/** A seeker's own applications, newest first. */
export async function listMyApplications(ctx: AppContext, actor: Actor, input: unknown = {}) {
	if (actor.kind !== 'seeker') throw forbidden();
	const { after, limit } = parse(pageInput, input);
	return ctx.db
		.select({
			applicationId: applications.id,
			status: applications.status,
			channel: applications.channel,
			createdAt: applications.createdAt,
			updatedAt: applications.updatedAt,
			positionId: positions.id,
			title: positions.title,
			kind: positions.kind,
			payMin: positions.payMin,
			payMax: positions.payMax,
			payUnit: positions.payUnit,
			positionState: positions.state
		})
		.from(applications)
		.innerJoin(positions, eq(positions.id, applications.positionId))
		.where(and(eq(applications.seekerId, actor.seekerId), after ? lt(applications.id, after) : undefined))
		.orderBy(desc(applications.id))
		.limit(limit);
}

/** One application: its seeker, or whoever manages the position. Others get not_found, not a hint. */
export async function getApplication(ctx: AppContext, actor: Actor, applicationId: unknown) {
	const [row] = await ctx.db.select().from(applications).where(eq(applications.id, parse(id, applicationId)));
	if (!row) throw notFound('application');
	if (actor.kind === 'seeker' && actor.seekerId === row.seekerId) return answerOf(row);
	if (managesPosition(actor, await loadPosition(ctx.db, row.positionId))) return answerOf(row);
	throw notFound('application');
}

/**
 * Applicants of a position with their contact details, for the employer and the station only.
 * Takes a position id, or `{ positionId, after?, limit? }` for the next page.
 */
export async function listApplicationsForPosition(ctx: AppContext, actor: Actor, input: unknown) {
	const { positionId, after, limit } = parse(
		pageInput.extend({ positionId: id }),
		typeof input === 'object' && input !== null ? input : { positionId: input }
	);
	const position = await loadPosition(ctx.db, positionId);
	if (!managesPosition(actor, position)) throw forbidden();
	return ctx.db
		.select({
			applicationId: applications.id,
			status: applications.status,
			channel: applications.channel,
			createdAt: applications.createdAt,
			seekerId: seekers.id,
			name: seekers.name,
			phone: seekers.phone
		})
		.from(applications)
		.innerJoin(seekers, eq(seekers.id, applications.seekerId))
		.where(and(eq(applications.positionId, position.id), after ? lt(applications.id, after) : undefined))
		.orderBy(desc(applications.id))
		.limit(limit);
}
