/**
 * DESIGN.md rule 4: several processes share one log. A relay whose own process wrote nothing is woken
 * by LISTEN/NOTIFY, well before its fallback poll. Two database handles stand in for two processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
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
});
