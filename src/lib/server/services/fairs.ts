/**
 * On-site job fairs at a station: booths (employers and which of their open positions they bring), sign-in at
 * the door by phone (walk-ins registered on the spot, with consent), applications made at booths and offers.
 * Every change is an event on `fair:ID` carrying ids and counts only: the fair's feed is seen by employers of
 * other booths and supervisors, who must not learn who came. Applications themselves go through
 * applications.ts (channel `fair`, source `fair:ID`), which checks the fair and the booth.
 */
import { and, count, countDistinct, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { topic } from '$lib/realtime/topics';
import { type Actor, coversStation } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { applications, events, fairBoothPositions, fairBooths, fairSignIns, jobFairs, organisations, positions, seekers } from '../db/schema';
import { conflict, forbidden, invalid, isUniqueViolation, notFound } from '../errors';
import { write } from '../events/write';
import { clientKey, date, id, parse, phone, requiredText } from '../validation';
import { apply, setApplicationStatus } from './applications';
import { findSeekerByPhone, registerSeeker } from './seekers';
import { loadStation, stationTopics } from './stations';

export type Fair = typeof jobFairs.$inferSelect;

const boothInput = z.object({
	organisationId: id,
	label: requiredText(20),
	positionIds: z.array(id).max(20, 'too_many').default([])
});
const createInput = z
	.object({
		stationId: id,
		title: requiredText(80),
		startsAt: date,
		endsAt: date,
		booths: z.array(boothInput).max(60, 'too_many').default([])
	})
	.refine((d) => d.endsAt > d.startsAt, { path: ['endsAt'], message: 'before_start' });
const addBoothInput = boothInput.extend({ fairId: id });
const stateInput = z.object({ fairId: id, state: z.enum(['open', 'ended']) });
const fairIdInput = z.object({ fairId: id });
/** A walk-in's quick registration: the few fields the door can ask, and consent. */
const walkInInput = z.object({ name: requiredText(40), consent: z.literal(true, { error: 'consent_required' }) });
const signInInput = z.object({ fairId: id, phone, walkIn: walkInInput.nullish() });
/** The person by id (picked from a list) or by the phone they show at the booth; either way signed in at this fair. */
const boothApplyInput = z
	.object({ fairId: id, positionId: id, seekerId: id.nullish(), phone: phone.nullish(), clientKey })
	.refine((d) => d.seekerId || d.phone, { path: ['seekerId'], message: 'required' });
const offerInput = z.object({ fairId: id, applicationId: id });

/** State may only move forward: scheduled → open → ended (a fair called off goes straight to ended). */
const NEXT: Record<Fair['state'], Fair['state'][]> = { scheduled: ['open', 'ended'], open: ['ended'], ended: [] };

export async function loadFair(db: Executor, fairId: number): Promise<Fair> {
	const [row] = await db.select().from(jobFairs).where(eq(jobFairs.id, fairId)).limit(1);
	if (!row) throw notFound('fair');
	return row;
}

/** Staff of the fair's station (or admin) run it; nobody else changes it. */
async function runFair(ctx: AppContext, actor: Actor, fairId: number) {
	const fair = await loadFair(ctx.db, fairId);
	if (!(actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === fair.stationId))) throw forbidden();
	return fair;
}

/** Booth rows to insert: each organisation an employer, each position one of its own open ones. */
async function checkBooths(db: Executor, booths: z.infer<typeof boothInput>[], path = (i: number) => `booths.${i}`) {
	const orgs = new Set(booths.map((b) => b.organisationId));
	if (orgs.size !== booths.length) throw invalid({ [`${path(booths.length - 1)}.organisationId`]: 'duplicate' });
	for (const [i, booth] of booths.entries()) {
		const [org] = await db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, booth.organisationId));
		if (org?.kind !== 'employer') throw invalid({ [`${path(i)}.organisationId`]: 'not_an_employer' });
		if (booth.positionIds.length === 0) continue;
		const found = await db
			.select({ id: positions.id })
			.from(positions)
			.where(and(inArray(positions.id, booth.positionIds), eq(positions.employerOrganisationId, booth.organisationId), eq(positions.state, 'open')));
		if (found.length !== new Set(booth.positionIds).size) throw invalid({ [`${path(i)}.positionIds`]: 'not_open_position_of_employer' });
	}
}

