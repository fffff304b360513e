/**
 * ops.*: the supervisor's live map (/ops) with 10,000 stations in scope (quick: 2,000), the app as a real
 * process on a fresh PostgreSQL database, the page in headless Chromium (1280×800), all on loopback.
 *
 * - ops.initial_data_p95_ms: GET /ops/stations.json as the signed-in supervisor, 3 warm-ups then sequential
 *   requests, each timed from sending to the last byte of the body (this process's clock). The /ops HTML
 *   response is timed the same way and noted on stderr.
 * - ops.map_interactive_ms: the page marks `ops:data` when the stations data has arrived and
 *   `ops:interactive` when the map has painted its markers/clusters for it with the main thread free;
 *   median over 3 page loads of the time between the two marks.
 * - ops.event_to_screen_p95_ms: 200 occupancy events per second (alternating check-in and check-out across
 *   many stations, through the real visit services with their own context, so events reach the app process
 *   by LISTEN/NOTIFY exactly as another app process's writes do). The map's `data-applied-event` attribute
 *   says the highest event id it has painted; a MutationObserver in the page timestamps each change. An
 *   event is on screen at the first change to an id at least its own. Also checked: the last event is on
 *   screen within 500 ms of being sent (no growing backlog).
 * - ops.main_thread_ms_per_s: the renderer's main-thread task time (CDP Performance.getMetrics
 *   TaskDuration) over the streaming window, per second.
 *
 * Where a figure misses its goal, a CPU profile of the page doing that work (not counted) is summarised on
 * stderr, to show where the time goes.
 */
import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pino from 'pino';
import postgres from 'postgres';
import { type AppContext, createAppContext } from '../../../src/lib/server/context';
import { type Database, openDatabase } from '../../../src/lib/server/db';
import { migrate } from '../../../src/lib/server/db/migrate';
import { checkIn, checkOut } from '../../../src/lib/server/services/visits';
import { type ChildServer, dropDatabase, freshDatabase, startApp } from '../app-process';
import { processTree, startCpuWindow } from '../cpu';
import { type Figure, ms, percentile } from '../figures';
import { seedOpsScope } from '../ops-data';
import { pace } from '../pace';
import { matchVisitEvents, screenLatencies, type WrittenVisit } from '../screen-time';
import { type Session, signIn } from '../session';
import type { SuiteOptions } from '../suite';

export const name = 'ops';

const NAME = 'jc_bench_ops';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MAP = '[data-testid="ops-map"]';
const RATE = 200;
const MARK_TIMEOUT_MS = 20_000;
/** Visits kept open while streaming: each check-in is checked out this many check-ins later. */
const OPEN_VISITS = 300;
/** Writes in flight at most: enough that slow commits do not hold the schedule back. */
const MAX_IN_FLIGHT = 64;

const note = (message: string) => console.error(`ops: ${message}`);

