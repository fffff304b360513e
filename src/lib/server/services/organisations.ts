/**
 * An organisation's own profile: what an employer keeps up to date about itself (name, contact phone).
 * The region is an administrator's decision (it decides which supervisors see the organisation), so it is
 * shown, not edited, here. No event: nothing follows an organisation's name live; boards and pages read it
 * when they next load.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { organisations, regions } from '../db/schema';
import { forbidden, notFound } from '../errors';
import { id, parse, requiredText } from '../validation';

/** A mobile number, or a landline with area code and optional extension (020-12345678-123). */
const contactPhone = z
	.string()
	.trim()
	.regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, 'contact_phone_format');

const profileInput = z.object({
	/** Admins name the organisation; an employer may omit it (its own) but never name another. */
	organisationId: id.optional(),
	name: requiredText(80),
	/** Empty clears it. */
	contactPhone: z.union([z.literal('').transform(() => null), contactPhone]).nullish()
});

/** Scope first: an employer acts on its own organisation only; an admin on any it names. */
function organisationOf(actor: Actor, named: number | undefined) {
	if (actor.kind === 'employer') {
		if (named !== undefined && named !== actor.organisationId) throw forbidden();
		return actor.organisationId;
	}
	if (actor.kind === 'admin' && named !== undefined) return named;
	throw forbidden();
}

export async function getOrganisationProfile(ctx: AppContext, actor: Actor, organisationId?: unknown) {
	const orgId = organisationOf(actor, organisationId === undefined ? undefined : parse(id, organisationId));
	const [row] = await ctx.db
		.select({
			id: organisations.id,
			name: organisations.name,
			kind: organisations.kind,
			contactPhone: organisations.contactPhone,
			regionCode: organisations.regionCode,
			regionZh: regions.nameZh,
			regionEn: regions.nameEn
		})
		.from(organisations)
		.leftJoin(regions, eq(regions.code, organisations.regionCode))
		.where(eq(organisations.id, orgId));
	if (!row) throw notFound('organisation');
	return row;
}

export async function updateOrganisationProfile(ctx: AppContext, actor: Actor, input: unknown) {
	if (actor.kind !== 'employer' && actor.kind !== 'admin') throw forbidden();
	const data = parse(profileInput, input);
	const orgId = organisationOf(actor, data.organisationId);
	const [row] = await ctx.db
		.update(organisations)
		.set({ name: data.name, ...(data.contactPhone !== undefined ? { contactPhone: data.contactPhone } : {}) })
		.where(eq(organisations.id, orgId))
		.returning({ id: organisations.id, name: organisations.name, contactPhone: organisations.contactPhone });
	if (!row) throw notFound('organisation');
	return row;
}
