/**
 * relay.*: 8 writers append events concurrently through the real write path (in this process, on the same
 * PostgreSQL database), while socket.io clients subscribed to the app process (`node server.js`) receive
 * them. Every committed event must arrive exactly once at every subscriber, in id order; commit → arrival is
 * measured per event (both clocks are this process's `performance.now()`).
 *
 * Baseline for relay.commit_to_emit_p99_ms, measured in the same run with the same writers, paced to the
 * same commit rate, and the same number of subscribers, alternating with the app in rounds: each writer
 * commits a transaction that only does `pg_notify(channel, event)`, and a separate bare process
 * (tests/bench/bare-relay.ts) LISTENs and emits every notification straight to its sockets. That is the
 * least any PostgreSQL-to-socket relay across processes can cost (commit, NOTIFY delivery, one socket.io
 * emit); the app adds the log: an advisory-locked append, a coalesced wake-up NOTIFY, reading the new rows
 * by id, and room routing. The baseline guarantees nothing (no order, no resume, lost if nobody listens),
 * so only its latency is reported.
 */
import pino from 'pino';
import postgres from 'postgres';
import { io, type Socket } from 'socket.io-client';
import { createAppContext } from '../../../src/lib/server/context';
import { type Database, openDatabase } from '../../../src/lib/server/db';
import { write } from '../../../src/lib/server/events/write';
import { type ChildServer, dropDatabase, freshDatabase, startApp, startNode } from '../app-process';
import { type Figure, ms, percentile } from '../figures';
import type { SuiteOptions } from '../suite';

export const name = 'relay';

const NAME = 'jc_bench_relay';

const WRITERS = 8;
const SUBSCRIBERS = 2;
const BARE_CHANNEL = 'jc_bench_bare'; // same name in tests/bench/bare-relay.ts

interface BenchPayload {
	w: number;
	i: number;
	t: number;
	/** Warm-up events (JIT, connection pools) are delivered and order-checked but not measured. */
	warm?: true;
}

const keyOf = (p: BenchPayload) => p.w * 1_000_000 + p.i;

/** What one subscriber saw. */
class Arrivals {
	/** event id → arrival time */
	readonly byId = new Map<number, number>();
	/** bench key (w, i) → arrival time of its first delivery */
	readonly byKey = new Map<number, number>();
	duplicates = 0;
	orderViolations = 0;
	/** Messages received, warm-up included. */
	received = 0;
	#last = 0;

