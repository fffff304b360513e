/**
 * scale.*: two app processes (`node server.js` twice, on two loopback ports, one fresh PostgreSQL database
 * and the Redis socket.io adapter, WebSocket only) holding 2 × 10,000 connected clients (quick: 2 × 1,000),
 * and a posting reaching all of them. Measured in one run, in this order:
 *
 * - The clients are anonymous socket.io clients following `jobs` (public: a seeker's /jobs and every board
 *   follow it; an approved position reaches it), lean ones unless told otherwise (CLIENT below). A process
 *   may hold only 20,000 file descriptors, so they live in child processes of the bench (viewer-pool.ts
 *   members, at nice 10 so that simulated phones do not take the servers' CPU), MEMBERS_PER_SERVER for each
 *   app process, each connecting at a paced rate with retries so that the connect storm is not what fails.
 *   Each member talks to one app process.
 * - One process (the baseline): the first half of the clients connect to process A only (B runs, without
 *   clients), and POSTINGS positions are approved through A, a few seconds apart, after WARM_UP more.
 * - Two processes: the other half connect to B. After a settle, memory is read (below), then WARM_UP and
 *   POSTINGS more approvals through A: B's clients get them through B's own relay over the shared log,
 *   which is the point of running two.
 * - scale.clients_held: clients connected, subscribed and not dropped when the two-process postings are
 *   sent (n: clients attempted).
 * - scale.kb_per_connection: both app processes' resident memory (VmRSS in /proc/<pid>/status, summed) once
 *   every client is connected and a settle period has passed, minus the same before any client connected,
 *   per client held.
 * - scale.broadcast_p99_ms: a posting is an administrator's `position:review` (approve) command on a socket
 *   to A (signed in through /login), the app's one write path. Latency = each client's receipt of the
 *   `position.approved` event minus the moment just before the command was sent, on the machine's monotonic
 *   clock that every process shares (room-metrics.ts monoMs); p99 over every delivery of every posting,
 *   none left out. Baseline: the same with one process holding half the clients. Missing deliveries (10 s
 *   per posting) fail the run.
 * - scale.broadcast_ratio_to_one_process: the two-process p99 over the one-process p99.
 *
 * The CPU each process group used over the postings is noted (cpu.ts): on two shared cores two servers,
 * four client processes and PostgreSQL compete, and the latencies are only readable next to that.
 */
import postgres from 'postgres';
import type { Socket } from 'socket.io-client';
import { type Database, openDatabase } from '../../../src/lib/server/db';
import { migrate } from '../../../src/lib/server/db/migrate';
import { type ChildServer, cpuProfileArgs, dropDatabase, freshDatabase, startApp } from '../app-process';
import { formatCores, processTree, startCpuWindow } from '../cpu';
import { type Figure, ms, percentile } from '../figures';
import { sleep } from '../pace';
import { seedOpsScope } from '../ops-data';
import { backendsOf, vmRssKb } from '../proc-status';
import { monoMs } from '../room-metrics';
import { command, connectSocket, signIn } from '../session';
import type { SuiteOptions } from '../suite';
import { ViewerPool } from '../viewer-pool';
import type { ClientKind } from '../viewer-worker';

export const name = 'scale';

const NAME = 'jc_bench_scale';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** Client processes per app process: 5,000 sockets each at full size, well under the 20,000 fds of one. */
const MEMBERS_PER_SERVER = 2;
/** Handshakes per second and in flight, per client process; attempts after a failed one. */
const CONNECT = { ratePerS: 250, parallel: 50, retries: 3 };
/**
 * Lean sockets (lean-socket.ts): the same handshake, packets and heartbeats as socket.io-client, for about
 * half its CPU per message received. 20,000 clients on the servers' own two cores spent as much CPU as
 * both servers together taking in each posting; the measured tail was theirs as much as the servers'.
 * SCALE_BENCH_CLIENT=socket.io-client measures with socket.io-client instead (README gives both).
 */
