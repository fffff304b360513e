/**
 * What the position forms offer to pick from: regions (every county under its city, plus the regions the
 * post already names) and, for staff, the employers a walk-in could be from. The positions service checks
 * every pick again, so these lists only save typing codes and ids.
 */
import { and, asc, eq, inArray, like, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { EmployerChoice, RegionChoice } from '$lib/forms/position-form';
import { type Actor, coversStation } from '../actor';
import type { AppContext } from '../context';
import { organisations, regions } from '../db/schema';
import { forbidden } from '../errors';
import { loadStation } from '../services/stations';
import { id, parse } from '../validation';

const POSTERS = new Set<Actor['kind']>(['admin', 'staff', 'employer']);

export async function regionChoices(ctx: AppContext, actor: Actor, extra: (string | null | undefined)[] = []): Promise<RegionChoice[]> {
	if (!POSTERS.has(actor.kind)) throw forbidden();
	const city = alias(regions, 'city');
	const wanted = extra.filter((c): c is string => typeof c === 'string' && /^[0-9]{2,12}$/.test(c));
	const [counties, others] = await Promise.all([
		ctx.db
			.select({ code: regions.code, zh: regions.nameZh, en: regions.nameEn, cityZh: city.nameZh, cityEn: city.nameEn })
			.from(regions)
			.innerJoin(city, eq(city.code, regions.parentCode))
			.where(eq(regions.level, 'county'))
			.orderBy(asc(regions.parentCode), asc(regions.code)),
		wanted.length
			? ctx.db.select({ code: regions.code, zh: regions.nameZh, en: regions.nameEn }).from(regions).where(inArray(regions.code, wanted)).orderBy(asc(regions.code))
			: Promise.resolve([])
	]);
	const listed = new Set(counties.map((c) => c.code));
	return [...others.filter((r) => !listed.has(r.code)).map((r) => ({ ...r, cityZh: null, cityEn: null })), ...counties];
}

/**
 * Employers a walk-in at this station may be from: those registered in the station's city (by name), and
 * the one a duplicated post names. Staff of the station and admins.
 */
export async function walkInEmployers(ctx: AppContext, actor: Actor, stationId: unknown, include: number | null = null): Promise<EmployerChoice[]> {
	const station = await loadStation(ctx.db, parse(id, stationId));
	if (!coversStation(actor, station) || actor.kind === 'supervisor') throw forbidden();
	const city = station.regionCode.slice(0, 4);
	return ctx.db
		.select({ id: organisations.id, name: organisations.name })
		.from(organisations)
		.where(and(eq(organisations.kind, 'employer'), or(like(organisations.regionCode, `${city}%`), include ? eq(organisations.id, include) : undefined)))
		.orderBy(asc(organisations.name))
		.limit(500);
}

/** The employer's own organisation: its name for the heading, its region as the form's default place. */
export async function ownOrganisation(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'employer') throw forbidden();
	const [org] = await ctx.db
		.select({ id: organisations.id, name: organisations.name, regionCode: organisations.regionCode })
		.from(organisations)
		.where(eq(organisations.id, actor.organisationId));
	return org ?? { id: actor.organisationId, name: '', regionCode: null };
}