async function insertBooth(tx: Executor, fairId: number, booth: z.infer<typeof boothInput>) {
	const [row] = await tx.insert(fairBooths).values({ fairId, organisationId: booth.organisationId, label: booth.label }).returning();
	const positionIds = [...new Set(booth.positionIds)];
	if (positionIds.length) await tx.insert(fairBoothPositions).values(positionIds.map((positionId) => ({ boothId: row.id, positionId })));
	return row;
}

export async function createFair(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(createInput, input);
	if (!(actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === data.stationId))) throw forbidden();
	const station = await loadStation(ctx.db, data.stationId);
	await checkBooths(ctx.db, data.booths);
	return write(ctx, async (tx, publish) => {
		const [fair] = await tx
			.insert(jobFairs)
			.values({ stationId: station.id, title: data.title, startsAt: data.startsAt, endsAt: data.endsAt, createdByUserId: actor.userId })
			.returning();
		for (const booth of data.booths) await insertBooth(tx, fair.id, booth);
		publish({ type: 'fair.created', topics: [topic.fair(fair.id), ...stationTopics(station)], payload: fairPayload(fair) });
		return fair;
	});
}

export async function addBooth(ctx: AppContext, actor: Actor, input: unknown) {
	const { fairId, ...booth } = parse(addBoothInput, input);
	const fair = await runFair(ctx, actor, fairId);
	if (fair.state === 'ended') throw conflict('fair_ended', 'This fair has ended', { fairId: 'ended' });
	await checkBooths(ctx.db, [booth], () => 'booth');
	try {
		return await write(ctx, async (tx, publish) => {
			const row = await insertBooth(tx, fair.id, booth);
			publish({ type: 'fair.booth_added', topics: [topic.fair(fair.id)], payload: { fairId: fair.id, boothId: row.id, organisationId: row.organisationId, label: row.label } });
			return row;
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw conflict('booth_exists', 'This employer already has a booth here', { organisationId: 'booth_exists' });
		throw error;
	}
}

const fairPayload = (f: Fair) => ({ fairId: f.id, stationId: f.stationId, title: f.title, state: f.state });

/** Open or end the fair. Announced to the station and its regions too: the supervisors' ticker shows it. */
export async function setFairState(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(stateInput, input);
	const fair = await runFair(ctx, actor, data.fairId);
	if (fair.state === data.state) return fair;
	if (!NEXT[fair.state].includes(data.state)) throw conflict('wrong_state', `Cannot move from ${fair.state} to ${data.state}`, { state: 'not_allowed' });
	const station = await loadStation(ctx.db, fair.stationId);
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(jobFairs)
			.set({ state: data.state })
			.where(and(eq(jobFairs.id, fair.id), eq(jobFairs.state, fair.state)))
			.returning();
		if (!row) throw conflict('changed_meanwhile', 'Someone changed this fair meanwhile; reload');
		publish({ type: 'fair.state_changed', topics: [topic.fair(row.id), ...stationTopics(station)], payload: fairPayload(row) });
		return row;
	});
}

function requireOpen(fair: Fair) {
	if (fair.state !== 'open') throw conflict('fair_not_open', 'This fair is not open', { fairId: 'not_open' });
}

export interface SignInAnswer {
	signInId: number;
	seekerId: number;
	/** True when this person had already signed in: a second tap or a second visit to the door. */
	already: boolean;
	/** True when the person was registered on the spot. */
	registered: boolean;
}

/**
 * Sign a seeker in at the door by phone. Unknown number: without `walkIn` the answer is a conflict naming
 * `phone` (the door then asks for a name and consent); with it the person is registered through seekers.ts.
 * Idempotent per fair and person: the unique (fair, seeker) decides.
 */
