/**
 * Fault: a flaky network. Every client loses its connection again and again (cut, then refused for
 * 1–5 s, at random; the next time soon after it is back), for a minute or two, while postings keep being
 * written through another process.
 * Once the network is quiet, every client must be back and equal to the database, having applied every
 * event exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelivery, checkWrites, compareBoards } from './checks';
import { type Rig, STATION, canRun, logs, openClients, percentile, random, report, settle, setUp, short, sleep, tearDown, waitFor } from './rig';

const CLIENTS = short ? 20 : 100;
const DISCONNECTS = short ? 4 : 20;
const OUTAGE_MS: [number, number] = short ? [1000, 2000] : [1000, 5000];
/** Connected time between getting back and the next disconnect. */
const GAP_MS: [number, number] = [200, 1000];
const QUIET_MS = 3000;
const DELAY_MS = 30;
const RATE = 5;

// Skipped only where no PostgreSQL server binaries exist (rig.ts says so loudly): the scenario starts and restarts a server of its own.
describe.skipIf(!canRun)('fault: random disconnects per client', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await setUp('random-disconnects');
	});
	afterAll(async () => {
		if (rig) await tearDown(rig);
	});

	it(`${DISCONNECTS} disconnects of ${OUTAGE_MS[0] / 1000}–${OUTAGE_MS[1] / 1000} s per client, then every client equals the database`, async () => {
		await openClients(rig, CLIENTS);
		const subscribedBefore = rig.clients.map((c) => c.subscribes);
		// A poor network besides: every chunk each way arrives this much later.
		rig.proxy.delay(DELAY_MS);
		void rig.writer.start(RATE);
		const started = Date.now();
		const lastFaultEnd = new Map<number, number>();
		await Promise.all(
			rig.clients.map(async (client) => {
				const rnd = random(7919 * (client.id + 1));
				const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
				for (let k = 0; k < DISCONNECTS; k++) {
					// Each disconnect hits a live client (one that resynced after the last), after a while connected.
					if ((await waitFor(() => client.live, 20_000)) === null) break;
					await sleep(between(...GAP_MS));
					const outage = between(...OUTAGE_MS);
					rig.proxy.refuse(outage, `c${client.id}`);
					rig.proxy.cut(`c${client.id}`);
					await sleep(outage);
				}
				lastFaultEnd.set(client.id, Date.now());
			})
		);
		const window = Date.now() - started;
		// The network is good again: everyone reconnects (socket.io's back-off may still be waiting).
		const allBack = await waitFor(() => rig.clients.every((c) => c.live), 30_000);
		const back = rig.clients.map((c) => (c.syncedAt.at(-1) ?? Infinity) - lastFaultEnd.get(c.id)!);
		await rig.writer.stop();
		await sleep(QUIET_MS);
		const settleMs = await settle(rig);

		const delivery = await checkDelivery(rig.database.db, rig.clients);
		const boards = await compareBoards(rig.database.db, rig.clients, STATION);
		const writes = await checkWrites(rig.database.db, rig.writer.prefix, rig.writer.postings);
		const disconnects = rig.clients.map((c) => c.disconnects.length);
		const resyncs = rig.clients.map((c, i) => (c.subscribes - subscribedBefore[i]) / c.board.feeds.length);
		const reconnects = rig.clients.map((c) => c.syncedAt.length - 1);
		const snapshots = rig.clients.reduce((n, c) => n + [...c.feeds.values()].reduce((m, f) => m + f.snapshots.length, 0), 0);

		report('random-disconnects', {
			clients: CLIENTS,
			window_s: Math.round(window / 1000),
			delay_ms: DELAY_MS,
			postings: rig.writer.postings.length,
			opened: rig.writer.opened.length,
			disconnects_total: disconnects.reduce((a, b) => a + b, 0),
			disconnects_min: Math.min(...disconnects),
			reconnects_total: reconnects.reduce((a, b) => a + b, 0),
			resyncs_per_reconnect: Math.round((resyncs.reduce((a, b) => a + b, 0) / Math.max(1, reconnects.reduce((a, b) => a + b, 0))) * 100) / 100,
			snapshots,
			recovery_p50_ms: percentile(back, 50),
			recovery_max_ms: Math.max(...back),
			settle_ms: settleMs,
			deliveries: delivery.checked,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			out_of_order: delivery.outOfOrder,
			boards_equal: boards.equal,
			boards_different: boards.different,
			half_written: writes.halfWritten
		});

		if (allBack === null) console.error(logs(rig));
		expect(allBack, 'every client back after the last disconnect').not.toBeNull();
		expect(Math.min(...disconnects), 'disconnects suffered by the luckiest client').toBe(DISCONNECTS);
		expect(delivery.examples, 'deliveries').toEqual([]);
		expect(delivery.lost).toBe(0);
		expect(delivery.duplicates).toBe(0);
		expect(delivery.outOfOrder).toBe(0);
		expect(boards.examples, 'boards').toEqual([]);
		expect(boards.equal).toBe(CLIENTS);
		expect(writes.examples, 'writes').toEqual([]);
		// Back within socket.io's longest back-off step (8 s) plus a resync.
		expect(Math.max(...back), 'slowest client back after its last disconnect (ms)').toBeLessThanOrEqual(10_000);
	});
});
