/**
 * The one write path (DESIGN.md "The spine"): state and its events commit in one transaction.
 *
 * Events are appended last, under a transaction-scoped advisory lock held until commit. That serialises
 * appends so ids are handed out in commit order: when id N is visible, every id below N is settled
 * (committed or rolled back for good). The relay and resuming clients can therefore use a plain id cursor
 * and never skip an event that commits late. The lock is held only for the final insert and the commit,
 * not for the work before it. After commit the relay is woken (in-process, plus NOTIFY for other processes).
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
			await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_APPEND_LOCK})`);
			await tx.insert(events).values(pending.map((e) => ({ type: e.type, topics: dedupe(e.topics), payload: e.payload })));
			appended = true;
		}
		return value;
	});
	if (appended) ctx.afterCommit();
	return result;
}

function dedupe(topics: string[]) {
	return [...new Set(topics)];
}
