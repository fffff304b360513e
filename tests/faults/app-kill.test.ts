/**
 * Fault: the app process the clients are on dies (SIGKILL: no goodbye, sockets just drop) while postings
 * are written through another process, and is started again on the same port. Every wall display must
 * come back by itself within 10 s of the restart and show exactly the database's board, having applied
 * every event once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelivery, checkWrites, compareBoards } from './checks';
import { type Rig, STATION, canRun, logs, openClients, percentile, report, settle, setUp, short, sleep, tearDown, until } from './rig';

const CLIENTS = short ? 60 : 300;
const RATE = 5;

// Skipped only where no PostgreSQL server binaries exist (rig.ts says so loudly): the scenario starts and restarts a server of its own.
describe.skipIf(!canRun)('fault: app process killed and restarted', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await setUp('app-kill');
	});
	afterAll(async () => {
		if (rig) await tearDown(rig);
	});

	it(`${CLIENTS} clients are back within 10 s of the restarted process being ready, boards equal the database, 0 lost, 0 duplicates`, async () => {
		await openClients(rig, CLIENTS);
		void rig.writer.start(RATE);
		await sleep(short ? 2000 : 5000);

		const killedAt = Date.now();
		await rig.a.kill('SIGKILL');
		await until(() => rig.clients.every((c) => !c.connection.socket.connected), 10_000, 'every client to notice');
		await rig.a.start();
		const { spawnedAt, readyAt } = rig.a;
		await until(() => rig.clients.every((c) => c.live && c.syncedAt.some((t) => t >= spawnedAt)), 60_000, 'every client back').catch((error) => {
			throw new Error(`${error.message}: ${rig.clients.filter((c) => !c.live).length} not live\n${logs(rig)}`);
		});
		const back = rig.clients.map((c) => c.syncedAt.find((t) => t >= spawnedAt)! - spawnedAt);

		await sleep(short ? 2000 : 5000);
		await rig.writer.stop();
		const settleMs = await settle(rig);
		const delivery = await checkDelivery(rig.database.db, rig.clients);
		const boards = await compareBoards(rig.database.db, rig.clients, STATION);
		const writes = await checkWrites(rig.database.db, rig.writer.prefix, rig.writer.postings);
		const resyncs = rig.clients.map((c) => c.subscribes / c.board.feeds.length - 1);

		report('app-kill', {
			clients: CLIENTS,
			postings: rig.writer.postings.length,
			opened: rig.writer.opened.length,
			down_ms: spawnedAt - killedAt,
			boot_ms: readyAt - spawnedAt,
			recovery_p50_ms: percentile(back, 50),
			recovery_p99_ms: percentile(back, 99),
			recovery_max_ms: Math.max(...back),
			recovery_after_ready_max_ms: Math.max(...back) - (readyAt - spawnedAt),
			settle_ms: settleMs,
			deliveries: delivery.checked,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			out_of_order: delivery.outOfOrder,
			boards_equal: boards.equal,
			boards_different: boards.different,
			half_written: writes.halfWritten,
			resyncs_max: Math.max(...resyncs),
			refused: writes.refused
		});

		expect(delivery.examples, 'deliveries').toEqual([]);
		expect(delivery.lost).toBe(0);
		expect(delivery.duplicates).toBe(0);
		expect(delivery.outOfOrder).toBe(0);
		expect(boards.examples, 'boards').toEqual([]);
		expect(boards.equal).toBe(CLIENTS);
		expect(writes.examples, 'writes').toEqual([]);
		expect(rig.writer.opened.length).toBeGreaterThan(0);
		// "The restart": the new process answering. Its boot time (seconds on a busy machine) is reported beside.
		expect(Math.max(...back) - (readyAt - spawnedAt), 'slowest client back after the restarted process was ready (ms)').toBeLessThanOrEqual(10_000);
	});
});
