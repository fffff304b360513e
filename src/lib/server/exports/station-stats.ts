/**
 * Station statistics as a CSV file (/exports/station-stats.csv): per station in the actor's scope, visits,
 * services and applications (to positions the station collected) over a range of service days in China time.
 * Counts only: no people.
 */
import { asc, eq, like, sql } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { toCsv } from '../csv';
import { stations } from '../db/schema';
import { forbidden, invalid } from '../errors';
import { parse } from '../validation';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_format');
const rangeInput = z.object({ from: day, to: day });
const MAX_DAYS = 366;

function scopeOf(actor: Actor) {
	switch (actor.kind) {
		case 'admin':
			return undefined;
		case 'supervisor':
			return like(stations.regionCode, `${actor.regionCode.replace(/[\\%_]/g, '')}%`);
		case 'staff':
			return eq(stations.id, actor.stationId);
		default:
			throw forbidden();
	}
}

/** Service days are China days: a day starts at 00:00 +08:00. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);

export async function stationStatsCsv(ctx: AppContext, actor: Actor, input: unknown, locale: Locale) {
	const scope = scopeOf(actor);
	const { from, to } = parse(rangeInput, input);
	const start = dayStart(from);
	const end = new Date(dayStart(to).getTime() + 86_400_000);
	if (Number.isNaN(start.getTime())) throw invalid({ from: 'date' });
	if (Number.isNaN(end.getTime())) throw invalid({ to: 'date' });
	if (end <= start) throw invalid({ to: 'before_from' });
	if (end.getTime() - start.getTime() > MAX_DAYS * 86_400_000) throw invalid({ to: 'range_too_long' });
	const s = start.toISOString();
	const e = end.toISOString();
	const rows = await ctx.db
		.select({
			id: stations.id,
			name: stations.name,
			regionCode: stations.regionCode,
			visits: sql<number>`(select count(*) from visits v where v.station_id = "stations"."id"
				and v.checked_in_at >= ${s}::timestamptz and v.checked_in_at < ${e}::timestamptz)`.mapWith(Number),
			services: sql<number>`(select count(*) from service_records r where r.station_id = "stations"."id"
				and r.at >= ${s}::timestamptz and r.at < ${e}::timestamptz)`.mapWith(Number),
			applications: sql<number>`(select count(*) from applications a join positions p on p.id = a.position_id
				where p.station_id = "stations"."id" and a.created_at >= ${s}::timestamptz and a.created_at < ${e}::timestamptz)`.mapWith(Number)
		})
		.from(stations)
		.where(scope)
		.orderBy(asc(stations.id))
		.limit(20_000);
	const o = { locale };
	const body = toCsv([
		[m.export_col_id({}, o), m.export_col_station({}, o), m.export_col_region({}, o), m.export_col_visits({}, o), m.export_col_services({}, o), m.export_col_applications({}, o)],
		...rows.map((r) => [r.id, r.name, r.regionCode, r.visits, r.services, r.applications])
	]);
	return { filename: `station-stats-${from}-${to}.csv`, body };
}