const CLIENT = clientKind(process.env.SCALE_BENCH_CLIENT);
const POSTINGS = 5;
/**
 * Postings before each phase's measured ones, noted but not counted: the first broadcast a process makes
 * to its clients (B's first ever, in the two-process phase) also compiles that path, which a process that
 * has been serving for a while has long done (the room suite warms up its pins the same way).
 */
const WARM_UP = 1;
const PER_PHASE = WARM_UP + POSTINGS;
/** A delivery later than this counts as missing (and fails the run). */
const ROUND_TIMEOUT_MS = 10_000;

const note = (message: string) => console.error(`scale: ${message}`);

interface Plan {
	perServer: number;
	settleMs: number;
	spacingMs: number;
}

/** What the postings of one phase brought. */
interface Postings {
	latencies: number[];
	/** Per posting: p99 and the ack of the command, for the log. */
	each: { p99: number; ackMs: number }[];
	missing: number;
	duplicates: number;
	/** Latencies of the clients of each app process, in the order of the pools. */
	byServer: number[][];
}

export async function run({ quick, fail }: SuiteOptions): Promise<Figure[]> {
	const plan: Plan = quick ? { perServer: 1000, settleMs: 1500, spacingMs: 500 } : { perServer: 10_000, settleMs: 8000, spacingMs: 2000 };
	const t0 = performance.now();
	const url = await freshDatabase(NAME);
	let database: Database | null = null;
	let sql: postgres.Sql | null = null;
	const servers: ChildServer[] = [];
	const pools: ViewerPool[] = [];
	let poster: Socket | null = null;
	try {
		database = await openDatabase({ url, poolMax: 2 });
		await migrate(database);
		sql = postgres(url, { max: 2, onnotice: () => {} });
		const scope = await seedOpsScope(sql, 20);
		const pending = await pendingPositions(sql, 2 * PER_PHASE);

		// The client processes boot (tsx) while the app processes start.
		const poolA = new ViewerPool(MEMBERS_PER_SERVER, 'process');
		pools.push(poolA);
		const poolB = new ViewerPool(MEMBERS_PER_SERVER, 'process');
		pools.push(poolB);
		// Both processes as deployments of their own behind a balancer (README, Running several processes):
		// same database and Redis, WebSocket only.
		const env = { REDIS_URL, SOCKET_POLLING: 'off' };
		const profile = cpuProfileArgs('SCALE_BENCH_CPU_PROFILE');
		const started = await Promise.allSettled([startApp(url, env, profile), startApp(url, env, profile)]);
		for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
		for (const s of started) if (s.status === 'rejected') throw s.reason;
		const [a, b] = servers;
		poster = await connectSocket(a.url, { session: await signIn(a.url, scope.admin.username, scope.admin.password) });
		note(`database seeded, app processes up at ${a.url} and ${b.url}, administrator signed in on A (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

		const cpuGroups = () => ({
			'app A': processTree(a.child.pid!),
			'app B': processTree(b.child.pid!),
			clients: [...poolA.pids, ...poolB.pids],
			bench: [process.pid],
			postgres: backendsOf(NAME)
		});

		await sleep(plan.settleMs);
		const rssBefore = [vmRssKb(a.child.pid!), vmRssKb(b.child.pid!)];

		// ── one process holds half the clients ──────────────────────────────────────────────────────────
		let cpu = startCpuWindow(cpuGroups);
		const onA = await connectAll(poolA, a, plan.perServer, fail);
		note(`  CPU cores while connecting: ${formatCores(cpu.stop())}`);
		await sleep(plan.settleMs / 2);
		cpu = startCpuWindow(cpuGroups);
		const one = await warmThenPost('one process', poster, [poolA], pending.slice(0, PER_PHASE), 0, plan.spacingMs);
		note(`one process, ${onA} clients: ${postingLine(one)} (CPU cores: ${formatCores(cpu.stop())})`);

		// ── two processes, the other half on B ──────────────────────────────────────────────────────────
		cpu = startCpuWindow(cpuGroups);
		const onB = await connectAll(poolB, b, plan.perServer, fail);
		note(`  CPU cores while connecting: ${formatCores(cpu.stop())}`);
		await sleep(plan.settleMs);
		const rssAfter = [vmRssKb(a.child.pid!), vmRssKb(b.child.pid!)];
		const dropped = sum(Object.values(dropsOf(pools)));
		const held = onA + onB - dropped;
		const kbPerConnection = (sum(rssAfter) - sum(rssBefore)) / held;
		note(
			`RSS A ${mb(rssBefore[0])} → ${mb(rssAfter[0])} (${onA} clients), B ${mb(rssBefore[1])} → ${mb(rssAfter[1])} (${onB} clients): ` +
				`${kbPerConnection.toFixed(1)} KB per connection over ${held} held${dropped ? ` (${dropped} dropped)` : ''}`
		);
		cpu = startCpuWindow(cpuGroups);
		const two = await warmThenPost('two processes', poster, [poolA, poolB], pending.slice(PER_PHASE), PER_PHASE, plan.spacingMs);
		note(`two processes, ${held} clients: ${postingLine(two)} (CPU cores: ${formatCores(cpu.stop())})`);
		note(`  clients on A (where the posting was written): p99 ${ms(percentile(two.byServer[0], 99))}; on B (through its own relay): p99 ${ms(percentile(two.byServer[1], 99))}`);

		for (const [label, p] of [['one-process', one], ['two-process', two]] as const) {
			if (p.missing) fail(`${p.missing} ${label} deliveries missing (waited ${ROUND_TIMEOUT_MS / 1000} s per posting)`);
			if (p.duplicates) fail(`${p.duplicates} ${label} deliveries arrived twice`);
		}
		const drops = Object.entries(dropsOf(pools));
		if (drops.length) fail(`client sockets dropped by a server during the run: ${drops.map(([k, n]) => `${n} (${k})`).join(', ')}`);

		const p99 = percentile(two.latencies, 99);
		const oneP99 = percentile(one.latencies, 99);
		return [
			{ metric: 'scale.clients_held', value: held, unit: 'count', n: 2 * plan.perServer, goal: '>=20000' },
			{ metric: 'scale.kb_per_connection', value: kbPerConnection, unit: 'KB', n: held, goal: '<=60' },
			{ metric: 'scale.broadcast_p99_ms', value: p99, unit: 'ms', n: held, baseline: oneP99, goal: '<=500' },
			// No goal in BENCH.md: the issue asks for the ratio to be reported.
			{ metric: 'scale.broadcast_ratio_to_one_process', value: p99 / oneP99, unit: 'ratio', n: held, goal: 'report' }
		];
	} finally {
		poster?.close();
		for (const pool of pools) await pool.close().catch(() => {});
		for (const server of servers.reverse()) await server.stop();
		await sql?.end({ timeout: 2 }).catch(() => {});
		await database?.close().catch(() => {});
		await dropDatabase(NAME).catch(() => {});
	}
}

/** `count` clients of `server` following `jobs`, paced; returns how many connected and subscribed. */
async function connectAll(pool: ViewerPool, server: ChildServer, count: number, fail: SuiteOptions['fail']) {
	const t = performance.now();
	const r = await pool.connect('app', server.url, 'jobs', count, CONNECT.parallel, { ratePerS: CONNECT.ratePerS, retries: CONNECT.retries, client: CLIENT });
	const s = (performance.now() - t) / 1000;
	note(
		`${r.connected} of ${count} clients (${CLIENT}) connected to ${server.url} and subscribed in ${s.toFixed(1)} s (${Math.round(r.connected / s)}/s; ` +
			`${r.retried} retried attempts${r.firstError ? `, first error: ${r.firstError}` : ''})`
	);
	if (r.failed) fail(`${r.failed} of ${count} clients could not connect to ${server.url} after ${CONNECT.retries} retries: ${r.firstError}`);
	return r.connected;
}

/** WARM_UP postings (noted, not counted), a pause, then the rest measured; rounds numbered from `firstRound`. */
async function warmThenPost(label: string, poster: Socket, pools: ViewerPool[], positionIds: number[], firstRound: number, spacingMs: number) {
	const warm = await postAll(poster, pools, positionIds.slice(0, WARM_UP), firstRound, spacingMs);
	note(`${label}, warm-up: ${postingLine(warm)}`);
	await sleep(spacingMs);
	return postAll(poster, pools, positionIds.slice(WARM_UP), firstRound + WARM_UP, spacingMs);
}

/** Approve each of `positionIds` through the poster's socket, `spacingMs` apart, and time every delivery. */
async function postAll(poster: Socket, pools: ViewerPool[], positionIds: number[], firstRound: number, spacingMs: number): Promise<Postings> {
	const out: Postings = { latencies: [], each: [], missing: 0, duplicates: 0, byServer: pools.map(() => []) };
	for (const [k, positionId] of positionIds.entries()) {
		if (k) await sleep(spacingMs);
		const rounds = await Promise.all(pools.map((p) => p.openRound('app', firstRound + k + 1, { type: 'position.approved', positionId })));
		const sentAt = monoMs();
		const ack = await command(poster, 'position:review', { positionId, decision: 'approve' });
		const ackMs = monoMs() - sentAt;
		if (!ack.ok) throw new Error(`approving position ${positionId} was refused: ${JSON.stringify(ack.error)}`);
		const results = await Promise.all(rounds.map((r) => r.wait(ROUND_TIMEOUT_MS)));
		const these: number[] = [];
		for (const [i, r] of results.entries()) {
			for (const at of r.arrivals) {
				these.push(at - sentAt);
				out.byServer[i].push(at - sentAt);
			}
			out.missing += r.missing;
			out.duplicates += r.duplicates;
		}
		for (const l of these) out.latencies.push(l);
		out.each.push({ p99: percentile(these, 99), ackMs });
	}
	return out;
}

function postingLine(p: Postings) {
	return (
		`${p.each.length} postings, ${p.latencies.length} deliveries: p50 ${ms(percentile(p.latencies, 50))}, p99 ${ms(percentile(p.latencies, 99))}, max ${ms(percentile(p.latencies, 100))}; ` +
		`p99 per posting ${p.each.map((e) => e.p99.toFixed(0)).join(', ')} ms; command ack p50 ${ms(percentile(p.each.map((e) => e.ackMs), 50))}`
	);
}

/** Positions waiting for review at the seeded stations: approving one is a posting everybody on `jobs` hears. */
async function pendingPositions(sql: postgres.Sql, count: number): Promise<number[]> {
	const rows = await sql<{ id: number }[]>`
		insert into positions (title, category, kind, pay_min, pay_max, pay_unit, headcount, station_id, region_code, lat, lng, state, submitted_at)
		select '基准扩容岗位 ' || i, 'logistics', 'full_time', 5000, 7000, 'month', 2, s.id, s.region_code, s.lat, s.lng, 'pending_review', now()
		from generate_series(1, ${count}) i
		join lateral (select id, region_code, lat, lng from stations order by id offset (i % 20) limit 1) s on true
		order by i
		returning id`;
	return rows.map((r) => Number(r.id));
}

/** Sockets the servers dropped, over every pool, by `target: reason`. */
function dropsOf(pools: ViewerPool[]) {
	const out: Record<string, number> = {};
	for (const pool of pools) for (const [k, n] of Object.entries(pool.drops)) out[k] = (out[k] ?? 0) + n;
	return out;
}

function clientKind(value: string | undefined): ClientKind {
	if (value === undefined || value === 'lean' || value === 'socket.io-client') return value ?? 'lean';
	throw new Error(`SCALE_BENCH_CLIENT is lean or socket.io-client, not "${value}"`);
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
