/**
 * What every fault scenario holds the clients and the database to, read straight from PostgreSQL:
 * - every event of a client's topics after its first sync was applied exactly once, or is covered by a
 *   snapshot taken after it (lost = 0, duplicates = 0, never out of order);
 * - every client's board equals the board the database gives now (the display topic's own snapshot query);
 * - every posting is in the database exactly as its acknowledgements say, with exactly the events of the
 *   steps that committed (nothing half-written, nothing announced that did not happen).
 */
import { and, eq, gt, inArray, like, sql } from 'drizzle-orm';
import type { AppContext } from '../../src/lib/server/context';
import type { Db } from '../../src/lib/server/db';
import { events, positions } from '../../src/lib/server/db/schema';
import { type BoardContent, boardContent } from '../../src/lib/server/queries/board';
import type { BoardClient } from './board-client';
import type { Posting, Step } from './writer';

export interface Delivery {
	/** Events (per client and topic) neither applied nor covered by a snapshot. */
	lost: number;
	/** Events applied more than once by the same feed. */
	duplicates: number;
	outOfOrder: number;
	/** Deliveries checked: events × clients. */
	checked: number;
	/** First few problems, for the failure message. */
	examples: string[];
}

export async function checkDelivery(db: Db, clients: BoardClient[]): Promise<Delivery> {
	const out: Delivery = { lost: 0, duplicates: 0, outOfOrder: 0, checked: 0, examples: [] };
	const topics = new Set(clients.flatMap((c) => [...c.feeds.keys()]));
	for (const topic of topics) {
		const starts = clients.map((c) => c.feeds.get(topic)?.firstCursor ?? null).filter((x): x is number => x !== null);
		if (!starts.length) continue;
		const from = Math.min(...starts);
		const rows = await db
			.select({ id: events.id })
			.from(events)
			.where(and(gt(events.id, from), sql`${events.topics} @> array[${topic}]::text[]`))
			.orderBy(events.id);
		for (const client of clients) {
			const feed = client.feeds.get(topic);
			if (!feed || feed.firstCursor === null) {
				out.lost += rows.length;
				if (out.examples.length < 5) out.examples.push(`client ${client.id} never synced ${topic}`);
				continue;
			}
			const covered = Math.max(feed.firstCursor, ...feed.snapshots);
			for (const { id } of rows) {
				if (id <= feed.firstCursor) continue;
				out.checked++;
				const times = feed.applied.get(id) ?? 0;
				if (times > 1) {
					out.duplicates += times - 1;
					if (out.examples.length < 5) out.examples.push(`client ${client.id} applied ${topic} event ${id} ${times} times`);
				}
				if (times === 0 && id > covered) {
					out.lost++;
					if (out.examples.length < 5) out.examples.push(`client ${client.id} missed ${topic} event ${id} (cursor ${client.board.feeds.find((f) => f.topic === topic)?.cursor})`);
				}
			}
			out.outOfOrder += feed.outOfOrder;
		}
	}
	return out;
}

/** The part of a board that events change: positions and odd jobs (without publish times, which events carry as the event's time). */
function jobBoard(content: BoardContent, now: number) {
	const item = (p: BoardContent['positions'][number]) => `${p.id}:${p.title}:${p.kind}:${p.payMin}-${p.payMax}/${p.payUnit}`;
	return {
		positions: content.positions.map(item),
		// An odd job that ended since the board last synced leaves the screen by time, not by an event.
		oddJobs: content.oddJobs.filter((p) => !p.endsAt || Date.parse(p.endsAt) > now).map(item)
	};
}

export interface BoardComparison {
	equal: number;
	different: number;
	examples: string[];
}

export async function compareBoards(db: Db, clients: BoardClient[], stationId: number): Promise<BoardComparison> {
	const now = Date.now();
	const ctx = { now: () => new Date(now) } as AppContext;
	const truth = await boardContent(ctx, db, stationId);
	if (!truth) throw new Error(`station ${stationId} has no board`);
	const expected = JSON.stringify(jobBoard(truth, now));
	const out: BoardComparison = { equal: 0, different: 0, examples: [] };
	for (const client of clients) {
		const got = JSON.stringify(jobBoard(client.board.content, now));
		if (got === expected) out.equal++;
		else {
			out.different++;
			if (out.examples.length < 3) out.examples.push(`client ${client.id}: board ${got.slice(0, 300)} … database ${expected.slice(0, 300)}`);
		}
	}
	return out;
}