export async function signInAtDoor(ctx: AppContext, actor: Actor, input: unknown): Promise<SignInAnswer> {
	const data = parse(signInInput, input);
	const fair = await runFair(ctx, actor, data.fairId);
	requireOpen(fair);
	let seeker = await findSeekerByPhone(ctx, actor, { phone: data.phone });
	let registered = false;
	if (!seeker) {
		if (!data.walkIn) throw conflict('seeker_not_found', 'No seeker with this phone; register the walk-in', { phone: 'not_registered' });
		try {
			seeker = await registerSeeker(ctx, actor, { name: data.walkIn.name, phone: data.phone, consent: data.walkIn.consent });
			registered = true;
		} catch (error) {
			// Registered by someone else a moment ago (two doors): sign that person in.
			seeker = await findSeekerByPhone(ctx, actor, { phone: data.phone });
			if (!seeker) throw error;
		}
	}
	const seekerId = seeker.id;
	const created = await write(ctx, async (tx, publish) => {
		const [row] = await tx.insert(fairSignIns).values({ fairId: fair.id, seekerId, at: ctx.now() }).onConflictDoNothing().returning();
		if (!row) return null;
		publish({ type: 'fair.signed_in', topics: [topic.fair(fair.id)], payload: { fairId: fair.id, signInId: row.id, walkIn: registered } });
		return row;
	});
	if (created) return { signInId: created.id, seekerId, already: false, registered };
	const [existing] = await ctx.db.select().from(fairSignIns).where(and(eq(fairSignIns.fairId, fair.id), eq(fairSignIns.seekerId, seekerId)));
	return { signInId: existing.id, seekerId, already: true, registered };
}

/** An application made at a booth: by the station's staff or the booth's employer, on the seeker's behalf. */
export async function applyAtBooth(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(boothApplyInput, input);
	// Booths act for others; a seeker applies for themself through application:apply.
	if (actor.kind !== 'staff' && actor.kind !== 'employer') throw forbidden();
	let seekerId = data.seekerId;
	if (!seekerId) {
		// Only among people signed in at this fair: a booth cannot look anybody else up by phone.
		const [found] = await ctx.db
			.select({ id: seekers.id })
			.from(fairSignIns)
			.innerJoin(seekers, eq(seekers.id, fairSignIns.seekerId))
			.where(and(eq(fairSignIns.fairId, data.fairId), eq(seekers.phone, data.phone!)))
			.limit(1);
		if (!found) throw invalid({ phone: 'not_signed_in' });
		seekerId = found.id;
	}
	return apply(ctx, actor, { positionId: data.positionId, seekerId, clientKey: data.clientKey, channel: 'fair', source: topic.fair(data.fairId) });
}

/** An offer at the fair: the application (made at this fair) moves to `hired`. */
export async function recordOffer(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(offerInput, input);
	const [row] = await ctx.db.select({ source: applications.source }).from(applications).where(eq(applications.id, data.applicationId));
	if (!row || row.source !== topic.fair(data.fairId)) throw invalid({ applicationId: 'not_at_this_fair' });
	return setApplicationStatus(ctx, actor, { applicationId: data.applicationId, status: 'hired' });
}

/** Who may watch a fair: staff / supervisors covering its station, admin, employers with a booth. */
export async function fairAccess(ctx: AppContext, actor: Actor, fair: Fair) {
	const station = await loadStation(ctx.db, fair.stationId);
	if (actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === fair.stationId)) return { role: 'staff' as const, station };
	if (actor.kind === 'supervisor' && coversStation(actor, station)) return { role: 'supervisor' as const, station };
	if (actor.kind === 'employer') {
		const [booth] = await ctx.db
			.select()
			.from(fairBooths)
			.where(and(eq(fairBooths.fairId, fair.id), eq(fairBooths.organisationId, actor.organisationId)));
		if (booth) return { role: 'employer' as const, station, boothId: booth.id };
	}
	throw forbidden();
}