	event(id: number, payload: BenchPayload) {
		const at = performance.now();
		this.received++;
		if (this.byId.has(id)) {
			this.duplicates++;
			return;
		}
		if (id <= this.#last) this.orderViolations++;
		this.#last = Math.max(this.#last, id);
		this.byId.set(id, at);
		if (!payload.warm) this.byKey.set(keyOf(payload), at);
	}

	/** Baseline messages carry no id. */
	bare(payload: BenchPayload) {
		this.received++;
		if (!payload.warm && !this.byKey.has(keyOf(payload))) this.byKey.set(keyOf(payload), performance.now());
	}
}

export async function run({ quick, fail }: SuiteOptions): Promise<Figure[]> {
	const perWriter = quick ? 200 : 2000;
	const warmPerWriter = quick ? 10 : 25;
	const url = await freshDatabase(NAME);
	const sockets: Socket[] = [];
	const servers: ChildServer[] = [];
	let database: Database | null = null;
	let bareSql: postgres.Sql | null = null;
	try {
		const app = await startApp(url);
		servers.push(app);
		database = await openDatabase({ url, poolMax: WRITERS + 2 });
		const db = database;

		// The app's own context: coalesced NOTIFY to the app process's relay (this process has none to poke).
		const ctx = createAppContext(db, { log: pino({ level: 'silent' }) });

		// Both servers and all clients stay up for the whole run; the app and the baseline take turns in
		// rounds, so a busy spell on this shared machine hits both rather than one of them.
		const bare = await startNode(['--import', 'tsx', 'tests/bench/bare-relay.ts'], { DATABASE_URL: url });
		servers.push(bare);
		bareSql = postgres(url, { max: WRITERS, onnotice: () => {} });
		const sql = bareSql;

		// Through the app: the real write path, the real relay, the real socket server.
		const seen = Array.from({ length: SUBSCRIBERS }, () => new Arrivals());
		for (const s of seen) {
			const socket = await connect(app.url);
			sockets.push(socket);
			socket.on('event:published', (e: { id: number; payload: BenchPayload }) => s.event(e.id, e.payload));
			const ack = await socket.timeout(10_000).emitWithAck('topic:subscribe', { topic: 'jobs' });
			if (!ack?.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack?.error)}`);
		}
		const viaApp = async (payload: BenchPayload) => {
			await write(ctx, async (_tx, publish) => publish({ type: 'bench.happened', topics: ['jobs'], payload: { ...payload } }));
		};

		// Baseline: NOTIFY carrying the event straight to the bare socket.io process. (It LISTENs before it
		// opens its port, so nothing committed from here on is missed.)
		const bareSeen = Array.from({ length: SUBSCRIBERS }, () => new Arrivals());
		for (const s of bareSeen) {
			const socket = await connect(bare.url);
			sockets.push(socket);
			socket.on('bare', (raw: string) => s.bare(JSON.parse(raw)));
		}
		const viaBare = async (payload: BenchPayload) => {
			await sql.begin((tx) => tx`select pg_notify(${BARE_CHANNEL}, ${JSON.stringify(payload)})`);
		};

		await writeRound(viaApp, -warmPerWriter, warmPerWriter, seen, null);
		await writeRound(viaBare, -warmPerWriter, warmPerWriter, bareSeen, null);
		const appRun = { committed: new Map<number, number>(), seconds: 0 };
		const bareRun = { committed: new Map<number, number>(), seconds: 0 };
		const rounds = quick ? 4 : 8;
		const chunk = perWriter / rounds;
		for (let r = 0; r < rounds; r++) {
			const appSeconds = await writeRound(viaApp, r * chunk, chunk, seen, appRun.committed);
			appRun.seconds += appSeconds;
			// Paced to the app round's commit rate: the same offered load, so the two latencies compare.
			bareRun.seconds += await writeRound(viaBare, r * chunk, chunk, bareSeen, bareRun.committed, appSeconds / chunk);
		}
		await new Promise((r) => setTimeout(r, 500)); // late duplicates would show up by now

		// --- figures ---------------------------------------------------------------------------------------
		const n = appRun.committed.size;
		let delivered = 0;
		const latencies: number[] = [];
		for (const s of seen) {
			for (const [key, at] of s.byKey) {
				const committedAt = appRun.committed.get(key);
				if (committedAt === undefined) {
					fail(`relay: delivered an event that was never committed (key ${key})`);
					continue;
				}
				delivered++;
				// An arrival can be handled before the writer's own `await` resumes; the commit happened first.
				latencies.push(Math.max(0, at - committedAt));
			}
		}
		const duplicates = seen.reduce((sum, s) => sum + s.duplicates, 0);
		const violations = seen.reduce((sum, s) => sum + s.orderViolations, 0);
		const bareLatencies = bareSeen.flatMap((s) => [...s.byKey].map(([key, at]) => Math.max(0, at - (bareRun.committed.get(key) ?? at))));
		const bareLost = n * SUBSCRIBERS - bareLatencies.length;

		console.error(
			`relay: ${n} events (${WRITERS} writers × ${perWriter}) committed in ${appRun.seconds.toFixed(1)} s ` +
				`(${Math.round(n / appRun.seconds)}/s) to ${SUBSCRIBERS} subscribers; delivered ${delivered}/${n * SUBSCRIBERS}, ` +
				`duplicates ${duplicates}, order violations ${violations}`
		);
		console.error(
			`relay: commit→emit p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}`
		);
		console.error(
			`relay: baseline (bare NOTIFY → socket.io, no log) p50 ${ms(percentile(bareLatencies, 50))}, ` +
				`p99 ${ms(percentile(bareLatencies, 99))}, paced to ${Math.round(n / bareRun.seconds)}/s` +
				(bareLost ? `; ${bareLost} baseline messages never arrived` : '')
		);
		if (violations) fail(`relay: ${violations} events arrived out of id order`);
		if (duplicates) fail(`relay: ${duplicates} duplicate deliveries`);
		if (delivered !== n * SUBSCRIBERS) fail(`relay: ${n * SUBSCRIBERS - delivered} deliveries missing`);

		const figures: Figure[] = [
			{ metric: 'relay.delivered_ratio', value: delivered / (n * SUBSCRIBERS), unit: 'ratio', n, goal: '=1' },
			{ metric: 'relay.duplicates', value: duplicates, unit: 'count', n, goal: '=0' },
			{ metric: 'relay.commit_to_emit_p99_ms', value: percentile(latencies, 99), unit: 'ms', n, goal: '<=50' }
		];
		// A baseline that lost messages would flatter nobody honestly: leave it out then.
		if (!bareLost) figures[2].baseline = percentile(bareLatencies, 99);
		return figures;
	} finally {
		for (const s of sockets) s.close();
		await bareSql?.end({ timeout: 2 }).catch(() => {});
		await database?.close().catch(() => {});
		for (const server of servers.reverse()) await server.stop();
		await dropDatabase(NAME).catch(() => {});
	}
}

/**
 * WRITERS concurrent loops, each writing events `from … from + count - 1` (negative: unmeasured warm-up),
 * one transaction per event; the commit time of each is taken when its write resolves. Then wait (bounded)
 * until every subscriber has every event. Returns the seconds spent writing.
 */
async function writeRound(
	writeOne: (p: BenchPayload) => Promise<void>,
	from: number,
	count: number,
	seen: Arrivals[],
	/** Commit times by key; null for warm-up. */
	committed: Map<number, number> | null,
	/** Pace each writer to this many seconds per event (0: as fast as commits allow). */
	paceSeconds = 0
) {
	const started = performance.now();
	await Promise.all(
		Array.from({ length: WRITERS }, async (_, w) => {
			for (let j = 0; j < count; j++) {
				const due = started + j * paceSeconds * 1000;
				if (paceSeconds && performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
				const payload: BenchPayload = { w, i: from + j, t: Date.now() };
				if (!committed) payload.warm = true;
				await writeOne(payload);
				committed?.set(keyOf(payload), performance.now());
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	const expected = committed?.size ?? 0;
	await waitFor(() => seen.every((s) => s.byKey.size >= expected && s.received > 0), 30_000).catch(() => {
		console.error('relay: not every event arrived within 30 s of the last commit');
	});
	return seconds;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

function connect(url: string): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error) => {
			socket.close();
			reject(error);
		});
	});
}