export async function run({ quick, fail }: SuiteOptions): Promise<Figure[]> {
	const stationCount = quick ? 2000 : 10_000;
	const requests = quick ? 50 : 100;
	const streamSeconds = quick ? 10 : 60;
	const url = await freshDatabase(NAME);
	let database: Database | null = null;
	let sql: postgres.Sql | null = null;
	let app: ChildServer | null = null;
	let browser: Browser | null = null;
	const figures: Figure[] = [];
	try {
		// Schema and data first, so the app boots onto the full scope as it would in production.
		database = await openDatabase({ url, poolMax: 24 });
		await migrate(database);
		sql = postgres(url, { max: 2, onnotice: () => {} });
		const t = performance.now();
		const scope = await seedOpsScope(sql, stationCount);
		note(`seeded ${scope.stations} stations (${scope.roomyOpenStationIds.length} open with room) in ${ms(performance.now() - t)}`);
		const n = scope.stations;

		app = await startApp(url);
		const base = app.url;
		const session = await signIn(base, scope.supervisor.username, scope.supervisor.password);

		// --- initial data over HTTP ------------------------------------------------------------------------
		const data = await timeGets(`${base}/ops/stations.json`, session, requests);
		if (!data.ok) {
			fail(`GET /ops/stations.json answered ${data.status} (expected 200 with every station in scope)`);
		} else {
			const count = countStations(data.body);
			note(
				`GET /ops/stations.json: ${(data.bytes / 1024).toFixed(0)} KB, ${count ?? '?'} stations; ` +
					`p50 ${ms(percentile(data.times, 50))}, p95 ${ms(percentile(data.times, 95))}, max ${ms(Math.max(...data.times))} over ${data.times.length} requests`
			);
			if (count !== null && count !== n) fail(`/ops/stations.json returned ${count} stations, ${n} are in the supervisor's scope`);
			figures.push({ metric: 'ops.initial_data_p95_ms', value: percentile(data.times, 95), unit: 'ms', n, goal: '<=300' });
		}
		const html = await timeGets(`${base}/ops`, session, quick ? 20 : 50);
		note(
			html.ok
				? `GET /ops (HTML, ${(html.bytes / 1024).toFixed(0)} KB): p50 ${ms(percentile(html.times, 50))}, p95 ${ms(percentile(html.times, 95))} (a note, not a figure)`
				: `GET /ops answered ${html.status}`
		);

		// --- the page --------------------------------------------------------------------------------------
		if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
		});
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
		await context.addCookies([{ name: session.name, value: session.value, url: base }]);
		await context.addInitScript(observeAppliedEvents);
		const page = await context.newPage();
		page.on('pageerror', (error) => note(`page error: ${error.message}`));

		const loads: { dataAt: number; interactive: number }[] = [];
		for (let i = 0; i < 3; i++) {
			const load = await loadOps(page, `${base}/ops`);
			if (!load) {
				fail(`/ops never marked ops:data and ops:interactive within ${MARK_TIMEOUT_MS / 1000} s of loading`);
				break;
			}
			loads.push(load);
		}
		if (loads.length === 3) {
			const interactive = median(loads.map((l) => l.interactive));
			note(
				`map interactive after data: ${loads.map((l) => ms(l.interactive)).join(', ')} (median ${ms(interactive)}); ` +
					`data arrived ${loads.map((l) => ms(l.dataAt)).join(', ')} after navigation start`
			);
			figures.push({ metric: 'ops.map_interactive_ms', value: interactive, unit: 'ms', n, goal: '<=1000' });
			if (interactive > 1000) await profileLoad(page, `${base}/ops`);
		}

		// --- the stream --------------------------------------------------------------------------------------
		const writer = new OccupancyWriter(createAppContext(database, { log: pino({ level: 'silent' }) }), scope.admin.userId, scope.roomyOpenStationIds);
		// Visits that the stream will check out: it starts with people on site at OPEN_VISITS stations.
		await pace({ rate: 1e6, count: OPEN_VISITS, maxInFlight: 8, task: async () => void (await writer.checkIn()) });
		// A probe event proves the page is live (subscribed and painting) before the clock starts.
		const probeId = await eventIdOf(sql, 'visit.checked_in', await writer.checkIn());
		if (!(await appliedAtLeast(page, probeId, MARK_TIMEOUT_MS))) {
			fail(`the map never reported event ${probeId} in ${MAP} data-applied-event within ${MARK_TIMEOUT_MS / 1000} s: no stream measured`);
		} else {
			figures.push(...(await stream(page, sql, writer, probeId, streamSeconds, fail, app.child.pid!)));
		}
		return orderFigures(figures);
	} finally {
		await browser?.close().catch(() => {});
		await app?.stop();
		await sql?.end({ timeout: 2 }).catch(() => {});
		await database?.close().catch(() => {});
		await dropDatabase(NAME).catch(() => {});
	}
}

/**
 * Check-ins and check-outs through the real visit services as an administrator. Check-ins go round the
 * stations with room (so thousands of stations see a change); check-outs take the oldest visit still open.
 */
class OccupancyWriter {
	readonly #actor: { kind: 'admin'; userId: number };
	#next = 0;
	#keys = 0;
	readonly open: { stationId: number; visitId: number }[] = [];

	constructor(
		readonly ctx: AppContext,
		adminId: number,
		readonly ring: number[]
	) {
		this.#actor = { kind: 'admin', userId: adminId };
	}