export interface FairCounters {
	signedIn: number;
	atBooths: number;
	applications: number;
	offers: number;
}

export interface FeedItem {
	id: number;
	type: string;
	at: string;
	payload: Record<string, unknown>;
}

export const FEED_LIMIT = 50;

/** Counters straight from the tables, and the latest events of the fair's topic: the live view's snapshot. */
export async function fairLive(db: Executor, fairId: number): Promise<{ counters: FairCounters; feed: FeedItem[] }> {
	const source = topic.fair(fairId);
	const [signed] = await db.select({ n: count() }).from(fairSignIns).where(eq(fairSignIns.fairId, fairId));
	const [apps] = await db
		.select({
			applications: count(),
			atBooths: countDistinct(applications.seekerId),
			offers: sql<number>`count(*) filter (where ${applications.status} = 'hired')::int`
		})
		.from(applications)
		.where(eq(applications.source, source));
	const feed = await db
		.select({ id: events.id, type: events.type, at: events.at, payload: events.payload })
		.from(events)
		.where(sql`${events.topics} @> array[${source}]::text[]`)
		.orderBy(desc(events.id))
		.limit(FEED_LIMIT);
	return {
		counters: { signedIn: signed.n, atBooths: apps.atBooths, applications: apps.applications, offers: apps.offers },
		feed: feed.map((e) => ({ id: e.id, type: e.type, at: e.at.toISOString(), payload: e.payload as Record<string, unknown> }))
	};
}

/** The fair as its viewer may see it: booths and positions for all; applicants only for staff and booth employers. */
export async function getFair(ctx: AppContext, actor: Actor, input: unknown) {
	const { fairId } = parse(fairIdInput, typeof input === 'object' && input !== null ? input : { fairId: input });
	const fair = await loadFair(ctx.db, fairId);
	const access = await fairAccess(ctx, actor, fair);
	const booths = await ctx.db
		.select({ id: fairBooths.id, label: fairBooths.label, organisationId: fairBooths.organisationId, organisation: organisations.name })
		.from(fairBooths)
		.innerJoin(organisations, eq(organisations.id, fairBooths.organisationId))
		.where(eq(fairBooths.fairId, fair.id))
		.orderBy(fairBooths.label, fairBooths.id);
	const boothPositions = booths.length
		? await ctx.db
				.select({ boothId: fairBoothPositions.boothId, positionId: positions.id, title: positions.title, state: positions.state })
				.from(fairBoothPositions)
				.innerJoin(positions, eq(positions.id, fairBoothPositions.positionId))
				.where(inArray(fairBoothPositions.boothId, booths.map((b) => b.id)))
				.orderBy(positions.id)
		: [];
	// Contact details: staff of the station see every applicant at the fair; an employer only its own positions'.
	const applicants =
		access.role === 'supervisor'
			? []
			: await ctx.db
					.select({
						applicationId: applications.id,
						positionId: applications.positionId,
						status: applications.status,
						createdAt: applications.createdAt,
						seekerId: seekers.id,
						name: seekers.name,
						phone: seekers.phone
					})
					.from(applications)
					.innerJoin(positions, eq(positions.id, applications.positionId))
					.innerJoin(seekers, eq(seekers.id, applications.seekerId))
					.where(
						and(
							eq(applications.source, topic.fair(fair.id)),
							access.role === 'employer' && actor.kind === 'employer' ? eq(positions.employerOrganisationId, actor.organisationId) : undefined
						)
					)
					.orderBy(desc(applications.id))
					.limit(500);
	return {
		fair: { ...fair, startsAt: fair.startsAt.toISOString(), endsAt: fair.endsAt.toISOString(), createdAt: fair.createdAt.toISOString() },
		station: { id: access.station.id, name: access.station.name },
		role: access.role,
		ownOrganisationId: actor.kind === 'employer' ? actor.organisationId : null,
		booths: booths.map((b) => ({ ...b, positions: boothPositions.filter((p) => p.boothId === b.id) })),
		applicants: applicants.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() }))
	};
}
