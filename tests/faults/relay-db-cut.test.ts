/**
 * Fault: the database connections of the process the clients are on (its relay's reads and its LISTEN
 * connection) are cut and refused for 10 s, while 100 postings are written through another process.
 * The displays stay connected to their process the whole time; once it reaches the database again its
 * relay must catch up from its cursor and deliver all 100, and be woken by NOTIFY again afterwards.
 * Then the same connections stall (open, but nothing moves) while more postings are written: once the
 * path clears, those arrive too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topic } from '../../src/lib/realtime/topics';
import { checkDelivery, checkWrites, compareBoards, lastArrival, openingEvents } from './checks';
import { type Rig, STATION, canRun, logs, openClients, percentile, report, settle, setUp, short, sleep, tearDown, waitFor } from './rig';

const CLIENTS = short ? 40 : 200;
const POSTINGS = short ? 40 : 100;
const CUT_MS = short ? 5000 : 10_000;
const RATE = 5;
const STALL_MS = short ? 3000 : 5000;
const STALL_POSTINGS = short ? 20 : 40;

// Skipped only where no PostgreSQL server binaries exist (rig.ts says so loudly): the scenario starts and restarts a server of its own.
describe.skipIf(!canRun)('fault: the relay loses its database for a while', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await setUp('relay-db-cut', { proxyDatabaseOfA: true });
	});
	afterAll(async () => {
		if (rig) await tearDown(rig);
	});

	it(`all ${POSTINGS} postings written during a ${CUT_MS / 1000} s cut reach every client`, async () => {
		await openClients(rig, CLIENTS);
		const dbProxy = rig.dbProxy!;
		const writing = rig.writer.start(RATE, POSTINGS);
		await sleep(1000);
		const cutAt = Date.now();
		dbProxy.refuse(CUT_MS);
		const cutConnections = dbProxy.cut();
		await sleep(CUT_MS);
		const restoredAt = Date.now();
		await writing;

		const opened = rig.writer.opened;
		const openingIds = await openingEvents(rig.database.db, opened.map((p) => p.positionId!));
		const display = topic.display(STATION);
		const everyoneHasAll = () => opened.every((p) => lastArrival(rig.clients, display, openingIds.get(p.positionId!)!) !== null);
		const caughtUp = await waitFor(everyoneHasAll, 30_000);

		const during = opened.filter((p) => p.openedAt! >= cutAt && p.openedAt! < restoredAt);
		// Written during the cut: delivered once the relay is back. Its catch-up time is the last of them.
		const lastDuring = Math.max(...during.map((p) => lastArrival(rig.clients, display, openingIds.get(p.positionId!)!) ?? Infinity));
		// Then ten more: commit to the last display, with the relay woken by NOTIFY again (not its fallback poll).
		await rig.writer.start(RATE, 10);
		const after = rig.writer.opened.slice(opened.length);
		const afterIds = await openingEvents(rig.database.db, after.map((p) => p.positionId!));
		await waitFor(() => after.every((p) => lastArrival(rig.clients, display, afterIds.get(p.positionId!)!) !== null), 10_000);
		const latency = after.map((p) => (lastArrival(rig.clients, display, afterIds.get(p.positionId!)!) ?? Infinity) - p.openedAt!);

		// Then a stall: the connections stay open but nothing moves (a dead network path) while more are written.
		const stalled = rig.writer.opened.length;
		dbProxy.stall();
		const stalledAt = Date.now();
		const writingDuringStall = rig.writer.start(RATE, STALL_POSTINGS);
		await sleep(STALL_MS);
		dbProxy.resume();
		const resumedAt = Date.now();
		await writingDuringStall;
		const afterStall = rig.writer.opened.slice(stalled);
		const stallIds = await openingEvents(rig.database.db, afterStall.map((p) => p.positionId!));
		const stallDelivered = await waitFor(() => afterStall.every((p) => lastArrival(rig.clients, display, stallIds.get(p.positionId!)!) !== null), 30_000);
		const stallRecovery =
			Math.max(...afterStall.filter((p) => p.openedAt! < resumedAt).map((p) => lastArrival(rig.clients, display, stallIds.get(p.positionId!)!) ?? Infinity)) - resumedAt;

		const settleMs = await settle(rig);
		const delivery = await checkDelivery(rig.database.db, rig.clients);
		const boards = await compareBoards(rig.database.db, rig.clients, STATION);
		const writes = await checkWrites(rig.database.db, rig.writer.prefix, rig.writer.postings);
		const disconnected = rig.clients.filter((c) => c.disconnects.length > 0).length;

		report('relay-db-cut', {
			clients: CLIENTS,
			postings: POSTINGS,
			opened: opened.length,
			cut_ms: restoredAt - cutAt,
			cut_connections: cutConnections,
			written_during_cut: during.length,
			relay_recovery_ms: Number.isFinite(lastDuring) ? lastDuring - restoredAt : null,
			all_delivered_after_writes_ms: caughtUp,
			stall_ms: resumedAt - stalledAt,
			written_during_stall: afterStall.filter((p) => p.openedAt! < resumedAt).length,
			stall_recovery_ms: Number.isFinite(stallRecovery) ? stallRecovery : null,
			after_cut_delivery_p50_ms: percentile(latency, 50),
			after_cut_delivery_p99_ms: percentile(latency, 99),
			clients_disconnected: disconnected,
			settle_ms: settleMs,
			deliveries: delivery.checked,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			boards_equal: boards.equal,
			boards_different: boards.different,
			half_written: writes.halfWritten
		});

		if (caughtUp === null) console.error(logs(rig));
		expect(opened.length, 'postings opened (written through the other process)').toBe(POSTINGS);
		expect(during.length, 'postings written while the relay had no database').toBeGreaterThan(POSTINGS / 5);
		expect(caughtUp, 'every posting reached every client').not.toBeNull();
		expect(afterStall.length, 'postings opened around the stall').toBe(STALL_POSTINGS);
		expect(stallDelivered, 'every posting written during the stall reached every client').not.toBeNull();
		expect(delivery.examples, 'deliveries').toEqual([]);
		expect(delivery.lost).toBe(0);
		expect(delivery.duplicates).toBe(0);
		expect(boards.examples, 'boards').toEqual([]);
		expect(boards.equal).toBe(CLIENTS);
		expect(writes.examples, 'writes').toEqual([]);
		expect(disconnected, 'clients never lost their socket').toBe(0);
		// Woken by NOTIFY again: well under the 1 s fallback poll.
		expect(percentile(latency, 99), 'delivery after the cut, p99 (ms)').toBeLessThan(500);
	});
});