	#key() {
		return `bench-ops-${(this.#keys++).toString(36).padStart(6, '0')}`;
	}

	/** Returns the visit id. */
	async checkIn() {
		const stationId = this.ring[this.#next++ % this.ring.length];
		const answer = await checkIn(this.ctx, this.#actor, { stationId, clientKey: this.#key(), keyGroup: 'migrant_worker' });
		this.open.push({ stationId, visitId: answer.visitId });
		return answer.visitId;
	}

	/** Write k of an alternating stream: even writes check in, odd ones check out (in when nobody is out yet). */
	async alternate(k: number): Promise<{ type: string; visitId: number }> {
		const out = k % 2 === 1 ? this.open.shift() : undefined;
		if (!out) return { type: 'visit.checked_in', visitId: await this.checkIn() };
		const answer = await checkOut(this.ctx, this.#actor, { stationId: out.stationId, visitId: out.visitId, clientKey: this.#key() });
		return { type: 'visit.checked_out', visitId: answer.visitId };
	}
}

/** RATE events per second for `seconds` while the page is open: event → screen, main-thread time, backlog. */
async function stream(
	page: Page,
	sql: postgres.Sql,
	writer: OccupancyWriter,
	afterId: number,
	seconds: number,
	fail: SuiteOptions['fail'],
	appPid: number
): Promise<Figure[]> {
	const figures: Figure[] = [];
	const count = RATE * seconds;
	const writes: WrittenVisit[] = [];
	let writeErrors = 0;
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Performance.enable');
	await page.evaluate(() => (window.__opsApplied.length = 0));
	// What the page asks the server for while it keeps up (refreshes per event would show here).
	const requests = new Map<string, number>();
	const onRequest = (request: { url(): string }) => {
		const path = new URL(request.url()).pathname;
		requests.set(path, (requests.get(path) ?? 0) + 1);
	};
	page.on('request', onRequest);
	// Who used the machine's cores meanwhile: this writer, the app, its database, the browser, the rest.
	let databasePids = await backendPids(sql);
	const cpu = startCpuWindow(() => {
		const app = processTree(appPid);
		return {
			'bench writer': [process.pid],
			app,
			postgres: databasePids,
			chromium: processTree(process.pid).filter((pid) => pid !== process.pid && !app.includes(pid))
		};
	});
	const before = await metrics(cdp);
	const paced = await pace({
		rate: RATE,
		count,
		maxInFlight: MAX_IN_FLIGHT,
		task: async (k) => {
			const sentAt = Date.now();
			try {
				const written = await writer.alternate(k);
				writes.push({ ...written, sentAt, committedAt: Date.now() });
			} catch (error) {
				if (writeErrors++ < 3) note(`write ${k} failed: ${(error as Error).message}`);
				throw error;
			}
		}
	});
	const after = await metrics(cdp);
	databasePids = [...new Set([...databasePids, ...(await backendPids(sql))])];
	const cores = cpu.stop();
	page.off('request', onRequest);
	const windowSeconds = (paced.finishedAt - paced.startedAt) / 1000;
	const commits = writes.map((w) => w.committedAt! - w.sentAt);
	note(
		`wrote ${writes.length}/${count} events in ${windowSeconds.toFixed(1)} s: ${(writes.length / windowSeconds).toFixed(1)}/s achieved ` +
			`(asked ${RATE}/s; last started ${((paced.lastStartAt - paced.startedAt) / 1000).toFixed(2)} s in, ` +
			`most in flight ${paced.peakInFlight}, worst start lag ${ms(paced.maxStartLagMs)}); ` +
			`send → commit p50 ${ms(percentile(commits, 50))}, p95 ${ms(percentile(commits, 95))}, max ${ms(Math.max(...commits))}`
	);
	if (writes.length / windowSeconds < RATE * 0.95) {
		note(`WARNING: this machine could not offer ${RATE} events/s with the page open; the stream figures are measured at the achieved rate`);
	}
	note(`cores busy during the stream: ${Object.entries(cores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} (of ${availableParallelism()})`);
	note(`page requests during the stream: ${[...requests].map(([path, k]) => `${path} ×${k}`).join(', ') || 'none'}`);
	if (paced.errors.length) fail(`${paced.errors.length} of ${count} writes failed`);

	const mainPerSecond = ((after.TaskDuration - before.TaskDuration) * 1000) / windowSeconds;
	const part = (k: string) => `${k.replace('Duration', '')} ${(((after[k] - before[k]) * 1000) / windowSeconds).toFixed(0)}`;
	note(
		`main thread per second of stream: ${mainPerSecond.toFixed(0)} ms (${['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'].map(part).join(', ')} ms/s; ` +
			`${after.LayoutCount - before.LayoutCount} layouts, ${after.RecalcStyleCount - before.RecalcStyleCount} style recalcs; JS heap ${(after.JSHeapUsedSize / 2 ** 20).toFixed(0)} MB)`
	);
	figures.push({ metric: 'ops.main_thread_ms_per_s', value: mainPerSecond, unit: 'ms', n: writes.length, goal: '<=200' });

	const rows = await sql<{ id: string; type: string; visit_id: string }[]>`
		select id, type, payload->>'visitId' as visit_id from events
		where id > ${afterId} and type in ('visit.checked_in', 'visit.checked_out')`;
	const { matched, unmatched } = matchVisitEvents(
		writes,
		rows.map((r) => ({ id: Number(r.id), type: r.type, visitId: Number(r.visit_id) }))
	);
	if (unmatched.length) fail(`${unmatched.length} writes have no event in the log`);
	if (matched.length) {
		// Bounded wait for the tail of the stream to reach the screen.
		await appliedAtLeast(page, Math.max(...matched.map((w) => w.id)), 10_000);
		const observed = await page.evaluate(() => window.__opsApplied.map(([applied, at]) => ({ applied, at })));
		const latencies = screenLatencies(matched, observed);
		const seen = latencies.filter((l): l is number => l !== null);
		const missing = latencies.length - seen.length;
		const fromCommit = screenLatencies(
			matched.map((w) => ({ id: w.id, sentAt: w.committedAt ?? w.sentAt })),
			observed
		).filter((l): l is number => l !== null);
		if (missing) fail(`${missing} of ${latencies.length} events never reached the screen (waited 10 s after the last write)`);
		let last = 0;
		for (let i = 1; i < matched.length; i++) if (matched[i].sentAt >= matched[last].sentAt) last = i;
		const lastLatency = latencies[last];
		note(
			`event → screen over ${seen.length} events: p50 ${ms(percentile(seen, 50))}, p95 ${ms(percentile(seen, 95))}, p99 ${ms(percentile(seen, 99))}, ` +
				`max ${ms(Math.max(...seen))}; from commit p50 ${ms(percentile(fromCommit, 50))}, p95 ${ms(percentile(fromCommit, 95))}; ` +
				`${observed.length} map updates (${(observed.length / windowSeconds).toFixed(0)}/s)`
		);
		const shown = lastLatency === null ? 'never' : `after ${ms(lastLatency)}`;
		note(`backlog check: the last event sent was on screen ${shown} (must be <= 500 ms)`);
		if (lastLatency === null || lastLatency > 500) fail(`backlog: the last event reached the screen ${shown}, over 500 ms`);
		if (seen.length) figures.push({ metric: 'ops.event_to_screen_p95_ms', value: percentile(seen, 95), unit: 'ms', n: latencies.length, goal: '<=500' });
	}

	if (mainPerSecond > 200 || figures.some((f) => f.metric === 'ops.event_to_screen_p95_ms' && f.value > 500)) {
		// Where the stream's main-thread time goes: a few seconds more of the same stream, traced (what the
		// renderer's main thread does: script, style, layout, paint) and then sampled (which functions).
		const more = () => pace({ rate: RATE, count: RATE * 4, maxInFlight: MAX_IN_FLIGHT, task: async (k) => void (await writer.alternate(k)) }).then(() => {});
		await traceWhile(cdp, 'stream', more);
		await profileWhile(cdp, 'stream', more);
	}
	await cdp.detach().catch(() => {});
	return figures;
}

/** Wait (bounded) until the map says it has painted event `id`. */
function appliedAtLeast(page: Page, id: number, timeoutMs: number) {
	return page
		.waitForFunction(
			([selector, least]) => Number(document.querySelector(selector as string)?.getAttribute('data-applied-event') ?? 0) >= (least as number),
			[MAP, id] as const,
			{ timeout: timeoutMs, polling: 50 }
		)
		.then(() => true)
		.catch(() => false);
}

// ── page helpers ─────────────────────────────────────────────────────────────────────────────────────────

declare global {
	interface Window {
		/** [applied event id, Date.now()] for each change of the map's data-applied-event. */
		__opsApplied: [number, number][];
	}
}

/**
 * Runs in the page before its own scripts: timestamps every change of `data-applied-event` anywhere in
 * the document (the map element does not exist yet; attributeFilter keeps the observer cheap).
 */
function observeAppliedEvents() {
	window.__opsApplied = [];
	new MutationObserver((records) => {
		const at = Date.now();
		for (const r of records) {
			const value = (r.target as Element).getAttribute('data-applied-event');
			if (value !== null) window.__opsApplied.push([Number(value), at]);
		}
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-applied-event'] });
}

/** Navigate to /ops and wait for both marks; null when they never come. */
async function loadOps(page: Page, url: string): Promise<{ dataAt: number; interactive: number } | null> {
	await page.goto(url, { waitUntil: 'domcontentloaded' });
	const marked = await page
		.waitForFunction(() => performance.getEntriesByName('ops:interactive', 'mark').length > 0 && performance.getEntriesByName('ops:data', 'mark').length > 0, null, {
			timeout: MARK_TIMEOUT_MS,
			polling: 50
		})
		.then(() => true)
		.catch(() => false);
	if (!marked) return null;
	return page.evaluate(() => {
		const data = performance.getEntriesByName('ops:data', 'mark')[0];
		const interactive = performance.getEntriesByName('ops:interactive', 'mark')[0];
		return { dataAt: data.startTime, interactive: interactive.startTime - data.startTime };
	});
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
	const { metrics: list } = await cdp.send('Performance.getMetrics');
	return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

interface TraceEvent {
	name: string;
	ph: string;
	pid: number;
	tid: number;
	dur?: number;
	args?: { name?: string };
}

/**
 * Trace the renderer while `work` runs and print where its main thread's time went, per trace event name
 * (totals of complete events; nested events are counted inside their parents too, so they do not add up).
 */
async function traceWhile(cdp: CDPSession, label: string, work: () => Promise<void>) {
	const events: TraceEvent[] = [];
	const collect = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]));
	cdp.on('Tracing.dataCollected', collect);
	const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
	await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8', transferMode: 'ReportEvents' });
	const started = performance.now();
	await work();
	const seconds = (performance.now() - started) / 1000;
	await cdp.send('Tracing.end');
	await complete;
	cdp.off('Tracing.dataCollected', collect);
	// The page's main thread: the CrRendererMain thread with the most traced time.
	const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
	const byThread = new Map<string, Map<string, number>>();
	for (const e of events) {
		const thread = `${e.pid}:${e.tid}`;
		if (e.ph !== 'X' || !mains.has(thread) || !e.dur) continue;
		const names = byThread.get(thread) ?? new Map<string, number>();
		names.set(e.name, (names.get(e.name) ?? 0) + e.dur / 1000);
		byThread.set(thread, names);
	}
	const main = [...byThread.values()].sort((a, b) => (b.get('RunTask') ?? 0) - (a.get('RunTask') ?? 0))[0];
	if (!main) return note(`trace of the ${label}: no renderer main thread found`);
	const lines = [...main]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 16)
		.map(([name, t]) => `  ${(t / seconds).toFixed(1).padStart(7)} ms/s  ${name}`)
		.join('\n');
	note(`trace of the ${label} (${seconds.toFixed(1)} s, not counted), renderer main thread per second, by event (nested ones overlap):\n${lines}`);
}

/** One more /ops load under the CPU profiler (not counted): where the time between the marks goes. */
async function profileLoad(page: Page, url: string) {
	const cdp = await page.context().newCDPSession(page);
	await profileWhile(cdp, 'page load', async () => {
		await loadOps(page, url);
	});
	await cdp.detach().catch(() => {});
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	children?: number[];
}

/**
 * Sample the renderer's JavaScript while `work` runs; print the scripts and functions with most self
 * time, and the page's own functions with most total time (callees included). Bundles are minified, so
 * each function is shown with the start of its source text, which is enough to find it in src/.
 */
async function profileWhile(cdp: CDPSession, label: string, work: () => Promise<void>) {
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
	await cdp.send('Profiler.start');
	const started = performance.now();
	await work();
	const { profile } = await cdp.send('Profiler.stop');
	await cdp.send('Profiler.disable');
	const seconds = (performance.now() - started) / 1000;
	const nodes = new Map<number, ProfileNode>((profile.nodes as ProfileNode[]).map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of nodes.values()) for (const child of node.children ?? []) parent.set(child, node.id);
	const keyOf = (f: ProfileNode['callFrame']) =>
		f.url ? `${f.functionName || '(anonymous)'} ${f.url.replace(/^https?:\/\/[^/]+/, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : f.functionName || '(native)';
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	const byScript = new Map<string, number>();
	const frames = new Map<string, ProfileNode['callFrame']>();
	const samples = profile.samples ?? [];
	const deltas = profile.timeDeltas ?? [];
	for (let i = 0; i < samples.length; i++) {
		const node = nodes.get(samples[i]);
		if (!node) continue;
		const dt = (deltas[i + 1] ?? 0) / 1000; // µs → ms, the time until the next sample
		const frame = node.callFrame;
		const script = frame.url ? frame.url.replace(/^https?:\/\/[^/]+/, '') : frame.functionName || '(native)';
		self.set(keyOf(frame), (self.get(keyOf(frame)) ?? 0) + dt);
		byScript.set(script, (byScript.get(script) ?? 0) + dt);
		// Total time: once per function on the sampled stack (recursion counted once).
		const onStack = new Set<string>();
		for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
			const f = nodes.get(id)!.callFrame;
			if (!f.url.includes('/_app/')) continue;
			const key = keyOf(f);
			frames.set(key, f);
			if (!onStack.has(key)) total.set(key, (total.get(key) ?? 0) + dt);
			onStack.add(key);
		}
	}
	const sources = new Map<string, Promise<string[]>>();
	const sourceAt = async (f: ProfileNode['callFrame']) => {
		if (!sources.has(f.url)) sources.set(f.url, fetch(f.url).then(async (r) => (r.ok ? (await r.text()).split('\n') : []), () => []));
		const line = (await sources.get(f.url)!)[f.lineNumber] ?? '';
		return line.slice(f.columnNumber, f.columnNumber + 70).replace(/\s+/g, ' ');
	};
	const top = (m: Map<string, number>, k: number) =>
		[...m]
			.filter(([key]) => key !== '(idle)')
			.sort((a, b) => b[1] - a[1])
			.slice(0, k);
	const line = (key: string, t: number) => `  ${t.toFixed(0).padStart(6)} ms  ${key}`;
	note(`CPU profile of the ${label} (${seconds.toFixed(1)} s, not counted), self time by script:\n${top(byScript, 8).map(([k, t]) => line(k, t)).join('\n')}`);
	note(`… self time by function:\n${top(self, 12).map(([k, t]) => line(k, t)).join('\n')}`);
	const totals = await Promise.all(top(total, 12).map(async ([k, t]) => `${line(k, t)}  «${await sourceAt(frames.get(k)!)}»`));
	note(`… total time (callees included) of the page's own functions:\n${totals.join('\n')}`);
}

// ── HTTP helpers ─────────────────────────────────────────────────────────────────────────────────────────

/** 3 warm-ups, then `count` sequential GETs, each timed to the last byte of its body. */
async function timeGets(url: string, session: Session, count: number) {
	const headers = { cookie: `${session.name}=${session.value}`, accept: 'application/json, text/html' };
	const times: number[] = [];
	let body = '';
	let bytes = 0;
	for (let i = -3; i < count; i++) {
		const t = performance.now();
		const res = await fetch(url, { headers, redirect: 'manual' });
		const buffer = await res.arrayBuffer();
		const elapsed = performance.now() - t;
		if (res.status !== 200) return { ok: false as const, status: res.status, times, body: '', bytes: 0 };
		if (i >= 0) times.push(elapsed);
		else if (i === -1) {
			bytes = buffer.byteLength;
			body = new TextDecoder().decode(buffer);
		}
	}
	return { ok: true as const, status: 200, times, body, bytes };
}

/** Stations in the endpoint's answer, whatever its exact shape: an array, or the longest array inside. */
function countStations(body: string): number | null {
	try {
		const json = JSON.parse(body) as unknown;
		if (Array.isArray(json)) return json.length;
		if (json && typeof json === 'object') {
			const arrays = Object.values(json).filter(Array.isArray) as unknown[][];
			if (arrays.length) return Math.max(...arrays.map((a) => a.length));
		}
	} catch {
		// not JSON: the count is unknown
	}
	return null;
}

/** Server processes serving the bench database (the app's connections and this process's). */
async function backendPids(sql: postgres.Sql): Promise<number[]> {
	const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`;
	return rows.map((r) => r.pid);
}

async function eventIdOf(sql: postgres.Sql, type: string, visitId: number): Promise<number> {
	const [row] = await sql<{ id: string }[]>`select id from events where type = ${type} and payload->>'visitId' = ${String(visitId)}`;
	if (!row) throw new Error(`no ${type} event for visit ${visitId}`);
	return Number(row.id);
}

function median(values: number[]) {
	return percentile(values, 50);
}

const ORDER = ['ops.map_interactive_ms', 'ops.event_to_screen_p95_ms', 'ops.main_thread_ms_per_s', 'ops.initial_data_p95_ms'];
function orderFigures(figures: Figure[]) {
	return [...figures].sort((a, b) => ORDER.indexOf(a.metric) - ORDER.indexOf(b.metric));
}
