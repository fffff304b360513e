/**
 * Staff recommend a position to a seeker at the counter (issue 4, item 5): one transaction through the one
 * write path records the service given (a `job_recommendation` service record) and the person's
 * application (channel `counter`, source `station:<id>`), each through its own module's insert, so the
 * station's "services today" and the employer's pipeline move together or not at all.
 *
 * Idempotent like a tap: the same client key gets the first answer back (no second row or event), and a
 * seeker who already applied to the position gets that application back with nothing new written (one
 * application per seeker and position).
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { applications, seekers } from '../db/schema';
import { conflict, notFound } from '../errors';
import { write } from '../events/write';
import { clientKey, id, parse } from '../validation';
import { type ApplyAnswer, answerOf, insertApplication } from './applications';
import { loadPosition } from './positions';
import { seekerAtStation } from './seekers';
import { type ServiceRecordAnswer, counterStaff, insertServiceRecord, serviceRecordByKey, staffUserId } from './service-records';
import { loadStation } from './stations';

const recommendInput = z.object({ stationId: id, seekerId: id, positionId: id, clientKey });

export interface RecommendAnswer {
	application: ApplyAnswer;
	/** Null when the person had already applied: nothing was written. */
	serviceRecord: ServiceRecordAnswer | null;
	alreadyApplied: boolean;
}

type Input = z.infer<typeof recommendInput>;

/** Thrown inside the transaction to undo the service record when the application lost a race. */
class ApplicationExists extends Error {}

const keyReused = () => conflict('client_key_reused', 'This request key was already used for something else', { clientKey: 'reused' });

/** The answer a request with this key already got, or null when the key is new. */
async function byKey(db: Executor, data: Input): Promise<RecommendAnswer | null> {
	const record = await serviceRecordByKey(db, data.stationId, data.clientKey);
	if (!record) return null;
	if (record.kind !== 'job_recommendation' || record.seekerId !== data.seekerId) throw keyReused();
	const [app] = await db
		.select()
		.from(applications)
		.where(and(eq(applications.seekerId, data.seekerId), eq(applications.clientKey, data.clientKey)))
		.limit(1);
	if (!app || app.positionId !== data.positionId) throw keyReused();
	return { application: answerOf(app), serviceRecord: record, alreadyApplied: false };
}

async function existingApplication(db: Executor, data: Input): Promise<RecommendAnswer | null> {
	const [app] = await db
		.select()
		.from(applications)
		.where(and(eq(applications.seekerId, data.seekerId), eq(applications.positionId, data.positionId)))
		.limit(1);
	if (!app) return null;
	// The same tap, committed after this one looked up its key: that tap's answer, not "already applied".
	if (app.clientKey === data.clientKey) return byKey(db, data);
	return { application: answerOf(app), serviceRecord: null, alreadyApplied: true };
}

export async function recommendPosition(ctx: AppContext, actor: Actor, input: unknown): Promise<RecommendAnswer> {
	const data = parse(recommendInput, input);
	counterStaff(actor, data.stationId);
	const station = await loadStation(ctx.db, data.stationId);
	const repeated = await byKey(ctx.db, data);
	if (repeated) return repeated;
	// Naming an id is no way to reach someone else's person: staff recommend only to people at their station.
	if (actor.kind === 'staff' && !(await seekerAtStation(ctx.db, data.seekerId, station.id))) throw notFound('seeker');
	const [seeker] = await ctx.db.select({ consentAt: seekers.consentAt, withdrawnAt: seekers.consentWithdrawnAt }).from(seekers).where(eq(seekers.id, data.seekerId));
	if (!seeker) throw notFound('seeker');
	if (!seeker.consentAt || seeker.withdrawnAt) throw conflict('consent_withdrawn', 'This person withdrew consent');
	const position = await loadPosition(ctx.db, data.positionId);
	const already = await existingApplication(ctx.db, data);
	if (already) return already;
	if (position.state !== 'open') throw conflict('position_not_open', 'This position is not open for applications', { positionId: 'not_open' });

	try {
		const done = await write(ctx, async (tx, publish) => {
			const record = await insertServiceRecord(
				tx,
				publish,
				station,
				{ kind: 'job_recommendation', seekerId: data.seekerId, note: position.title.slice(0, 500), clientKey: data.clientKey, staffUserId: staffUserId(actor) },
				ctx.now()
			);
			if (!record) return null; // the same tap, concurrently: its answer is read below
			const app = await insertApplication(tx, publish, position, {
				seekerId: data.seekerId,
				channel: 'counter',
				source: `station:${station.id}`,
				clientKey: data.clientKey
			});
			if (!app) throw new ApplicationExists();
			return { application: answerOf(app), serviceRecord: record, alreadyApplied: false };
		});
		if (done) return done;
	} catch (error) {
		if (!(error instanceof ApplicationExists)) throw error;
	}
	// A concurrent request won: the same tap (its key), or another way in for the same position.
	const answer = (await byKey(ctx.db, data)) ?? (await existingApplication(ctx.db, data));
	if (!answer) throw keyReused(); // the seeker's key was taken by an application for another position
	return answer;
}
