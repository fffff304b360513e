/**
 * "Nothing was written": the number of rows in every table, read in one statement. What the app's own
 * background work writes (alerts raised by its sweeps, their events, expiring odd jobs) is left out, so a run
 * that happens to cross a sweep does not read as a write made by a request.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';

export const TABLES = [
	'regions',
	'organisations',
	'stations',
	'seekers',
	'users',
	'sessions',
	'visits',
	'service_records',
	'positions',
	'applications',
	'job_fairs',
	'fair_booths',
	'fair_booth_positions',
	'fair_sign_ins',
	'live_rooms',
	'live_room_positions',
	'chat_messages',
	'room_mutes',
	'displays',
	'api_tokens'
] as const;

export type RowCounts = Record<(typeof TABLES)[number] | 'events', number>;

export async function rowCounts(db: Db): Promise<RowCounts> {
	const columns = TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ');
	const events = `(select count(*) from events where type not like 'alert.%' and type <> 'position.expired')::int as events`;
	const rows = (await db.execute(sql.raw(`select ${columns}, ${events}`))) as unknown as RowCounts[] | { rows: RowCounts[] };
	return Array.isArray(rows) ? rows[0] : rows.rows[0];
}
