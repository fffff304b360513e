/**
 * The stage every fault scenario plays on, all on loopback and all of it the suite's own:
 * a PostgreSQL server (`PostgresServer`), app process A that the clients follow (through the fault proxy),
 * app process B that the writer posts through (so events reach A the way another process's writes do),
 * and a direct database handle for the checks. Torn down completely after each scenario.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/lib/server/db';
import { events } from '../../src/lib/server/db/schema';
import { DEMO_DISPLAY_TOKEN } from '../../src/lib/server/db/seed/demo-logins';
import { AppProcess } from './app';
import { BoardClient } from './board-client';
import { PostgresServer, postgresBinaries } from './postgres-server';
import { FaultProxy } from './proxy';
import { PostingWriter } from './writer';

/** `FAULTS_SHORT=1`: fewer clients and shorter windows (the variant inside `npm test`). */
export const short = process.env.FAULTS_SHORT === '1';

/** The demo display's station: its board is what every client shows. */
export const STATION = 1;

export const canRun = (() => {
	const bin = postgresBinaries();
	if (!bin) {
		console.warn(
			'\n!!!!!!!! fault tests SKIPPED: no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql; ' +
				'install postgresql-15 or set PG_BIN. These tests start and restart a PostgreSQL server of their own. !!!!!!!!\n'
		);
	}
	return !!bin;
})();

export interface RigOptions {
	/** Put a fault proxy between app A and PostgreSQL too (to cut A's database connections alone). */
	proxyDatabaseOfA?: boolean;
	envA?: Record<string, string>;
}

export interface Rig {
	pg: PostgresServer;
	/** The checks' own connection (postgres.js reconnects by itself after a restart). */
	database: Database;
	a: AppProcess;
	b: AppProcess;
	/** Clients → A. */
	proxy: FaultProxy;
	/** A → PostgreSQL, with `proxyDatabaseOfA`. */
	dbProxy: FaultProxy | null;
	writer: PostingWriter;
	clients: BoardClient[];
	logDir: string;
}

export async function setUp(scenario: string, options: RigOptions = {}): Promise<Rig> {
	const logDir = mkdtempSync(path.join(tmpdir(), `jc-faults-${scenario}-`));
	const pg = await PostgresServer.create();
	const rig: Partial<Rig> = { pg, logDir, clients: [] };
	try {
		const admin = postgres(pg.url(), { max: 1, onnotice: () => {} });
		await admin.unsafe('create database jobcircle');
		await admin.end();
		const url = pg.url('jobcircle');
		let urlOfA = url;
		if (options.proxyDatabaseOfA) {
			rig.dbProxy = new FaultProxy({ host: '127.0.0.1', port: pg.port }, { labels: false });
			await rig.dbProxy.listen();
			urlOfA = `postgres://postgres@127.0.0.1:${rig.dbProxy.port}/jobcircle`;
		}
		// A migrates and seeds the demo province (its logins and the wall display of station 1); B joins it.
		rig.a = await AppProcess.start({ name: 'a', databaseUrl: urlOfA, logDir, env: { SEED: 'auto', ...options.envA } });
		rig.b = await AppProcess.start({ name: 'b', databaseUrl: url, logDir });
		rig.database = await openDatabase({ url, poolMax: 4 });
		rig.proxy = new FaultProxy({ host: '127.0.0.1', port: rig.a.port });
		await rig.proxy.listen();
		rig.writer = new PostingWriter(rig.b.url, `故障测试 ${scenario}`);
		await rig.writer.connect();
		return rig as Rig;
	} catch (error) {
		await tearDown(rig);
		throw error;
	}
}

/** Open `n` display clients through the proxy, a few at a time (as screens come up), and wait until all are live. */
export async function openClients(rig: Rig, n: number, timeoutMs = 120_000) {
	const batch = 25;
	for (let i = 0; i < n; i += batch) {
		const group = Array.from({ length: Math.min(batch, n - i) }, (_, k) => new BoardClient(i + k, rig.proxy.url, DEMO_DISPLAY_TOKEN, STATION));
		rig.clients.push(...group);
		await until(() => group.every((c) => c.live), timeoutMs, `clients ${i}–${i + group.length - 1} live`);
	}
}

export async function tearDown(rig: Partial<Rig>) {
	for (const c of rig.clients ?? []) c.close();
	await rig.writer?.stop().catch(() => {});
	rig.writer?.close();
	await rig.proxy?.close();
	await Promise.all([rig.a?.stop(), rig.b?.stop()]);
	await rig.dbProxy?.close();
	await rig.database?.close().catch(() => {});
	await rig.pg?.destroy();
	if (rig.logDir && !process.env.FAULTS_KEEP_LOGS) rmSync(rig.logDir, { recursive: true, force: true });
}

/** The app logs and the PostgreSQL log, for a failure message. */
export function logs(rig: Rig) {
	return `---- app a ----\n${rig.a.logTail(40)}\n---- app b ----\n${rig.b.logTail(20)}\n---- postgres ----\n${rig.pg.log().split('\n').slice(-15).join('\n')}`;
}

export async function until(condition: () => boolean, timeoutMs: number, what: string) {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(20);
	}
	return Date.now() - start;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number) {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One JSON line per scenario on stdout, and the same in tests/faults/out/<scenario>.json. */
export function report(scenario: string, figures: Record<string, unknown>) {
	const line = JSON.stringify({ scenario, short, ...figures });
	console.log(line);
	mkdirSync('tests/faults/out', { recursive: true });
	writeFileSync(`tests/faults/out/${scenario}${short ? '.short' : ''}.json`, line + '\n');
}

/** A small seeded random generator, so a scenario's schedule of faults is the same on every run. */
export function random(seed: number) {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 4_294_967_296;
	};
}

/**
 * After the writes stopped: wait (bounded) until every client's feeds have reached the last event of
 * their topics in the database. Returns how long that took; the checks that follow say what was wrong
 * if it never happened.
 */
export async function settle(rig: Rig, timeoutMs = 15_000) {
	const topics = [...new Set(rig.clients.flatMap((c) => c.board.feeds.map((f) => f.topic)))];
	const last = new Map<string, number>();
	for (const t of topics) {
		const [row] = await rig.database.db
			.select({ id: sql<number>`coalesce(max(${events.id}), 0)::int` })
			.from(events)
			.where(sql`${events.topics} @> array[${t}]::text[]`);
		last.set(t, row?.id ?? 0);
	}
	const caughtUp = () => rig.clients.every((c) => c.live && c.board.feeds.every((f) => (f.cursor ?? 0) >= last.get(f.topic)!));
	const start = Date.now();
	while (!caughtUp() && Date.now() - start < timeoutMs) await sleep(20);
	return Date.now() - start;
}

/** Like `until`, but a timeout is a figure (null), not an exception: the scenario still reports what it saw. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<number | null> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) return null;
		await sleep(20);
	}
	return Date.now() - start;
}
