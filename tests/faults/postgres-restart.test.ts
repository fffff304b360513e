/**
 * Fault: PostgreSQL is restarted under load (stopped, down for a few seconds, started). While it is down
 * every write fails with a clear error (an `unavailable` ack on the socket, 503 over HTTP) and leaves
 * nothing half-written; displays that lose their connection meanwhile cannot sign in again until it is
 * back. Afterwards the app recovers by itself (no restart): writes succeed again, the relay resumes from
 * where it was, and every display is back and equal to the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topic } from '../../src/lib/realtime/topics';
import { checkDelivery, checkWrites, compareBoards, lastArrival, openingEvents } from './checks';
import { type Rig, STATION, canRun, logs, openClients, percentile, report, settle, setUp, short, sleep, tearDown, waitFor } from './rig';

const CLIENTS = short ? 40 : 200;
const RATE = 5;
const DOWN_MS = short ? 3000 : 6000;

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number | null> {
	const start = Date.now();
	while (!(await check())) {
		if (Date.now() - start > timeoutMs) return null;
		await sleep(200);
	}
	return Date.now() - start;
}

async function status(url: string, cookie?: string) {
	try {
		const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual', signal: AbortSignal.timeout(5000) });
		await res.body?.cancel();
		return res.status;
	} catch {
		return 0;
	}
}

// Skipped only where no PostgreSQL server binaries exist (rig.ts says so loudly): the scenario starts and restarts a server of its own.
describe.skipIf(!canRun)('fault: PostgreSQL restarted under load', () => {
	let rig: Rig;
	beforeAll(async () => {
		rig = await setUp('postgres-restart');
	});
	afterAll(async () => {
		if (rig) await tearDown(rig);
	});

	it('writes fail clearly while it is down, nothing half-written, the app and relay recover by themselves', async () => {
		await openClients(rig, CLIENTS);
		void rig.writer.start(RATE);
		await sleep(short ? 2000 : 4000);
		const cursorBefore = (await rig.database.db.execute<{ id: number }>('select max(id)::int as id from events'))[0]?.id ?? 0;

		const stoppedAt = Date.now();
		rig.pg.stop('fast');
		// A network blip while the database is away: half of the displays lose their socket and must sign
		// in again (their handshake needs the database).
		await sleep(500);
		const cut = rig.clients.filter((c) => c.id % 2 === 0);
		for (const c of cut) rig.proxy.cut(`c${c.id}`);
		await sleep(300);
		const page = await status(`${rig.b.url}/stations/${STATION}`, rig.writer.cookie);
		const health = await status(`${rig.b.url}/healthz`);
		const postingsBeforeStart = rig.writer.postings.length;
		await sleep(Math.max(0, DOWN_MS - (Date.now() - stoppedAt)));
		const downDuring = rig.writer.postings.slice(postingsBeforeStart);

		const startedAt = Date.now();
		rig.pg.start();
		// Writes work again: the first posting started after the start that got through.
		const writesBack = await waitFor(() => rig.writer.postings.some((p) => p.startedAt >= startedAt && p.done === 'review'), 30_000);
		const firstWrite = rig.writer.postings.find((p) => p.startedAt >= startedAt && p.done === 'review');
		const clientsBack = await waitFor(() => rig.clients.every((c) => c.live), 30_000);
		const allLive = Date.now();
		// Pages with a session work again, from the first one on (no pooled connection hands on an old error).
		const pageStatuses: number[] = [];
		const pageBack = await waitUntil(async () => {
			pageStatuses.push(await status(`${rig.b.url}/stations/${STATION}`, rig.writer.cookie));
			return pageStatuses.at(-1) === 200;
		}, 15_000);
		const pageAfter = pageStatuses.at(-1);

		await sleep(short ? 2000 : 4000);
		await rig.writer.stop();
		const settleMs = await settle(rig);
		const db = rig.database.db;
		const delivery = await checkDelivery(db, rig.clients);
		const boards = await compareBoards(db, rig.clients, STATION);
		const writes = await checkWrites(db, rig.writer.prefix, rig.writer.postings);
		const opening = firstWrite ? await openingEvents(db, [firstWrite.positionId!]) : new Map<number, number>();
		const firstEvent = firstWrite ? opening.get(firstWrite.positionId!) : undefined;
		const arrived = firstEvent ? lastArrival(rig.clients, topic.display(STATION), firstEvent) : null;
		const lastId = (await db.execute<{ id: number }>('select max(id)::int as id from events'))[0]?.id ?? 0;
		const healthA = (await (await fetch(`${rig.a.url}/healthz`)).json()) as { relayCursor: number; relayHealthy: boolean };
		const refusedDuring = downDuring.filter((p) => p.failed);
		const back = cut.map((c) => (c.syncedAt.find((t) => t >= startedAt) ?? Infinity) - startedAt);

		report('postgres-restart', {
			clients: CLIENTS,
			down_ms: startedAt - stoppedAt,
			postings: rig.writer.postings.length,
			opened: rig.writer.opened.length,
			refused_while_down: refusedDuring.length,
			refused: writes.refused,
			http_page_while_down: page,
			http_health_while_down: health,
			http_page_after: pageAfter,
			http_page_after_tries: pageStatuses.length,
			http_page_after_statuses: [...new Set(pageStatuses)],
			http_page_back_ms: pageBack === null ? null : allLive + pageBack - startedAt,
			write_recovery_ms: firstWrite?.openedAt ? firstWrite.openedAt - startedAt : null,
			relay_recovery_ms: arrived === null ? null : arrived - startedAt,
			reconnected_clients: cut.length,
			reconnect_p50_ms: percentile(back, 50),
			reconnect_max_ms: Math.max(...back),
			all_live_ms: clientsBack === null ? null : allLive - startedAt,
			not_live: rig.clients.filter((c) => !c.live).length,
			settle_ms: settleMs,
			relay_cursor_before: cursorBefore,
			relay_cursor_after: healthA.relayCursor,
			deliveries: delivery.checked,
			lost: delivery.lost,
			duplicates: delivery.duplicates,
			boards_equal: boards.equal,
			boards_different: boards.different,
			half_written: writes.halfWritten
		});

		if (writesBack === null || clientsBack === null) console.error(logs(rig));
		expect(writesBack, 'writes succeed again within 30 s').not.toBeNull();
		expect(clientsBack, 'every client live again within 30 s').not.toBeNull();
		// While down: refused with a clear answer, never a generic failure.
		expect(page, 'a page with a session while the database is down').toBe(503);
		expect(health, '/healthz while the database is down').toBe(503);
		expect(refusedDuring.length, 'postings refused while down').toBeGreaterThan(0);
		for (const key of Object.keys(writes.refused)) expect(key).toMatch(/^unavailable:database_unavailable$/);
		expect(writes.examples, 'writes').toEqual([]);
		// Recovered by itself.
		expect(pageStatuses[0], 'the first page with a session after the restart').toBe(200);
		expect(pageAfter).toBe(200);
		expect(arrived, 'the first posting after the restart reached every display').not.toBeNull();
		expect(healthA.relayHealthy).toBe(true);
		expect(healthA.relayCursor).toBeGreaterThanOrEqual(lastId);
		expect(delivery.examples, 'deliveries').toEqual([]);
		expect(delivery.lost).toBe(0);
		expect(delivery.duplicates).toBe(0);
		expect(boards.examples, 'boards').toEqual([]);
		expect(boards.equal).toBe(CLIENTS);
	});
});
