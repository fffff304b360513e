/**
 * relay.*: 8 writers append events concurrently through the real write path (in this process, on the same
 * PostgreSQL), while socket.io clients subscribed to the app process receive them. Every committed event
 * must arrive exactly once, in id order; commit → arrival is measured per event.
 */
import pino from 'pino';
import { io } from 'socket.io-client';
import { openDatabase } from '../../../src/lib/server/db';
import { RELAY_CHANNEL } from '../../../src/lib/server/realtime/relay';
import type { AppContext } from '../../../src/lib/server/context';
import { write } from '../../../src/lib/server/events/write';
import { startApp, freshDatabase } from '../app-process';
import { type Figure, percentile } from '../figures';

export async function run({ quick }: { quick: boolean }): Promise<Figure[]> {
	const writers = 8;
	const perWriter = quick ? 200 : 2000;
	const subscribers = 2;
	const url = await freshDatabase('jc_bench_relay');
	const app = await startApp(url);
	const database = await openDatabase({ url, poolMax: writers + 2 });
	try {
		let notifying = false;
		let again = false;
		const notify = async (): Promise<void> => {
			if (notifying) {
				again = true;
				return;
			}
			notifying = true;
			await database.notify!(RELAY_CHANNEL).catch(() => {});
			notifying = false;
			if (again) {
				again = false;
				return notify();
			}
		};
		const ctx: AppContext = { db: database.db, database, log: pino({ level: 'silent' }), now: () => new Date(), afterCommit: () => void notify() };

		const arrivals = Array.from({ length: subscribers }, () => new Map<number, number>());
		const orderViolations = new Array(subscribers).fill(0);
		const clients = await Promise.all(
			arrivals.map(
				(seen, s) =>
					new Promise<ReturnType<typeof io>>((resolve, reject) => {
						const c = io(app.url, { transports: ['websocket'], reconnection: false });
						let last = 0;
						c.on('event:published', (e: { id: number; payload: { k?: number } }) => {
							if (e.payload.k === undefined) return;
							if (e.id <= last) orderViolations[s]++;
							last = e.id;
							seen.set(e.payload.k, (seen.has(e.payload.k) ? -1e15 : 0) + performance.now());
						});
						c.on('connect', async () => {
							const ack = await c.timeout(10_000).emitWithAck('topic:subscribe', { topic: 'jobs' });
							if (ack.ok) resolve(c);
							else reject(new Error(ack.error.message));
						});
						c.on('connect_error', reject);
					})
			)
		);

		const committed = new Map<number, number>();
		const started = performance.now();
		await Promise.all(
			Array.from({ length: writers }, async (_, w) => {
				for (let i = 0; i < perWriter; i++) {
					const k = w * 1_000_000 + i;
					await write(ctx, async (_tx, publish) => publish({ type: 'bench.happened', topics: ['jobs'], payload: { k, w, i } }));
					committed.set(k, performance.now());
				}
			})
		);
		const writeSeconds = (performance.now() - started) / 1000;
		const deadline = Date.now() + 60_000;
		while (arrivals.some((a) => a.size < committed.size) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		await new Promise((r) => setTimeout(r, 500)); // late duplicates would show up by now
		clients.forEach((c) => c.close());

		let delivered = 0;
		let duplicates = 0;
		const latencies: number[] = [];
		for (const seen of arrivals) {
			for (const [k, at] of seen) {
				if (at < 0) duplicates++;
				const t = committed.get(k);
				if (t === undefined) continue;
				delivered++;
				latencies.push(Math.max(0, (at < 0 ? at + 1e15 : at) - t));
			}
		}
		const violations = orderViolations.reduce((a, b) => a + b, 0);
		console.error(`relay: ${committed.size} events committed in ${writeSeconds.toFixed(1)} s (${Math.round(committed.size / writeSeconds)}/s) to ${subscribers} subscribers; commit→emit p50 ${percentile(latencies, 50).toFixed(1)} ms; order violations ${violations}`);
		if (violations) throw new Error(`${violations} events arrived out of id order`);
		const n = committed.size;
		return [
			{ metric: 'relay.delivered_ratio', value: delivered / (n * subscribers), unit: 'ratio', n, goal: '=1' },
			{ metric: 'relay.duplicates', value: duplicates, unit: 'count', n, goal: '=0' },
			{ metric: 'relay.commit_to_emit_p99_ms', value: percentile(latencies, 99), unit: 'ms', n, goal: '<=50' }
		];
	} finally {
		await database.close();
		await app.stop();
	}
}
