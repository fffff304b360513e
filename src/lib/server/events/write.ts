/**
 * The one write path (DESIGN.md "The spine"): state and its events commit in one transaction.
 *
 * Events are appended last, under a transaction-scoped advisory lock held until commit. That serialises
 * appends so ids are handed out in commit order: when id N is visible, every id below N is settled
 * (committed or rolled back for good). The relay and resuming clients can therefore use a plain id cursor
 * and never skip an event that commits late. The lock is held only for the final insert and the commit,
 * not for the work before it: one statement takes it and appends (in the order published), so holding it
 * costs one round trip to the database fewer — every append in the app waits on it, and the room bench
 * measured a third more applies a second so. After commit the relay is woken (in-process, plus NOTIFY for
 * other processes).
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import type { Tx } from '../db';
import { events } from '../db/schema';

export const EVENT_APPEND_LOCK = 7_301_002;

export interface NewEvent {
	type: string;
	topics: string[];
	payload: Record<string, unknown>;
}

export type Publish = (event: NewEvent) => void;

export async function write<T>(ctx: AppContext, work: (tx: Tx, publish: Publish) => Promise<T>): Promise<T> {
	let appended = false;
	const result = await ctx.db.transaction(async (tx) => {
		const pending: NewEvent[] = [];
		const value = await work(tx, (event) => pending.push(event));
		if (pending.length) {
			const rows = JSON.stringify(pending.map((e) => ({ type: e.type, topics: dedupe(e.topics), payload: e.payload })));
			await appendQuery(tx).execute({ rows });
			appended = true;
		}
		return value;
	});
	if (appended) ctx.afterCommit();
	return result;
}

/**
 * The append, prepared: one round trip instead of two (postgres.js asks for the parameter types of an
 * unprepared statement first), and every commit of the app waits on it. The lock is taken before the first
 * row is produced, so before any id is drawn, and ids are drawn row by row in the order published. An insert
 * from a select names every column, so the defaults of `id` and `at` are spelled out here.
 */
const appendQuery = (tx: Tx) =>
	tx
		.insert(events)
		.select(
			sql`select nextval('events_id_seq'), e.topics, e.type, e.payload, now()
				from (select pg_advisory_xact_lock(${EVENT_APPEND_LOCK})) as locked
				cross join rows from (jsonb_to_recordset(${sql.placeholder('rows')}::jsonb) as (type text, topics text[], payload jsonb)) with ordinality as e(type, topics, payload, n)
				order by e.n`
		)
		.prepare('append_events');

function dedupe(topics: string[]) {
	return [...new Set(topics)];
}
