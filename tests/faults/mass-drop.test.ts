/**
 * Fault: every client of a process drops at the same moment (a load balancer or a network switch goes).
 * They must all be back within 15 s, spread out by the jittered back-off rather than all at once, while
 * the app's event loop stays responsive (p99 lag under 200 ms), and each subscription resyncs with one
 * request, never a storm of retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDelivery, checkWrites, compareBoards } from './checks';
import { type Rig, STATION, canRun, logs, openClients, percentile, report, settle, setUp, short, sleep, tearDown, waitFor } from './rig';

const CLIENTS = short ? 150 : 500;
const RATE = 5;

// Skipped only where no PostgreSQL server binaries exist (rig.ts says so loudly): the scenario starts and restarts a server of its own.
describe.skipIf(!canRun)('fault: all clients dropped at once', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await setUp('mass-drop');
	});
	afterAll(async () => {
		if (rig) await tearDown(rig);
	});

	it(`${CLIENTS} clients dropped at once are back within 15 s, spread, lag p99 < 200 ms, one resync per subscription`, async () => {
		await openClients(rig, CLIENTS);
		void rig.writer.start(RATE);
		await sleep(2000);
		const subscribedBefore = rig.clients.map((c) => c.subscribes);

		await rig.a.resetLag();
		const cutAt = Date.now();
		const cut = rig.proxy.cut();
		const allBack = await waitFor(() => rig.clients.every((c) => c.live && c.syncedAt.some((t) => t > cutAt)), 30_000);
		const lag = await rig.a.lag();
		const connected = rig.clients.map((c) => (c.connects.find((t) => t > cutAt) ?? Infinity) - cutAt);
		const back = rig.clients.map((c) => (c.syncedAt.find((t) => t > cutAt) ?? Infinity) - cutAt);
		const resyncs = rig.clients.map((c, i) => (c.subscribes - subscribedBefore[i]) / c.board.feeds.length);
		// Spread: how the reconnections are distributed over time, in 100 ms buckets.
		const buckets = new Map<number, number>();
		for (const t of connected) if (Number.isFinite(t)) buckets.set(Math.floor(t / 100), (buckets.get(Math.floor(t / 100)) ?? 0) + 1);
		const busiest = Math.max(...buckets.values()) / CLIENTS;

		await sleep(2000);
		await rig.writer.stop();
		const settleMs = await settle(rig);
		const delivery = await checkDelivery(rig.database.db, rig.clients);
		const boards = await compareBoards(rig.database.db, rig.clients, STATION);
		const writes = await checkWrites(rig.database.db, rig.writer.prefix, rig.writer.postings);
		const snapshots = rig.clients.reduce((n, c) => n + [...c.feeds.values()].reduce((m, f) => m + f.snapshots.length, 0), 0);

		report('mass-drop', {
			clients: CLIENTS,
			cut,
			postings: rig.writer.postings.length,
			reconnect_p10_ms: percentile(connected, 10),
			reconnect_p50_ms: percentile(connected, 50),
			reconnect_p90_ms: percentile(connected, 90),
			busiest_100ms_share: Math.round(busiest * 1000) / 1000,
			recovery_p50_ms: percentile(back, 50),
			recovery_p99_ms: percentile(back, 99),
			recovery_max_ms: Math.max(...back),
			lag_p50_ms: Math.round(lag.p50 * 10) / 10,
			lag_p99_ms: Math.round(lag.p99 * 10) / 10,
			lag_max_ms: Math.round(lag.max * 10) / 10,
			resyncs_max: Math.max(...resyncs),
			snapshots,
			settle_ms: settleMs,
			deliveries: delivery.checked,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			boards_equal: boards.equal,
			boards_different: boards.different,
			half_written: writes.halfWritten
		});

		if (allBack === null) console.error(logs(rig));
		expect(cut, 'connections cut').toBe(CLIENTS);
		expect(allBack, 'every client back').not.toBeNull();
		expect(Math.max(...back), 'slowest client back (ms)').toBeLessThanOrEqual(15_000);
		// Jittered: not one burst. socket.io's first retry is 250–750 ms after the drop.
		expect(percentile(connected, 90) - percentile(connected, 10), 'p90 − p10 of reconnect times (ms)').toBeGreaterThanOrEqual(200);
		expect(busiest, 'share of clients reconnecting in the busiest 100 ms').toBeLessThanOrEqual(0.4);
		expect(lag.p99, "app's event-loop lag p99 during the storm (ms)").toBeLessThan(200);
		expect(Math.max(...resyncs), 'subscribe requests per subscription').toBeLessThanOrEqual(1);
		expect(delivery.examples, 'deliveries').toEqual([]);
		expect(delivery.lost).toBe(0);
		expect(delivery.duplicates).toBe(0);
		expect(boards.examples, 'boards').toEqual([]);
		expect(boards.equal).toBe(CLIENTS);
		expect(writes.examples, 'writes').toEqual([]);
	});
});
