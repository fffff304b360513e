/**
 * Seekers. Name and phone are personal data: stored once (phone unique), only with consent, visible only
 * to those who need them, and erased when consent is withdrawn. Events carry ids, never the person.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { topic } from '$lib/realtime/topics';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { keyGroup, seekers } from '../db/schema';
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
const registerInput = z.object({
	name: requiredText(40),
	phone,
	consent: z.literal(true, { error: 'consent_required' }),
	...profile
});
const updateInput = patchOf({ name: requiredText(40), phone, ...profile }).extend({ seekerId: id });
const phoneInput = z.object({ phone });
const withdrawInput = z.object({ seekerId: id });

/** Staff register at their station; a seeker (self-registration) is created by the auth flow. */
export async function registerSeeker(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(registerInput, input);
	if (actor.kind !== 'staff' && actor.kind !== 'admin' && actor.kind !== 'anonymous') throw forbidden();
	const stationId = actor.kind === 'staff' ? actor.stationId : null;
	const station = stationId ? await loadStation(ctx.db, stationId) : null;
	const { consent: _consent, ...values } = data;
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

/** The seeker themself, or staff / admin. */
function mayManage(actor: Actor, seekerId: number) {
	return actor.kind === 'admin' || actor.kind === 'staff' || (actor.kind === 'seeker' && actor.seekerId === seekerId);
}

export async function updateSeeker(ctx: AppContext, actor: Actor, input: unknown) {
	const { seekerId, ...changes } = parse(updateInput, input);
	if (!mayManage(actor, seekerId)) throw forbidden();
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
	if (!mayManage(actor, seekerId)) throw forbidden();
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
