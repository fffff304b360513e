/**
 * DESIGN.md rule 2: the relay never skips a committed event and never emits a rolled-back one, even
 * with many concurrent writers whose transactions overlap and commit in any order.
 */
import { desc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { events, organisations } from '../../../src/lib/server/db/schema';
import { write } from '../../../src/lib/server/events/write';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName, onPostgres } from '../../helpers/db';

const WRITERS = 8;
const PER_WRITER = onPostgres ? 2000 : 300; // PGlite serialises every transaction: same logic, smaller run

describe(`relay on ${driverName}`, () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp();
	});
	afterAll(async () => {
		await app?.close();
	});

	it(`delivers ${WRITERS} × ${PER_WRITER} concurrent events exactly once, in id order`, async () => {
		const client = connect(app.url);
		const received: LiveEvent[] = [];
		client.subscribe(topic.jobs, { snapshot: () => {}, event: (e) => received.push(e) });
		await until(() => client.state === 'live', 10_000, 'live');
		await client.ready();

		const committed: number[] = [];
		let rolledBack = 0;
		const writer = async (w: number) => {
			for (let i = 0; i < PER_WRITER; i++) {
				// Some transactions do work before appending, so their commits interleave with the others'.
				const fail = i % 97 === 13;
				try {
					await write(app.ctx, async (tx, publish) => {
						if (i % 7 === 0) await new Promise((r) => setTimeout(r, Math.random() * 3));
						publish({ type: 'test.happened', topics: [topic.jobs], payload: { w, i } });
						if (fail) throw new Error('roll back');
					});
					committed.push(w * 1_000_000 + i);
				} catch {
					rolledBack++;
				}
			}
		};
		await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

		await until(() => received.length >= committed.length, 150_000, 'all events');
		await new Promise((r) => setTimeout(r, 300)); // anything extra (a duplicate) would arrive by now
		const ids = received.map((e) => e.id);
		const keys = received.map((e) => (e.payload.w as number) * 1_000_000 + (e.payload.i as number));
		expect(received.length).toBe(committed.length);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		expect(new Set(keys)).toEqual(new Set(committed));
		expect(rolledBack).toBeGreaterThan(0);
		expect(client.socket.connected).toBe(true);
		client.close();
	}, 180_000); // a correctness test: on a busy 2-core machine 16,000 commits can take over a minute

	it('appends a transaction\'s events in the order published, with their topics once each and payloads intact', async () => {
		const payloads = [{ n: 1, text: '第一', nested: { list: [1, 2], none: null } }, { n: 2, at: new Date(0) }, { n: 3, quote: `it's "x"` }];
		await write(app.ctx, async (_tx, publish) => {
			publish({ type: 'test.first', topics: [topic.jobs, 'room:1', topic.jobs], payload: payloads[0] });
			publish({ type: 'test.second', topics: ['seeker:2'], payload: payloads[1] });
			publish({ type: 'test.third', topics: [topic.jobs], payload: payloads[2] });
		});
		const rows = await app.ctx.db.select().from(events).orderBy(desc(events.id)).limit(3);
		rows.reverse();
		expect(rows.map((r) => r.type)).toEqual(['test.first', 'test.second', 'test.third']);
		expect(rows[1].id - rows[0].id).toBe(1);
		expect(rows[2].id - rows[1].id).toBe(1);
		expect(rows.map((r) => r.topics)).toEqual([[topic.jobs, 'room:1'], ['seeker:2'], [topic.jobs]]);
		expect(rows.map((r) => r.payload)).toEqual(JSON.parse(JSON.stringify(payloads)));
	});

	it('rolls the whole transaction back when its append fails, with that error, and the next write goes through', async () => {
		const name = `写入失败 ${Date.now()}`;
		const [last] = await app.ctx.db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
		// The append is the transaction's last statement: its failure must still undo the work before it.
		const failed = write(app.ctx, async (tx, publish) => {
			await tx.insert(organisations).values({ name, kind: 'employer' });
			publish({ type: null as unknown as string, topics: [topic.jobs], payload: {} });
		});
		const error = (await failed.then(
			() => null,
			(e: unknown) => e
		)) as (Error & { cause?: Error }) | null;
		// drizzle wraps a failed query: PostgreSQL's message is its cause.
		expect(`${error?.message} ${error?.cause?.message}`).toMatch(/null value/);
		expect(await app.ctx.db.select().from(organisations).where(eq(organisations.name, name))).toEqual([]);
		expect(await app.ctx.db.select().from(events).where(gt(events.id, last?.id ?? 0))).toEqual([]);

		const value = await write(app.ctx, async (tx, publish) => {
			const [row] = await tx.insert(organisations).values({ name, kind: 'employer' }).returning();
			publish({ type: 'test.after_failure', topics: [topic.jobs], payload: { organisationId: row.id } });
			return row.id;
		});
		const after = await app.ctx.db.select().from(events).where(gt(events.id, last?.id ?? 0));
		expect(after.map((e) => [e.type, e.payload])).toEqual([['test.after_failure', { organisationId: value }]]);
	});
});
