/**
 * Service records: a service given at a station's counter (policy consultation, job registration, career
 * guidance, …). They feed the station's and the region's "services today" figures live, so each is one
 * `service.recorded` event carrying ids and the kind only, never who was served.
 *
 * A tap carries a client key: the unique (station, client key) decides, and a repeated tap gets the first
 * tap's record back without a second row or event. Recording for a named seeker needs that person to be at
 * this station already (seekers.ts): naming an id must not be a way into someone else's personal data.
 * Taking on a person registered elsewhere goes through `registerSeekerHere`, which needs their phone.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { seekers, serviceKind, serviceRecords } from '../db/schema';
import { ServiceError, conflict, forbidden, invalid } from '../errors';
import { type Publish, write } from '../events/write';
import { clientKey, id, parse, phone, text } from '../validation';
import { findSeekerByPhone, seekerAtStation } from './seekers';
import { type Station, loadStation, stationTopics } from './stations';

export type ServiceKind = (typeof serviceKind.enumValues)[number];

const recordInput = z.object({
	stationId: id,
	kind: z.enum(serviceKind.enumValues),
	seekerId: id.nullish(),
	note: text(500).default(''),
	clientKey
});

const registerHereInput = z.object({ stationId: id, phone, clientKey });

export interface ServiceRecordAnswer {
	serviceRecordId: number;
	stationId: number;
	kind: ServiceKind;
	seekerId: number | null;
	at: string;
}

/** Staff of this station, or an admin: the counter's people. Supervisors watch, they do not serve. */
export function counterStaff(actor: Actor, stationId: number) {
	if (actor.kind === 'admin') return;
	if (actor.kind === 'staff' && actor.stationId === stationId) return;
	throw forbidden();
}

function answerOf(row: typeof serviceRecords.$inferSelect): ServiceRecordAnswer {
	return { serviceRecordId: row.id, stationId: row.stationId, kind: row.kind, seekerId: row.seekerId, at: row.at.toISOString() };
}

export async function serviceRecordByKey(db: Executor, stationId: number, key: string) {
	const [row] = await db
		.select()
		.from(serviceRecords)
		.where(and(eq(serviceRecords.stationId, stationId), eq(serviceRecords.clientKey, key)))
		.limit(1);
	return row ? answerOf(row) : null;
}

type RecordValues = { kind: ServiceKind; seekerId: number | null; note: string; clientKey: string; staffUserId: number | null };

/**
 * The one insert of a service record and its event, inside the caller's transaction (both entry points here,
 * and a recommendation, which adds an application in the same transaction). Null: a concurrent identical
 * tap won the key.
 */
export async function insertServiceRecord(tx: Executor, publish: Publish, station: Station, values: RecordValues, at: Date) {
	const [row] = await tx
		.insert(serviceRecords)
		.values({ stationId: station.id, ...values, at })
		.onConflictDoNothing()
		.returning();
	if (!row) return null;
	publish({
		type: 'service.recorded',
		topics: stationTopics(station),
		payload: { stationId: station.id, kind: row.kind, serviceRecordId: row.id }
	});
	return answerOf(row);
}

async function insertRecord(ctx: AppContext, station: Station, values: RecordValues): Promise<ServiceRecordAnswer> {
	const created = await write(ctx, (tx, publish) => insertServiceRecord(tx, publish, station, values, ctx.now()));
	return created ?? (await serviceRecordByKey(ctx.db, station.id, values.clientKey))!;
}

export const staffUserId = (actor: Actor) => (actor.kind === 'staff' || actor.kind === 'admin' ? actor.userId || null : null);

export async function recordService(ctx: AppContext, actor: Actor, input: unknown): Promise<ServiceRecordAnswer> {
	const data = parse(recordInput, input);
	counterStaff(actor, data.stationId);
	const station = await loadStation(ctx.db, data.stationId);
	const repeated = await serviceRecordByKey(ctx.db, station.id, data.clientKey);
	if (repeated) return repeated;
	if (data.seekerId) {
		const [seeker] = await ctx.db.select({ id: seekers.id }).from(seekers).where(eq(seekers.id, data.seekerId)).limit(1);
		if (!seeker) throw invalid({ seekerId: 'unknown_seeker' });
		if (actor.kind === 'staff' && !(await seekerAtStation(ctx.db, data.seekerId, station.id))) {
			throw new ServiceError('forbidden', 'seeker_not_at_station', 'This person is not registered at this station', { seekerId: 'not_at_station' });
		}
	}
	return insertRecord(ctx, station, {
		kind: data.kind,
		seekerId: data.seekerId ?? null,
		note: data.note,
		clientKey: data.clientKey,
		staffUserId: staffUserId(actor)
	});
}

/**
 * A person registered at another station (or on their own) comes to this counter: the phone they show
 * proves they are here, and a job registration at this station takes them on, so its staff may see and
 * update them from now on. Idempotent on the client key; a second registration on another day is just
 * another service given.
 */
export async function registerSeekerHere(ctx: AppContext, actor: Actor, input: unknown): Promise<ServiceRecordAnswer> {
	const data = parse(registerHereInput, input);
	counterStaff(actor, data.stationId);
	const station = await loadStation(ctx.db, data.stationId);
	const repeated = await serviceRecordByKey(ctx.db, station.id, data.clientKey);
	if (repeated) return repeated;
	const seeker = await findSeekerByPhone(ctx, actor, { phone: data.phone });
	if (!seeker) throw conflict('seeker_not_found', 'No seeker with this phone', { phone: 'not_registered' });
	return insertRecord(ctx, station, { kind: 'job_registration', seekerId: seeker.id, note: '', clientKey: data.clientKey, staffUserId: staffUserId(actor) });
}
