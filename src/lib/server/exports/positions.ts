/**
 * Positions as a CSV file (/exports/positions.csv) for the actor's scope: an employer's organisation, a
 * station's staff, a supervisor's region, everything for an admin. No personal data: positions carry none.
 */
import { asc, eq, like } from 'drizzle-orm';
import { positionKindLabel, positionStateLabel } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { serviceDateKey } from '$lib/time';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { toCsv } from '../csv';
import { positions } from '../db/schema';
import { forbidden } from '../errors';

/** A spreadsheet, not a sync: beyond this the API's keyset pages are the way. */
export const POSITIONS_EXPORT_MAX = 50_000;

function scopeOf(actor: Actor) {
	switch (actor.kind) {
		case 'admin':
			return undefined;
		case 'supervisor':
			return like(positions.regionCode, `${actor.regionCode.replace(/[\\%_]/g, '')}%`);
		case 'staff':
			return eq(positions.stationId, actor.stationId);
		case 'employer':
			return eq(positions.employerOrganisationId, actor.organisationId);
		default:
			throw forbidden();
	}
}

export async function positionsCsv(ctx: AppContext, actor: Actor, locale: Locale): Promise<{ filename: string; body: string }> {
	const scope = scopeOf(actor);
	const rows = await ctx.db.select().from(positions).where(scope).orderBy(asc(positions.id)).limit(POSITIONS_EXPORT_MAX);
	const o = { locale };
	const iso = (d: Date | null) => (d ? d.toISOString() : '');
	const header = [
		m.export_col_id({}, o),
		m.export_col_title({}, o),
		m.export_col_category({}, o),
		m.export_col_kind({}, o),
		m.export_col_state({}, o),
		m.export_col_pay_min({}, o),
		m.export_col_pay_max({}, o),
		m.export_col_pay_unit({}, o),
		m.export_col_headcount({}, o),
		m.export_col_filled({}, o),
		m.export_col_region({}, o),
		m.export_col_address({}, o),
		m.export_col_starts_at({}, o),
		m.export_col_ends_at({}, o),
		m.export_col_updated_at({}, o)
	];
	const body = toCsv([
		header,
		...rows.map((p) => [
			p.id,
			p.title,
			p.category,
			positionKindLabel[p.kind]({}, o),
			positionStateLabel[p.state]({}, o),
			p.payMin,
			p.payMax,
			p.payUnit,
			p.headcount,
			p.filledCount,
			p.regionCode,
			p.address,
			iso(p.startsAt),
			iso(p.endsAt),
			iso(p.updatedAt)
		])
	]);
	return { filename: `positions-${serviceDateKey(ctx.now())}.csv`, body };
}
