/**
 * Seekers. Name and phone are personal data: stored once (phone unique), only with consent, visible only
 * to those who need them, and erased when consent is withdrawn. Events carry ids, never the person.
 *
 * Staff see and manage a person "at their station": registered there, given a service there, or signed in at
 * one of its fairs. Anyone else is only found by the exact phone the person shows, and then only masked,
 * until the station takes them on (a job registration, service-records.ts) — so a station cannot read the
 * province's seekers by walking through ids.
 */
import { and, desc, eq, exists, sql } from 'drizzle-orm';
import { z } from 'zod';
import { maskName, maskPhone } from '$lib/privacy';
import { topic } from '$lib/realtime/topics';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { fairSignIns, jobFairs, keyGroup, seekers, serviceRecords, stations } from '../db/schema';
import { conflict, forbidden, isUniqueViolation, notFound } from '../errors';
import { write } from '../events/write';
import { id, lat, lng, parse, patchOf, phone, requiredText, text } from '../validation';
import { stationTopics, loadStation } from './stations';

export type Seeker = typeof seekers.$inferSelect;

const profile = {
	keyGroups: z.array(z.enum(keyGroup.enumValues)).max(6).default([]),
	skills: z.array(text(40)).max(20).default([]),
	wantedCategories: z.array(text(40)).max(20).default([]),
	homeLat: lat.nullish(),
	homeLng: lng.nullish(),
	radiusM: z.number().int().min(200, 'radius_range').max(50_000, 'radius_range').default(3000),
	oddJobDays: z.array(z.number().int().min(0).max(6)).max(7).default([])
};
/** A preferred area is a centre: both coordinates or neither. */
const bothOrNeither = (d: { homeLat?: number | null; homeLng?: number | null }) => (d.homeLat == null) === (d.homeLng == null);
const registerInput = z
	.object({
		name: requiredText(40),
		phone,
		consent: z.literal(true, { error: 'consent_required' }),
		/** Where the person registers; staff default to (and may only name) their own station. */
		stationId: id.nullish(),
		...profile
	})
	.refine(bothOrNeither, { path: ['homeLng'], message: 'lat_lng_pair' });
const updateInput = patchOf({ name: requiredText(40), phone, ...profile })
	.extend({ seekerId: id })
	.refine((d) => (d.homeLat === undefined) === (d.homeLng === undefined) && bothOrNeither(d), { path: ['homeLng'], message: 'lat_lng_pair' });
const phoneInput = z.object({ phone });
const withdrawInput = z.object({ seekerId: id });