const STEP_EVENT: Record<Step, string> = { create: 'position.created', submit: 'position.submitted', review: 'position.approved' };
const STEP_STATE: Record<Step, string> = { create: 'draft', submit: 'pending_review', review: 'open' };
const ORDER: Step[] = ['create', 'submit', 'review'];

export interface WriteCheck {
	acknowledged: number;
	/** Postings whose database state or events disagree with what was acknowledged. */
	halfWritten: number;
	/** Steps refused while the database was away, by error code and reason. */
	refused: Record<string, number>;
	examples: string[];
}

/**
 * For each posting: the steps acknowledged ok must have committed (state and event), the refused ones
 * must have left nothing, and a step whose answer never came (timeout) may have gone either way.
 */
export async function checkWrites(db: Db, prefix: string, postings: Posting[]): Promise<WriteCheck> {
	const rows = await db
		.select({ id: positions.id, title: positions.title, state: positions.state })
		.from(positions)
		.where(like(positions.title, `${prefix} %`));
	const byTitle = new Map<string, typeof rows>();
	for (const r of rows) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), r]);
	const ids = rows.map((r) => r.id);
	const eventRows = ids.length
		? await db
				.select({ type: events.type, positionId: sql<number>`(${events.payload}->>'positionId')::int` })
				.from(events)
				.where(and(inArray(events.type, Object.values(STEP_EVENT)), inArray(sql`(${events.payload}->>'positionId')::int`, ids)))
		: [];
	const eventsOf = new Map<number, string[]>();
	for (const e of eventRows) eventsOf.set(e.positionId, [...(eventsOf.get(e.positionId) ?? []), e.type]);

	const out: WriteCheck = { acknowledged: 0, halfWritten: 0, refused: {}, examples: [] };
	const bad = (p: Posting, why: string) => {
		out.halfWritten++;
		if (out.examples.length < 5) out.examples.push(`posting ${p.n} (${p.title}): ${why}`);
	};
	for (const p of postings) {
		if (p.failed) out.refused[`${p.failed.code}:${p.failed.reason}`] = (out.refused[`${p.failed.code}:${p.failed.reason}`] ?? 0) + 1;
		if (p.done) out.acknowledged++;
		const found = byTitle.get(p.title) ?? [];
		if (found.length > 1) {
			bad(p, `${found.length} rows`);
			continue;
		}
		const row = found[0];
		const acked = p.done ? ORDER.indexOf(p.done) : -1;
		// A timed-out step may have committed: one step further is allowed then.
		const maybe = p.failed?.code === 'unknown' ? ORDER.indexOf(p.failed.step) : acked;
		if (!row) {
			if (acked >= 0) bad(p, 'acknowledged but not in the database');
			continue;
		}
		const reached = ORDER.findIndex((s) => STEP_STATE[s] === row.state);
		if (reached < acked || reached > maybe) {
			bad(p, `state ${row.state}, acknowledged up to ${p.done ?? 'nothing'}${p.failed ? `, then ${p.failed.step} ${p.failed.code}` : ''}`);
			continue;
		}
		const expected = ORDER.slice(0, reached + 1).map((s) => STEP_EVENT[s]);
		const got = (eventsOf.get(row.id) ?? []).sort((a, b) => expected.indexOf(a) - expected.indexOf(b));
		if (JSON.stringify(got) !== JSON.stringify(expected)) bad(p, `events ${got.join(',') || 'none'} for state ${row.state}`);
	}
	return out;
}

/** Open positions of this run in the database (what every board must have received). */
export async function openPostingIds(db: Db, prefix: string): Promise<number[]> {
	const rows = await db
		.select({ id: positions.id })
		.from(positions)
		.where(and(like(positions.title, `${prefix} %`), eq(positions.state, 'open')));
	return rows.map((r) => r.id);
}

/** The event that opened each position (its `position.approved`), by position id. */
export async function openingEvents(db: Db, positionIds: number[]): Promise<Map<number, number>> {
	if (!positionIds.length) return new Map();
	const rows = await db
		.select({ id: events.id, positionId: sql<number>`(${events.payload}->>'positionId')::int` })
		.from(events)
		.where(and(eq(events.type, 'position.approved'), inArray(sql`(${events.payload}->>'positionId')::int`, positionIds)));
	return new Map(rows.map((r) => [r.positionId, r.id]));
}

/** When the last of the clients applied an event on `topic` (null: some never did). */
export function lastArrival(clients: BoardClient[], topic: string, eventId: number): number | null {
	let last = 0;
	for (const c of clients) {
		const at = c.feeds.get(topic)?.appliedAt.get(eventId);
		if (at === undefined) return null;
		last = Math.max(last, at);
	}
	return last;
}
