/**
 * room.*: one live recruiting room with 5,000 viewers (quick: 500) on one app process (`node server.js` on
 * a fresh PostgreSQL database, loopback), measured in one run, in this order:
 *
 * - room.kb_per_viewer: the app process's resident memory (VmRSS in /proc/<pid>/status) once the viewers
 *   are connected and following `room:N` and a settle period has passed, minus the same before they
 *   connected, per viewer. Viewers are anonymous socket.io clients (the room topic is public), spread over
 *   worker threads of this process (tests/bench/viewer-pool.ts) running at nice 10, so that simulated phones
 *   do not take the server's CPU; each one got the room's snapshot.
 * - room.pin_p99_ms, room.pin_ratio_to_baseline: the host (an employer signed in through /login) sends
 *   `room:pin`, alternating between two positions of the queue; each viewer times the arrival of its
 *   `room.pinned` event. Latency = arrival − the moment the command was sent, on one monotonic clock shared
 *   by every thread (room-metrics.ts monoMs). The baseline is a bare socket.io server in its own process
 *   (tests/bench/bare-room.ts) that broadcasts the very message the app sent its viewers for a pin to the
 *   same number of sockets of the same viewer threads; the app and the baseline take turns, round by round (ABBA), in
 *   the same run. The ratio is the app's p99 over the baseline's. The baseline's viewers are closed after
 *   the pins: what follows is the app's alone.
 * - room.apply_duplicate_rows, room.apply_ack_p99_ms: signed-in seekers (sessions stored in the database,
 *   one socket each, not counted as viewers) send `room:apply` at 500 a second for 30 s (quick: 100/s for
 *   10 s) on a fixed schedule (pace.ts), every tenth a resend of one of the last 50 commands with the same
 *   client key (some still in flight, as a double tap; some answered, as a retry after a lost answer). Every
 *   command must get exactly one ok acknowledgement (else it is a lost confirmation), every resend the
 *   application of its first send; afterwards the rows of the room's applications are counted against the
 *   distinct (seeker, position) pairs. The viewers are connected throughout, as in a real room.
 * - room.event_loop_lag_p99_ms: the same seekers post chat at 200 lines a second for 30 s (quick: 5 s), slow
 *   mode off; every line the room stored must reach every viewer once, in order (counted per socket; each
 *   line carries its send time, so its delivery latency is noted too, from one viewer in ten). The app's event-loop lag meanwhile is read by a probe
 *   the bench preloads into the app process (tests/bench/loop-probe.mjs: perf_hooks monitorEventLoopDelay,
 *   how late a 10 ms timer fires); the app has no switch for it. While the chat runs, the host pins every
 *   3 s and that latency is noted beside the quiet-room figure.
 *
 * The CPU each process used in each phase is noted (cpu.ts): on two shared cores, the viewers, the app and
 * PostgreSQL compete, and a figure is only readable next to that.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import type { Socket } from 'socket.io-client';
import type { RoomBatch } from '../../../src/lib/realtime/protocol';
import { createAppContext } from '../../../src/lib/server/context';
import { type Database, openDatabase } from '../../../src/lib/server/db';
import { migrate } from '../../../src/lib/server/db/migrate';
import { APPLY_PER_MINUTE } from '../../../src/lib/server/auth/rate-limit';
import { COUNTER_BATCH_MS } from '../../../src/lib/server/realtime/room-batch';
import { type ChildServer, cpuProfileArgs, dropDatabase, freshDatabase, startApp, startNode } from '../app-process';
import { formatCores, processTree, startCpuWindow } from '../cpu';
import { type Figure, ms, percentile } from '../figures';
import { pace, sleep } from '../pace';
import { type RoomData, seedRoom } from '../room-data';
import { type ApplyCommand, accountApplies, chatBody, monoMs } from '../room-metrics';
import { backendsOf, vmRssKb } from '../proc-status';
import { ViewerPool } from '../viewer-pool';
import type { Target } from '../viewer-worker';
import { command, connectSocket, signIn, subscribe } from '../session';
import type { SuiteOptions } from '../suite';

export const name = 'room';

/** Applications reach the viewers as counters: a batch waits up to COUNTER_BATCH_MS, then trickles out over up to half of it. */
const COUNTERS_OUT_MS = COUNTER_BATCH_MS * 1.5;

