/**
 * DESIGN.md rule 4: several processes share one log. A relay whose own process wrote nothing is woken
 * by LISTEN/NOTIFY, well before its fallback poll. Two database handles stand in for two processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { createAppContext } from '../../../src/lib/server/context';
import { openDatabase } from '../../../src/lib/server/db';
import { write } from '../../../src/lib/server/events/write';
import { Relay } from '../../../src/lib/server/realtime/relay';
import { createTestContext, testLog } from '../../helpers/app';
import { until } from '../../helpers/clients';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../helpers/db';

// LISTEN/NOTIFY needs a PostgreSQL server: PGlite lives inside one process and wakes its relay directly.
describe.skipIf(!onPostgres)('cross-process wake-up on postgres', () => {
	let writerDb: TestDatabase;
	let otherProcess: Awaited<ReturnType<typeof openDatabase>>;
	let relay: Relay;
	const received: LiveEvent[] = [];

	beforeAll(async () => {
		writerDb = await createTestDatabase();
		otherProcess = await openDatabase({ url: writerDb.url!, poolMax: 2 });
		relay = new Relay(otherProcess, (e) => received.push(e), { log: testLog, pollMs: 60_000 });
		await relay.start();
	});
	afterAll(async () => {
		await relay?.stop();
		await otherProcess?.close();
		await writerDb?.drop();
	});

	it('delivers events written by another process within a fraction of the poll interval', async () => {
		const { ctx } = createTestContext(writerDb);
		const started = Date.now();
		for (let i = 0; i < 50; i++) {
			await write(ctx, async (_tx, publish) => publish({ type: 'test.happened', topics: [topic.jobs], payload: { i } }));
		}
		await until(() => received.length === 50, 5000, '50 events via NOTIFY');
		expect(Date.now() - started).toBeLessThan(5000);
		expect(received.map((e) => e.payload.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
	});

	it("leaves a NOTIFY of its own process alone (that process's commits poke it directly), not another's", async () => {
		const own: LiveEvent[] = [];
		const quiet = new Relay(otherProcess, (e) => own.push(e), { log: testLog, pollMs: 60_000 });
		await quiet.start();
		try {
			// Writes that announce themselves as this relay's process, without the in-process poke.
			const sameProcess = createAppContext(writerDb.database, { log: testLog, relay: { id: quiet.id, poke: () => {} } });
			await write(sameProcess, async (_tx, publish) => publish({ type: 'test.own', topics: [topic.jobs], payload: {} }));
			await new Promise((r) => setTimeout(r, 1000));
			expect(own).toHaveLength(0);
			// Another process's commit wakes it, and it reads everything since its cursor.
			await write(createTestContext(writerDb).ctx, async (_tx, publish) => publish({ type: 'test.other', topics: [topic.jobs], payload: {} }));
			await until(() => own.length === 2, 5000, 'both events after the NOTIFY of another process');
			expect(own.map((e) => e.type)).toEqual(['test.own', 'test.other']);
		} finally {
			await quiet.stop();
		}
	});
});