/** Staff register at their station; a seeker (self-registration) is created by the auth flow. */
export async function registerSeeker(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(registerInput, input);
	if (actor.kind !== 'staff' && actor.kind !== 'admin' && actor.kind !== 'anonymous') throw forbidden();
	if (actor.kind === 'staff' && data.stationId && data.stationId !== actor.stationId) throw forbidden();
	if (actor.kind === 'anonymous' && data.stationId) throw forbidden();
	const stationId = actor.kind === 'staff' ? actor.stationId : (data.stationId ?? null);
	const station = stationId ? await loadStation(ctx.db, stationId) : null;
	const { consent: _consent, stationId: _station, ...values } = data;
	try {
		return await write(ctx, async (tx, publish) => {
			const [row] = await tx
				.insert(seekers)
				.values({ ...values, consentAt: ctx.now(), registeredAtStationId: stationId })
				.returning();
			publish({
				type: 'seeker.registered',
				topics: station ? stationTopics(station) : [topic.seeker(row.id)],
				payload: { seekerId: row.id, stationId, keyGroups: row.keyGroups }
			});
			return row;
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw conflict('phone_taken', 'This phone number is already registered', { phone: 'phone_taken' });
		throw error;
	}
}

export async function findSeekerByPhone(ctx: AppContext, actor: Actor, input: unknown) {
	const { phone: number } = parse(phoneInput, input);
	if (actor.kind !== 'staff' && actor.kind !== 'admin') throw forbidden();
	const [row] = await ctx.db.select().from(seekers).where(eq(seekers.phone, number)).limit(1);
	return row ?? null;
}

/** Registered at the station, given a service there, or signed in at one of its fairs. */
export async function seekerAtStation(db: Executor, seekerId: number, stationId: number): Promise<boolean> {
	const [row] = await db
		.select({ id: seekers.id })
		.from(seekers)
		.where(
			and(
				eq(seekers.id, seekerId),
				sql`(${seekers.registeredAtStationId} = ${stationId} or ${exists(
					db.select({ one: sql`1` }).from(serviceRecords).where(and(eq(serviceRecords.stationId, stationId), eq(serviceRecords.seekerId, seekerId)))
				)} or ${exists(
					db
						.select({ one: sql`1` })
						.from(fairSignIns)
						.innerJoin(jobFairs, eq(jobFairs.id, fairSignIns.fairId))
						.where(and(eq(jobFairs.stationId, stationId), eq(fairSignIns.seekerId, seekerId)))
				)})`
			)
		)
		.limit(1);
	return Boolean(row);
}

/** The seeker themself, an admin, or staff of a station the person is at. */
async function mayManage(db: Executor, actor: Actor, seekerId: number) {
	if (actor.kind === 'admin') return true;
	if (actor.kind === 'seeker') return actor.seekerId === seekerId;
	if (actor.kind === 'staff') return seekerAtStation(db, seekerId, actor.stationId);
	return false;
}

/** Staff of this station, or an admin: the only people who work with seekers from a station's pages. */
function stationDesk(actor: Actor, stationId: number) {
	if (actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === stationId)) return;
	throw forbidden();
}

const stationSeekerInput = z.object({ stationId: id, seekerId: id });
const stationPhoneInput = z.object({ stationId: id, phone });

/** What the station's seeker page shows. `name`/`phone` are null once consent was withdrawn. */
export interface SeekerProfile {
	id: number;
	name: string | null;
	phone: string | null;
	keyGroups: Seeker['keyGroups'];
	skills: string[];
	wantedCategories: string[];
	homeLat: number | null;
	homeLng: number | null;
	radiusM: number;
	oddJobDays: number[];
	consentAt: string | null;
	consentWithdrawnAt: string | null;
	registeredAt: string;
	registeredAtStation: { id: number; name: string } | null;
}

/** One seeker, for the staff of a station the person is at (or an admin). */
export async function getSeekerForStation(ctx: AppContext, actor: Actor, input: unknown): Promise<SeekerProfile> {
	const { stationId, seekerId } = parse(stationSeekerInput, input);
	stationDesk(actor, stationId);
	await loadStation(ctx.db, stationId);
	const [row] = await ctx.db
		.select({ seeker: seekers, stationName: stations.name })
		.from(seekers)
		.leftJoin(stations, eq(stations.id, seekers.registeredAtStationId))
		.where(eq(seekers.id, seekerId))
		.limit(1);
	// Not at this station reads as "no such seeker": an id alone must not tell staff who exists elsewhere.
	if (!row || (actor.kind === 'staff' && !(await seekerAtStation(ctx.db, seekerId, stationId)))) throw notFound('seeker');
	const s = row.seeker;
	const withdrawn = Boolean(s.consentWithdrawnAt);
	return {
		id: s.id,
		name: withdrawn ? null : s.name,
		phone: withdrawn ? null : s.phone,
		keyGroups: s.keyGroups,
		skills: s.skills,
		wantedCategories: s.wantedCategories,
		homeLat: s.homeLat,
		homeLng: s.homeLng,
		radiusM: s.radiusM,
		oddJobDays: s.oddJobDays,
		consentAt: s.consentAt?.toISOString() ?? null,
		consentWithdrawnAt: s.consentWithdrawnAt?.toISOString() ?? null,
		registeredAt: s.createdAt.toISOString(),
		registeredAtStation: s.registeredAtStationId && row.stationName ? { id: s.registeredAtStationId, name: row.stationName } : null
	};
}

/**
 * The person with this exact phone, as the station's counter may see them: in full when they are at this
 * station, masked (and with `atStation: false`) when they registered elsewhere.
 */
export interface PhoneMatch {
	seekerId: number;
	atStation: boolean;
	name: string;
	phone: string;
}

export async function findSeekerForStation(ctx: AppContext, actor: Actor, input: unknown): Promise<PhoneMatch | null> {
	const { stationId, phone: number } = parse(stationPhoneInput, input);
	stationDesk(actor, stationId);
	await loadStation(ctx.db, stationId);
	const [row] = await ctx.db.select({ id: seekers.id, name: seekers.name, phone: seekers.phone }).from(seekers).where(eq(seekers.phone, number)).limit(1);
	if (!row) return null;
	const atStation = actor.kind === 'admin' || (await seekerAtStation(ctx.db, row.id, stationId));
	return {
		seekerId: row.id,
		atStation,
		name: atStation ? (row.name ?? '') : maskName(row.name),
		phone: atStation ? (row.phone ?? '') : maskPhone(row.phone)
	};
}

/** The newest people registered at this station (a short list for the counter, not a directory). */
export async function recentSeekersAtStation(ctx: AppContext, actor: Actor, input: unknown, limit = 10) {
	const { stationId } = parse(z.object({ stationId: id }), input);
	stationDesk(actor, stationId);
	const rows = await ctx.db
		.select({ id: seekers.id, name: seekers.name, phone: seekers.phone, withdrawnAt: seekers.consentWithdrawnAt, createdAt: seekers.createdAt })
		.from(seekers)
		.where(eq(seekers.registeredAtStationId, stationId))
		.orderBy(desc(seekers.id))
		.limit(limit);
	return rows.map((r) => ({
		id: r.id,
		name: r.withdrawnAt ? null : r.name,
		phone: r.withdrawnAt ? null : r.phone,
		withdrawn: Boolean(r.withdrawnAt),
		registeredAt: r.createdAt.toISOString()
	}));
}

export async function updateSeeker(ctx: AppContext, actor: Actor, input: unknown) {
	const { seekerId, ...changes } = parse(updateInput, input);
	if (!(await mayManage(ctx.db, actor, seekerId))) throw forbidden();
	const [current] = await ctx.db.select().from(seekers).where(eq(seekers.id, seekerId));
	if (!current) throw notFound('seeker');
	if (!current.consentAt || current.consentWithdrawnAt) throw conflict('consent_withdrawn', 'This person withdrew consent');
	if (Object.keys(changes).length === 0) return current;
	try {
		return await write(ctx, async (tx, publish) => {
			const [row] = await tx.update(seekers).set(changes).where(eq(seekers.id, seekerId)).returning();
			// Which fields changed, never their values: the seeker's own devices refresh their profile.
			publish({ type: 'seeker.updated', topics: [topic.seeker(seekerId)], payload: { seekerId, changed: Object.keys(changes) } });
			return row;
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw conflict('phone_taken', 'This phone number is already registered', { phone: 'phone_taken' });
		throw error;
	}
}

/** Consent withdrawn: name and phone are erased for good; applications stay, anonymous. */
export async function withdrawConsent(ctx: AppContext, actor: Actor, input: unknown) {
	const { seekerId } = parse(withdrawInput, input);
	if (!(await mayManage(ctx.db, actor, seekerId))) throw forbidden();
	return write(ctx, async (tx, publish) => {
		const [current] = await tx.select({ withdrawnAt: seekers.consentWithdrawnAt }).from(seekers).where(eq(seekers.id, seekerId)).for('update');
		if (!current) throw notFound('seeker');
		// Withdrawing twice keeps the first moment and announces nothing new.
		if (current.withdrawnAt) return { seekerId, consentWithdrawnAt: current.withdrawnAt.toISOString() };
		const [row] = await tx
			.update(seekers)
			.set({ name: null, phone: null, homeLat: null, homeLng: null, consentWithdrawnAt: ctx.now() })
			.where(eq(seekers.id, seekerId))
			.returning();
		publish({ type: 'seeker.consent_withdrawn', topics: [topic.seeker(seekerId)], payload: { seekerId } });
		return { seekerId, consentWithdrawnAt: row.consentWithdrawnAt!.toISOString() };
	});
}