const NAME = 'jc_bench_room';
/** Viewer threads: more than the cores, so that no one thread's backlog is what gets timed. */
const THREADS = Number(process.env.ROOM_BENCH_THREADS) || 4;
const POSITIONS = 30;
const PIN_WARM_UP = 3;
/** A command unanswered this long counts as lost; a slow answer is a latency, not a loss. */
const ACK_TIMEOUT_MS = 60_000;

const note = (message: string) => console.error(`room: ${message}`);

interface Plan {
	viewers: number;
	/**
	 * Enough people for the apply phase to stay inside a person's limit (rate-limit.ts: 10 applications a
	 * minute each, 20 commands a minute per socket; chat 5 lines in 10 s per socket), as a real rush is many
	 * people tapping once or twice: 500/s for 30 s is 13,500 first sends, 8–9 for each of 1,600 seekers, and
	 * 200 lines/s from 500 seekers (quick) is 4 lines in 10 s each.
	 */
	seekers: number;
	pinRounds: number;
	applyRate: number;
	applySeconds: number;
	chatRate: number;
	chatSeconds: number;
	settleMs: number;
}

export async function run({ quick, fail }: SuiteOptions): Promise<Figure[]> {
	const plan: Plan = quick
		? { viewers: 500, seekers: 500, pinRounds: 10, applyRate: 100, applySeconds: 10, chatRate: 200, chatSeconds: 5, settleMs: 2000 }
		: { viewers: 5000, seekers: 1600, pinRounds: 30, applyRate: 500, applySeconds: 30, chatRate: 200, chatSeconds: 30, settleMs: 8000 };
	const url = await freshDatabase(NAME);
	const probeFile = join(tmpdir(), `jc-bench-room-probe-${process.pid}.json`);
	rmSync(probeFile, { force: true });
	let database: Database | null = null;
	let sql: postgres.Sql | null = null;
	const servers: ChildServer[] = [];
	const sockets: Socket[] = [];
	let pool: ViewerPool | null = null;
	const figures: Figure[] = [];
	try {
		database = await openDatabase({ url, poolMax: 4 });
		await migrate(database);
		sql = postgres(url, { max: 4, onnotice: () => {} });
		const ctx = createAppContext(database, { log: pino({ level: 'silent' }) });
		const t0 = performance.now();
		const data = await seedRoom(sql, ctx, { positions: POSITIONS, seekers: plan.seekers });
		note(`room ${data.roomId} live with ${data.positionIds.length} positions in its queue, ${data.seekers.length} seekers signed in (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

		const profile = cpuProfileArgs('ROOM_BENCH_CPU_PROFILE');
		const app = await startApp(url, { JC_BENCH_PROBE_FILE: probeFile }, [...profile, '--import', './tests/bench/loop-probe.mjs']);
		servers.push(app);
		const bare = await startNode(['--import', 'tsx', 'tests/bench/bare-room.ts'], {});
		servers.push(bare);
		const probe = new LoopProbe(app, probeFile);
		const roomTopic = `room:${data.roomId}`;

		// The host's console follows both room topics (so presence does not count it as a viewer).
		const host = await connectSocket(app.url, { session: await signIn(app.url, data.host.username, data.host.password) });
		sockets.push(host);
		// The message the app sent for a pin: what the baseline sends its viewers.
		let lastPinned: RoomBatch | null = null;
		host.on('event:batch', (batch: RoomBatch) => {
			if (batch.events.some((e) => e.type === 'room.pinned')) lastPinned = batch;
		});
		await subscribe(host, roomTopic);
		await subscribe(host, `room_host:${data.roomId}`);
		const hostBare = await connectSocket(bare.url);
		sockets.push(hostBare);

		const seekers: { seekerId: number; socket: Socket }[] = [];
		await pace({
			rate: 1e6,
			count: data.seekers.length,
			maxInFlight: 20,
			task: async (i) => void seekers.push({ seekerId: data.seekers[i].seekerId, socket: await connectSocket(app.url, { session: data.seekers[i].session }) })
		});
		sockets.push(...seekers.map((s) => s.socket));

		// PostgreSQL's backends for this database, found again at each end of a window (the app's pool opens
		// connections as load grows; a backend missed at the start would count as "others").
		const cpuGroups = () => ({ app: processTree(app.child.pid!), baseline: [bare.child.pid!], 'bench + viewers': [process.pid], postgres: backendsOf(NAME) });

		// ── viewers and memory ──────────────────────────────────────────────────────────────────────────
		await sleep(plan.settleMs);
		const rssBefore = vmRssKb(app.child.pid!);
		const heapBefore = await probe.read();
		pool = new ViewerPool(THREADS);
		let cpu = startCpuWindow(cpuGroups);
		let t = performance.now();
		const onApp = await pool.connect('app', app.url, roomTopic, plan.viewers, 8);
		const connectS = (performance.now() - t) / 1000;
		if (onApp.failed) fail(`${onApp.failed} of ${plan.viewers} viewers could not connect to the app: ${onApp.firstError}`);
		note(`${onApp.connected} viewers connected to the app and got the room's snapshot in ${connectS.toFixed(1)} s (${Math.round(onApp.connected / connectS)}/s; CPU cores: ${formatCores(cpu.stop())})`);
		t = performance.now();
		const onBare = await pool.connect('bare', bare.url, roomTopic, plan.viewers, 8);
		if (onBare.failed) fail(`${onBare.failed} of ${plan.viewers} viewers could not connect to the baseline: ${onBare.firstError}`);
		note(`${onBare.connected} viewers connected to the baseline in ${((performance.now() - t) / 1000).toFixed(1)} s`);
		await sleep(plan.settleMs);
		const rssAfter = vmRssKb(app.child.pid!);
		const heapAfter = await probe.read();
		const kbPerViewer = (rssAfter - rssBefore) / onApp.connected;
		note(
			`app RSS ${(rssBefore / 1024).toFixed(0)} MB → ${(rssAfter / 1024).toFixed(0)} MB with ${onApp.connected} viewers: ${kbPerViewer.toFixed(1)} KB each ` +
				`(JS heap ${(heapBefore.heapUsed / 2 ** 20).toFixed(0)} → ${(heapAfter.heapUsed / 2 ** 20).toFixed(0)} MB, ` +
				`${((heapAfter.heapUsed - heapBefore.heapUsed) / 1024 / onApp.connected).toFixed(1)} KB each, not collected first)`
		);

		// ── pins: app and baseline, round by round ──────────────────────────────────────────────────────
		let round = 0;
		// Going live pinned the first of the queue; pinning what is pinned is a no-op without an event.
		let pinned = data.positionIds[0];
		const pinOnce = async (target: Target) => {
			if (target === 'app') pinned = pinned === data.positionIds[0] ? data.positionIds[1] : data.positionIds[0];
			const positionId = pinned;
			const { wait } = await pool!.openRound(target, ++round, { type: 'room.pinned' });
			const sentAt = monoMs();
			const ack =
				target === 'app'
					? await command(host, 'room:pin', { roomId: data.roomId, positionId })
					: ((await hostBare.timeout(10_000).emitWithAck('pin', lastPinned)) as { ok: boolean });
			const ackMs = monoMs() - sentAt;
			if (!ack.ok) throw new Error(`${target} pin refused: ${JSON.stringify(ack)}`);
			const result = await wait(10_000);
			return { latencies: result.arrivals.map((a) => a - sentAt), missing: result.missing, duplicates: result.duplicates, ackMs };
		};
		for (let i = 0; i < PIN_WARM_UP; i++) await pinOnce('app');
		if (!lastPinned) throw new Error('the host never received its own room.pinned event');
		for (let i = 0; i < PIN_WARM_UP; i++) await pinOnce('bare');
		const pins: Record<Target, { latencies: number[]; missing: number; duplicates: number; acks: number[] }> = {
			app: { latencies: [], missing: 0, duplicates: 0, acks: [] },
			bare: { latencies: [], missing: 0, duplicates: 0, acks: [] }
		};
		cpu = startCpuWindow(cpuGroups);
		for (let r = 0; r < plan.pinRounds; r++) {
			for (const target of (r % 2 === 0 ? ['app', 'bare'] : ['bare', 'app']) as Target[]) {
				const p = await pinOnce(target);
				for (const l of p.latencies) pins[target].latencies.push(l);
				pins[target].missing += p.missing;
				pins[target].duplicates += p.duplicates;
				pins[target].acks.push(p.ackMs);
				await sleep(150);
			}
		}
		const pinCpu = cpu.stop();
		const pinLine = (p: (typeof pins)['app']) =>
			`p50 ${ms(percentile(p.latencies, 50))}, p99 ${ms(percentile(p.latencies, 99))}, max ${ms(maxOf(p.latencies))}; ack p50 ${ms(percentile(p.acks, 50))}`;
		note(`pin → ${onApp.connected} viewers, ${plan.pinRounds} rounds, app: ${pinLine(pins.app)}`);
		note(`pin → ${onBare.connected} viewers, ${plan.pinRounds} rounds, bare socket.io baseline: ${pinLine(pins.bare)} (CPU cores over the rounds: ${formatCores(pinCpu)})`);
		for (const target of ['app', 'bare'] as Target[]) {
			if (pins[target].missing) fail(`${pins[target].missing} pin deliveries missing (${target}, waited 10 s each round)`);
			if (pins[target].duplicates) fail(`${pins[target].duplicates} pins delivered twice (${target})`);
		}
		const pinP99 = percentile(pins.app.latencies, 99);
		const bareP99 = percentile(pins.bare.latencies, 99);
		figures.push(
			{ metric: 'room.pin_p99_ms', value: pinP99, unit: 'ms', n: onApp.connected, baseline: bareP99, goal: '<=250' },
			{ metric: 'room.pin_ratio_to_baseline', value: pinP99 / bareP99, unit: 'ratio', n: onApp.connected, goal: '<=1.5' }
		);

		// The baseline's part ends with the pins. Its 5,000 idle sockets would only wait for heartbeats from
		// threads that the chat below keeps seconds behind, and a pong later than socket.io's 20 s is a drop
		// that says nothing about the app.
		note(`baseline's ${await pool.release('bare')} viewers closed: the rest of the run is the app's`);

		// ── applies ─────────────────────────────────────────────────────────────────────────────────────
		figures.push(...(await applies(sql, data, seekers, plan, probe, pool, cpuGroups, formatCores, fail)));

		// ── chat ────────────────────────────────────────────────────────────────────────────────────────
		const chatFigures = await chat(sql, data, seekers, plan, probe, pool, onApp.connected, cpuGroups, formatCores, () => pinOnce('app'), fail);
		figures.push(...chatFigures);
		figures.push({ metric: 'room.kb_per_viewer', value: kbPerViewer, unit: 'KB', n: onApp.connected, goal: '<=60' });

		const drops = Object.entries(pool.drops);
		if (drops.length) fail(`viewer sockets dropped by a server during the run: ${drops.map(([k, n]) => `${n} (${k})`).join(', ')}`);
		return figures;
	} finally {
		for (const s of sockets) s.close();
		await pool?.close().catch(() => {});
		for (const server of servers.reverse()) await server.stop();
		await sql?.end({ timeout: 2 }).catch(() => {});
		await database?.close().catch(() => {});
		await dropDatabase(NAME).catch(() => {});
		rmSync(probeFile, { force: true });
	}
}

type CpuGroups = () => Record<string, number[]>;
type CpuNote = (cores: Record<string, number>) => string;

async function applies(
	sql: postgres.Sql,
	data: RoomData,
	seekers: { seekerId: number; socket: Socket }[],
	plan: Plan,
	probe: LoopProbe,
	pool: ViewerPool,
	cpuGroups: CpuGroups,
	formatCores: CpuNote,
	fail: SuiteOptions['fail']
): Promise<Figure[]> {
	const random = lcg(20261123);
	const commands: ApplyCommand[] = [];
	const firsts: number[] = [];
	const socketOf = new Map(seekers.map((s) => [s.seekerId, s.socket]));
	// (seeker, position) pairs, each applied for once: pair p is seeker p mod S, position ⌊p / S⌋.
	const perSeeker = (plan.applyRate * plan.applySeconds * 0.9 + 50) / seekers.length;
	if (perSeeker >= APPLY_PER_MINUTE) throw new Error(`applies: ${perSeeker.toFixed(1)} per seeker would run into the app's limit of ${APPLY_PER_MINUTE} a minute`);
	let pairs = 0;
	const nextPair = () => {
		const p = pairs++;
		if (p >= seekers.length * data.positionIds.length) throw new Error('applies: more first sends than (seeker, position) pairs');
		return { seekerId: seekers[p % seekers.length].seekerId, positionId: data.positionIds[Math.floor(p / seekers.length)] };
	};
	const send = async (c: ApplyCommand) => {
		const socket = socketOf.get(c.seekerId)!;
		c.sentAt = monoMs();
		try {
			const answer = await command<{ applicationId: number }>(socket, 'room:apply', { roomId: data.roomId, positionId: c.positionId, clientKey: c.clientKey }, ACK_TIMEOUT_MS);
			c.acks.push(answer.ok ? { at: monoMs(), ok: true, applicationId: answer.data.applicationId } : { at: monoMs(), ok: false, error: answer.error.reason });
		} catch {
			// No answer within ACK_TIMEOUT_MS: a lost confirmation (accountApplies counts it).
		}
	};
	const task = async (k: number, warm: boolean) => {
		let c: ApplyCommand;
		if (!warm && k % 10 === 9 && firsts.length) {
			const j = firsts[firsts.length - 1 - Math.floor(random() * Math.min(50, firsts.length))];
			c = { ...commands[j], retryOf: j, sentAt: 0, acks: [] };
		} else {
			c = { ...nextPair(), clientKey: `bench-apply-${pairs.toString(36)}`, retryOf: null, sentAt: 0, acks: [] };
			if (!warm) firsts.push(commands.length);
		}
		if (!warm) commands.push(c);
		await send(c);
	};
	// Warm-up (JIT, pools): first sends of their own pairs, not measured.
	await pace({ rate: 50, count: 50, maxInFlight: 50, task: (k) => task(k, true) });
	// The tally counts the measured applies only: the warm-up's last counters are out by now.
	await sleep(COUNTERS_OUT_MS);
	await pool.tallyStart();
	await probe.read();
	const cpu = startCpuWindow(cpuGroups);
	const paced = await pace({ rate: plan.applyRate, count: plan.applyRate * plan.applySeconds, maxInFlight: 2000, task: (k) => task(k, false) });
	const cores = cpu.stop();
	const lag = await probe.read();
	await sleep(COUNTERS_OUT_MS);
	const tally = await pool.tally(true);
	const account = accountApplies(commands);
	const [rows] = await sql<{ rows: number; pairs: number }[]>`
		select count(*)::int as rows, count(distinct (seeker_id, position_id))::int as pairs from applications where source = ${`room:${data.roomId}`}`;
	const seconds = (paced.finishedAt - paced.startedAt) / 1000;
	note(
		`${account.commands} room:apply in ${seconds.toFixed(1)} s (${(account.commands / seconds).toFixed(0)}/s, asked ${plan.applyRate}/s; most in flight ${paced.peakInFlight}, worst start lag ${ms(paced.maxStartLagMs)}): ` +
			`${account.firsts} first sends, ${account.retries} resends; ${account.lost} without exactly one ok answer, ${account.mismatched} resends answered with another application`
	);
	note(
		`send → acknowledgement p50 ${ms(percentile(account.ackMs, 50))}, p99 ${ms(percentile(account.ackMs, 99))}, max ${ms(maxOf(account.ackMs))}; ` +
			`${rows.rows} application rows for ${rows.pairs} distinct (seeker, position) (warm-up 50 included); ` +
			`viewers received ${tally.applicationEvents} application events (${(tally.applicationEvents / Math.max(1, account.firsts)).toFixed(0)} per application); ` +
			`app event-loop lag p50 ${ms(lag.p50)}, p99 ${ms(lag.p99)}, max ${ms(lag.max)}; CPU cores: ${formatCores(cores)}`
	);
	for (const e of account.examples) note(`  apply: ${e}`);
	if (account.lost) fail(`${account.lost} of ${account.commands} applies lost their confirmation`);
	if (account.mismatched) fail(`${account.mismatched} resent applies were answered with another application than their first send`);
	if (account.splitPairs) fail(`${account.splitPairs} (seeker, position) pairs were answered with two applications`);
	if (rows.rows !== rows.pairs) fail(`${rows.rows - rows.pairs} duplicate application rows`);
	if (rows.rows !== account.applications + 50) fail(`${rows.rows} application rows, but ${account.applications} + 50 (warm-up) were confirmed`);
	return [
		{ metric: 'room.apply_duplicate_rows', value: rows.rows - rows.pairs, unit: 'count', n: account.commands, goal: '=0' },
		{ metric: 'room.apply_ack_p99_ms', value: percentile(account.ackMs, 99), unit: 'ms', n: account.commands, goal: '<=100' }
	];
}

async function chat(
	sql: postgres.Sql,
	data: RoomData,
	seekers: { seekerId: number; socket: Socket }[],
	plan: Plan,
	probe: LoopProbe,
	pool: ViewerPool,
	viewers: number,
	cpuGroups: CpuGroups,
	formatCores: CpuNote,
	pinOnce: () => Promise<{ latencies: number[]; missing: number }>,
	fail: SuiteOptions['fail']
): Promise<Figure[]> {
	const run = Date.now().toString(36);
	let posted = 0;
	let refused = 0;
	let unanswered = 0;
	let firstRefusal: string | null = null;
	const acks: number[] = [];
	const post = async (k: number, measured: boolean) => {
		const sentAt = monoMs();
		// Warm-up lines do not carry a send time: the viewers do not count them.
		const body = measured ? chatBody(k, sentAt) : `基准热身 ${k}`;
		const answer = await command(seekers[k % seekers.length].socket, 'room:post', { roomId: data.roomId, kind: 'chat', body, clientKey: `bench-chat-${run}-${measured ? 'm' : 'w'}${k}` }, ACK_TIMEOUT_MS).catch(
			(error: unknown) => {
				unanswered++;
				throw error;
			}
		);
		if (!answer.ok) {
			refused++;
			firstRefusal ??= answer.error.reason;
			throw new Error(answer.error.reason);
		}
		if (measured) {
			posted++;
			acks.push(monoMs() - sentAt);
		}
	};
	await pace({ rate: 50, count: 50, maxInFlight: 50, task: (k) => post(k, false) });
	await sleep(1000);
	await pool.tallyStart();
	await probe.read();
	const cpu = startCpuWindow(cpuGroups);
	// The host keeps pinning meanwhile: how a pin fares in a busy room (noted, not the figure).
	let chatting = true;
	const busyPins: number[] = [];
	let busyMissing = 0;
	let busyFailed = 0;
	const pinner = (async () => {
		while (chatting) {
			await sleep(3000);
			if (!chatting) break;
			try {
				const p = await pinOnce();
				for (const l of p.latencies) busyPins.push(l);
				busyMissing += p.missing;
			} catch {
				busyFailed++;
			}
		}
	})();
	const count = plan.chatRate * plan.chatSeconds;
	const paced = await pace({ rate: plan.chatRate, count, maxInFlight: 2000, task: (k) => post(k, true) });
	chatting = false;
	const cores = cpu.stop();
	const lag = await probe.read();
	await pinner;
	// Every line the room stored must reach every viewer (an unanswered post may still have been stored).
	const [{ stored }] = await sql<{ stored: number }[]>`
		select count(*)::int as stored from chat_messages where room_id = ${data.roomId} and client_key like ${`bench-chat-${run}-m%`}`;
	// Bounded wait for the tail: every viewer has every line (or 15 s have passed).
	const expected = stored * viewers;
	const deadline = Date.now() + 15_000;
	while ((await pool.tally()).delivered < expected && Date.now() < deadline) await sleep(500);
	const tally = await pool.tally(true);
	const seconds = (paced.finishedAt - paced.startedAt) / 1000;
	const h = tally.histogram;
	note(
		`${posted} chat lines in ${seconds.toFixed(1)} s (${(posted / seconds).toFixed(0)}/s, asked ${plan.chatRate}/s; worst start lag ${ms(paced.maxStartLagMs)}; ` +
			`${refused} refused${firstRefusal ? `: ${firstRefusal}` : ''}, ${unanswered} unanswered within ${ACK_TIMEOUT_MS / 1000} s); post → acknowledgement p50 ${ms(percentile(acks, 50))}, p99 ${ms(percentile(acks, 99))}`
	);
	note(
		`delivered ${tally.delivered} of ${expected} (${stored} lines stored × ${viewers} viewers; ${tally.outOfOrder} duplicate or out of order; ${tally.batches} batch messages): ` +
			`post → viewer p50 ${ms(h.percentile(50))}, p99 ${ms(h.percentile(99))}, max ${ms(h.max)}`
	);
	note(`app event-loop lag over the chat window (${lag.samples} samples): p50 ${ms(lag.p50)}, p99 ${ms(lag.p99)}, max ${ms(lag.max)}; CPU cores: ${formatCores(cores)}`);
	if (busyPins.length || busyFailed) {
		note(`pins during the chat (${busyPins.length} deliveries): p50 ${ms(percentile(busyPins, 50))}, p99 ${ms(percentile(busyPins, 99))}${busyMissing ? `, ${busyMissing} missing` : ''}${busyFailed ? `, ${busyFailed} pins unanswered` : ''}`);
	}
	if (refused) fail(`${refused} chat lines refused (${firstRefusal})`);
	if (unanswered) fail(`${unanswered} chat lines got no answer within ${ACK_TIMEOUT_MS / 1000} s`);
	if (tally.delivered < expected) fail(`${expected - tally.delivered} of ${expected} chat deliveries missing (waited 15 s)`);
	if (tally.outOfOrder) fail(`${tally.outOfOrder} chat lines arrived twice or out of order`);
	return [{ metric: 'room.event_loop_lag_p99_ms', value: lag.p99, unit: 'ms', n: viewers, goal: '<=50' }];
}

/** Math.max(...values) overflows the stack at a few hundred thousand values. */
function maxOf(values: number[]) {
	let m = -Infinity;
	for (const v of values) if (v > m) m = v;
	return m;
}

interface ProbeWindow {
	seq: number;
	seconds: number;
	samples: number;
	p50: number;
	p99: number;
	max: number;
	rss: number;
	heapUsed: number;
}

/** Reads (and restarts) the window of tests/bench/loop-probe.mjs inside the app process. */
class LoopProbe {
	#seq = 0;

	constructor(
		readonly app: ChildServer,
		readonly file: string
	) {}

	async read(): Promise<ProbeWindow> {
		const want = this.#seq + 1;
		process.kill(this.app.child.pid!, 'SIGUSR2');
		const deadline = Date.now() + 10_000;
		for (;;) {
			try {
				if (statSync(this.file).size > 0) {
					const w = JSON.parse(readFileSync(this.file, 'utf8')) as ProbeWindow;
					if (w.seq >= want) {
						this.#seq = w.seq;
						return w;
					}
				}
			} catch {
				// not written yet
			}
			if (Date.now() > deadline) throw new Error('the app did not answer the loop probe within 10 s');
			await sleep(20);
		}
	}
}

/** A small seeded generator: the same resends in every run. */
function lcg(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}
