/**
 * board.*: what seekers and wall displays get from the public side of the app, with 1,000,000 positions
 * (quick: 100,000; tests/bench/positions-data.ts) on a fresh PostgreSQL database and the app as a real
 * process (`node server.js`), all on loopback.
 *
 * - board.jobs_first_page_p95_ms: GET /jobs, server-rendered, as an anonymous seeker; sequential requests
 *   after 3 warm-ups, each timed from sending to the last byte of the HTML. Noted beside it: a common word
 *   (分拣员), a rare title (植保飞手, found through the trigram index), a two-character word (焊工: too short
 *   for trigrams, so it walks the newest-first index), and "near a station" (?station=, a circle).
 * - board.jobs_js_gzip_kb: /jobs loaded in headless Chromium (/usr/bin/chromium); every script response
 *   the page loads until the network is idle, each gzipped here at zlib's default level (what a server
 *   compressing on the fly sends), summed.
 * - board.event_to_board_p95_ms: 200 boards, each a socket.io client authenticated with the device token
 *   of a display registered at its own station (stored as registerDisplay stores it), following
 *   `display:<station>` and `jobs` as the board page does; positions approved at a steady 5 a second for
 *   60 s (quick: 8 s), each inside one board's circle, through the real positions service in this
 *   process (its commit reaches the app's relay by NOTIFY, as another app process's would). Every
 *   approval reaches every board (the `jobs` topic is public); each arrival is timed from the commit (one
 *   clock: this process's). Besides, one real board page in headless Chromium, at a station of its own far
 *   from the other positions, gets every fifth approval inside its circle (older ones there are closed, so
 *   all of them fit on the board's one page): the time from commit to the position's element being added
 *   to its DOM (MutationObserver in the page; wall clocks of one machine, millisecond resolution). The
 *   figure is the worse of the two p95s; both are noted.
 * - board.heap_growth_pct: a soak of that board page at 10× the demo rate. The demo (SIM_RATE=1) makes
 *   2.5 steps a second across the province; the soak sends 25 position events a second, every one of them
 *   on the board's topics (approvals and closings, a quarter of them inside its circle), so its lists,
 *   highlights and timers churn all the time. A warm-up first brings the page to its steady state as fast
 *   as it goes (800 events, 2,000 in the full run: more new positions inside the circle than its
 *   bounded QR-code cache holds). Then, for the window, the JS heap (CDP Performance.getMetrics
 *   JSHeapUsedSize, right after a forced collection, HeapProfiler.collectGarbage; the smaller of two
 *   reads half a second apart) and the DOM node count are sampled; growth is read from a line fitted
 *   through the samples (tests/bench/board-metrics.ts), and when it misses, two heap snapshots (window
 *   start and end) say what grew. Window: quick 12 s; full
 *   BOARD_SOAK_MINUTES (default 20). A screen runs for days: the real soak is BOARD_SOAK_MINUTES=120 (2 h);
 *   tests/e2e/board-soak.spec.ts runs 90 s of it in CI.
 */
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import postgres from 'postgres';
import type { Socket } from 'socket.io-client';
import type { Actor } from '../../../src/lib/server/actor';
import { type AppContext, createAppContext } from '../../../src/lib/server/context';
import { type Database, openDatabase } from '../../../src/lib/server/db';
import { migrate } from '../../../src/lib/server/db/migrate';
import { sha256 } from '../../../src/lib/server/services/auth';
import { closePosition, reviewPosition } from '../../../src/lib/server/services/positions';
import { type ChildServer, dropDatabase, freshDatabase, startApp } from '../app-process';
import { domLatencies, fittedGrowthPct, type Sample } from '../board-metrics';
import { heapGrowth, heapSummary } from '../heap-snapshot';
import { type Figure, ms, percentile } from '../figures';
import { seedOpsScope } from '../ops-data';
import { pace } from '../pace';
import { type PositionsData, RARE_TITLE, seedPositions } from '../positions-data';
import { connectSocket, subscribe } from '../session';
import type { SuiteOptions } from '../suite';

export const name = 'board';

const NAME = 'jc_bench_board';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BOARDS = 200;
const APPROVALS_PER_S = 5;
/** Every this many approvals, one goes inside the Chromium board's circle. */
const PAGE_EVERY = 5;
/** Positions kept open inside the Chromium board's circle: all on its one page (6 a page). */
const PAGE_KEEPS = 4;
/** The demo's steps per second at SIM_RATE=1 (src/lib/server/sim/simulator.ts), and the soak's multiple. */
const DEMO_STEPS_PER_S = 2.5;
const SOAK_RATE = 10 * DEMO_STEPS_PER_S;

type Station = PositionsData['stations'][number];
const note = (message: string) => console.error(`board: ${message}`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export async function run({ quick, fail }: SuiteOptions): Promise<Figure[]> {
	const count = quick ? 100_000 : 1_000_000;
	const url = await freshDatabase(NAME);
	let database: Database | null = null;
	let sql: postgres.Sql | null = null;
	let app: ChildServer | null = null;
	let browser: Browser | null = null;
	const figures: Figure[] = [];
	try {
		database = await openDatabase({ url, poolMax: 16 });
		await migrate(database);
		sql = postgres(url, { max: 4, onnotice: () => {} });
		const t = performance.now();
		const scope = await seedOpsScope(sql, 2000);
		const data = await seedPositions(sql, count);
		const remote = await remoteStation(sql);
		note(`seeded ${data.positions} positions (${data.open} open) around ${data.stations.length} open stations in ${((performance.now() - t) / 1000).toFixed(1)} s`);

		app = await startApp(url);
		figures.push(...(await jobsFirstPage(app.url, data, quick ? 50 : 200, fail)));

		if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-precise-memory-info']
		});
		figures.push(...(await jobsScripts(browser, app.url, fail)));

		const ctx = createAppContext(database, { log: pino({ level: 'silent' }) });
		const writer = new PositionWriter(ctx, sql, { kind: 'admin', userId: scope.admin.userId });
		const boardStations = data.stations.filter((_, i) => i % Math.floor(data.stations.length / BOARDS) === 0).slice(0, BOARDS);
		figures.push(...(await eventToBoards(app.url, browser, writer, boardStations, remote, quick ? 8 : 60, fail)));
		const soakMinutes = Number(process.env.BOARD_SOAK_MINUTES) || (quick ? 12 / 60 : 20);
		figures.push(...(await soak(app.url, browser, writer, boardStations, remote, { warmUpEvents: quick ? 800 : 2000, seconds: soakMinutes * 60, sampleEveryS: quick ? 3 : 30 }, fail)));
		return figures;
	} finally {
		await browser?.close().catch(() => {});
		await app?.stop();
		await sql?.end({ timeout: 2 }).catch(() => {});
		await database?.close().catch(() => {});
		await dropDatabase(NAME).catch(() => {});
	}
}

// ── /jobs over HTTP ──────────────────────────────────────────────────────────────────────────────────────

async function jobsFirstPage(base: string, data: PositionsData, requests: number, fail: SuiteOptions['fail']): Promise<Figure[]> {
	const first = await timeGets([`${base}/jobs`], requests);
	if (!first.ok) {
		fail(`GET /jobs answered ${first.status}`);
		return [];
	}
	const shown = (first.body.match(/href="\/jobs\/\d+"/g) ?? []).length;
	if (shown === 0) fail('GET /jobs showed no positions');
	note(`GET /jobs (${(first.bytes / 1024).toFixed(0)} KB, ${shown} positions): p50 ${ms(percentile(first.times, 50))}, p95 ${ms(percentile(first.times, 95))}, max ${ms(Math.max(...first.times))} over ${first.times.length} requests`);
	// The same server and page machinery without a database query: what /jobs costs beyond its query.
	const bare = await timeGets([`${base}/login`], Math.max(20, requests / 2));
	if (bare.ok) note(`GET /login (server-rendered, no query; a baseline): p50 ${ms(percentile(bare.times, 50))}, p95 ${ms(percentile(bare.times, 95))}`);
	const stations = data.stations.filter((_, i) => i % 97 === 0).slice(0, 20);
	const variants: [string, string[]][] = [
		['common word 分拣员', [`${base}/jobs?q=${encodeURIComponent('分拣员')}`]],
		[`rare title ${RARE_TITLE.slice(-4)} (trigram index)`, [`${base}/jobs?q=${encodeURIComponent(RARE_TITLE.slice(-4))}`]],
		['two-character word 焊工 (too short for trigrams)', [`${base}/jobs?q=${encodeURIComponent('焊工')}`]],
		["near a station (its circle, ?station=)", stations.map((s) => `${base}/jobs?station=${s.id}`)]
	];
	for (const [label, urls] of variants) {
		const v = await timeGets(urls, Math.max(20, requests / 2));
		note(
			v.ok
				? `GET /jobs, ${label}: p50 ${ms(percentile(v.times, 50))}, p95 ${ms(percentile(v.times, 95))}, max ${ms(Math.max(...v.times))} (a note, not a figure)`
				: `GET /jobs, ${label}: answered ${v.status}`
		);
	}
	return [{ metric: 'board.jobs_first_page_p95_ms', value: percentile(first.times, 95), unit: 'ms', n: data.positions, goal: '<=50' }];
}

/** 3 warm-ups, then `count` sequential GETs (cycling through `urls`), each timed to the last byte of its body. */
async function timeGets(urls: string[], count: number) {
	const times: number[] = [];
	let body = '';
	let bytes = 0;
	for (let i = -3; i < count; i++) {
		const t = performance.now();
		const res = await fetch(urls[(i + 3) % urls.length], { headers: { accept: 'text/html', 'accept-language': 'zh-CN' }, redirect: 'manual' });
		const buffer = await res.arrayBuffer();
		const elapsed = performance.now() - t;
		if (res.status !== 200) return { ok: false as const, status: res.status, times, body, bytes };
		if (i >= 0) times.push(elapsed);
		else if (i === -1) {
			bytes = buffer.byteLength;
			body = new TextDecoder().decode(buffer);
		}
	}
	return { ok: true as const, status: 200, times, body, bytes };
}

// ── /jobs JavaScript ─────────────────────────────────────────────────────────────────────────────────────

async function jobsScripts(browser: Browser, base: string, fail: SuiteOptions['fail']): Promise<Figure[]> {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
	try {
		const page = await context.newPage();
		const bodies = new Map<string, Promise<Buffer | null>>();
		const encodings = new Set<string>();
		page.on('response', (response) => {
			const path = new URL(response.url()).pathname;
			if (response.request().resourceType() !== 'script' && !/\.m?js$/.test(path)) return;
			encodings.add(response.headers()['content-encoding'] ?? 'identity');
			bodies.set(response.url(), response.body().catch(() => null));
		});
		await page.goto(`${base}/jobs`, { waitUntil: 'networkidle' });
		const scripts = await Promise.all([...bodies].map(async ([u, body]) => ({ path: new URL(u).pathname, body: await body })));
		const unread = scripts.filter((s) => !s.body);
		if (unread.length) fail(`could not read ${unread.length} script responses of /jobs`);
		const sized = scripts
			.filter((s): s is { path: string; body: Buffer } => !!s.body)
			.map((s) => ({ path: s.path, raw: s.body.byteLength, gzip: gzipSync(s.body).byteLength }))
			.sort((a, b) => b.gzip - a.gzip);
		if (!sized.length) {
			fail('/jobs loaded no scripts (or none could be read)');
			return [];
		}
		const kb = (bytes: number) => bytes / 1024;
		const total = sized.reduce((s, x) => s + x.gzip, 0);
		note(
			`/jobs loads ${sized.length} scripts, ${kb(sized.reduce((s, x) => s + x.raw, 0)).toFixed(0)} KB raw, ${kb(total).toFixed(1)} KB gzipped ` +
				`(served with content-encoding: ${[...encodings].join(', ')}); largest: ${sized.slice(0, 6).map((s) => `${s.path} ${kb(s.gzip).toFixed(1)} KB`).join(', ')}`
		);
		return [{ metric: 'board.jobs_js_gzip_kb', value: kb(total), unit: 'KB', n: sized.length, goal: '<=100' }];
	} finally {
		await context.close();
	}
}

// ── writes ───────────────────────────────────────────────────────────────────────────────────────────────

interface Place {
	stationId: number;
	lat: number;
	lng: number;
	radiusM: number;
}

/** A station of its own, some 40 km from every generated position: only what the bench puts there is inside its circle. */
async function remoteStation(sql: postgres.Sql): Promise<Place> {
	const [row] = await sql<{ id: number; lat: number; lng: number; radius_m: number }[]>`
		insert into stations (name, kind, lead_organisation_id, region_code, address, lat, lng, radius_m, capacity, state)
		select '基准大屏驿站', 'community', lead_organisation_id, region_code, '基准路 1 号', 25.4, 110.3, 1500, 50, 'open'
		from stations order by id limit 1
		returning id, lat, lng, radius_m`;
	return { stationId: row.id, lat: row.lat, lng: row.lng, radiusM: row.radius_m };
}

const placeOf = (s: Station): Place => ({ stationId: s.id, lat: s.lat, lng: s.lng, radiusM: s.radiusM });

/**
 * Positions waiting for review are made in bulk in SQL (they are not what is measured); approving and
 * closing them goes through the positions service, so their events are the real ones.
 */
class PositionWriter {
	#made = 0;

	constructor(
		readonly ctx: AppContext,
		readonly sql: postgres.Sql,
		readonly admin: Actor
	) {}

	/** One position in review per place, somewhere in the inner half of its circle. Ids in the order of `places`. */
	async pending(places: Place[]): Promise<number[]> {
		if (!places.length) return [];
		const k = places.map(() => this.#made++);
		const angle = places.map(() => Math.random() * 2 * Math.PI);
		const dist = places.map((p) => Math.random() * 0.5 * p.radiusM);
		const dLat = places.map((_, i) => (dist[i] * Math.cos(angle[i])) / 111_320);
		const dLng = places.map((p, i) => (dist[i] * Math.sin(angle[i])) / (111_320 * Math.cos((p.lat * Math.PI) / 180)));
		const rows = await this.sql<{ id: number; title: string }[]>`
			insert into positions (title, category, kind, pay_min, pay_max, pay_unit, headcount, station_id, region_code, lat, lng, state, submitted_at)
			select '基准新岗位 ' || x.k, 'logistics', 'full_time', 5000, 7000, 'month', 2, s.id, s.region_code, s.lat + x.dlat, s.lng + x.dlng, 'pending_review', now()
			from unnest(${places.map((p) => p.stationId)}::int[], ${dLat}::float8[], ${dLng}::float8[], ${k}::int[]) as x(station_id, dlat, dlng, k)
			join stations s on s.id = x.station_id
			returning id, title`;
		const byK = new Map(rows.map((r) => [Number(r.title.split(' ')[1]), Number(r.id)]));
		return k.map((x) => byK.get(x)!);
	}

	/** Approve; returns when it committed (this process's clock, and the wall clock for the page). */
	async approve(positionId: number) {
		await reviewPosition(this.ctx, this.admin, { positionId, decision: 'approve' });
		return { at: performance.now(), wall: Date.now() };
	}

	async close(positionId: number) {
		await closePosition(this.ctx, this.admin, { positionId });
		return { at: performance.now(), wall: Date.now() };
	}

	/**
	 * A registered display, stored as registerDisplay stores one (the SHA-256 of a random device token). Not
	 * through the service: it reads the build id from $app/environment, which only exists inside the app.
	 */
	async display(stationId: number) {
		const token = randomBytes(24).toString('base64url');
		await this.sql`insert into displays (station_id, label, token_hash) values (${stationId}, ${`基准屏 ${stationId}`}, ${sha256(token)})`;
		return token;
	}
}

// ── event → boards ───────────────────────────────────────────────────────────────────────────────────────

async function eventToBoards(
	base: string,
	browser: Browser,
	writer: PositionWriter,
	stations: Station[],
	remote: Place,
	seconds: number,
	fail: SuiteOptions['fail']
): Promise<Figure[]> {
	const sockets: Socket[] = [];
	let context: BrowserContext | null = null;
	try {
		// 200 registered displays, each connected with its device token, following its board's topics.
		const tokens: string[] = [];
		await pace({ rate: 1e6, count: stations.length, maxInFlight: 8, task: async (i) => void (tokens[i] = await writer.display(stations[i].id)) });
		const arrivals = new Map<string, number[]>();
		let duplicates = 0;
		const t0 = performance.now();
		await pace({
			rate: 1e6,
			count: stations.length,
			maxInFlight: 20,
			task: async (i) => {
				const socket = await connectSocket(base, { displayToken: tokens[i] });
				sockets.push(socket);
				const seen = new Set<string>();
				socket.on('event:published', (e: { type: string; payload: { positionId?: number } }) => {
					if (!e.type.startsWith('position.')) return;
					const key = `${e.type}:${e.payload.positionId}`;
					if (seen.has(key)) return void duplicates++;
					seen.add(key);
					const list = arrivals.get(key) ?? [];
					list.push(performance.now());
					arrivals.set(key, list);
				});
				await subscribe(socket, `display:${stations[i].id}`);
				await subscribe(socket, 'jobs');
			}
		});
		if (sockets.length < stations.length) throw new Error(`only ${sockets.length} of ${stations.length} boards connected`);
		note(`${sockets.length} boards connected and subscribed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

		// The real board page, at its own station.
		context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
		await context.addInitScript(observeBoardAdds);
		const page = await openBoard(context, base, await writer.display(remote.stationId));

		// The whole stream's positions, in review, made up front.
		const count = APPROVALS_PER_S * seconds;
		const warm = 10;
		const places = Array.from({ length: warm + count }, (_, k) => (k % PAGE_EVERY === 0 ? remote : placeOf(stations[k % stations.length])));
		const ids = await writer.pending(places);
		const committed = new Map<string, number>();
		const onPage: { positionId: number; committedAt: number }[] = [];
		const insideOpen: number[] = [];
		const write = async (k: number, measured: boolean) => {
			const positionId = ids[k];
			const done = await writer.approve(positionId);
			if (measured) committed.set(`position.approved:${positionId}`, done.at);
			if (places[k] !== remote) return;
			if (measured) onPage.push({ positionId, committedAt: done.wall });
			insideOpen.push(positionId);
			if (insideOpen.length > PAGE_KEEPS) {
				const old = insideOpen.shift()!;
				const closed = await writer.close(old);
				if (measured) committed.set(`position.closed:${old}`, closed.at);
			}
		};
		await pace({ rate: APPROVALS_PER_S, count: warm, maxInFlight: 4, task: (k) => write(k, false) });
		await new Promise((r) => setTimeout(r, 1000));
		await page.evaluate(() => (window.__boardAdded.length = 0));
		const paced = await pace({ rate: APPROVALS_PER_S, count, maxInFlight: 16, task: (k) => write(warm + k, true) });
		const windowS = (paced.finishedAt - paced.startedAt) / 1000;
		note(`${committed.size} position events committed in ${windowS.toFixed(1)} s (${count} approvals asked at ${APPROVALS_PER_S}/s; worst start lag ${ms(paced.maxStartLagMs)})`);
		if (paced.errors.length) fail(`${paced.errors.length} approvals failed: ${(paced.errors[0] as Error)?.message}`);

		// Bounded wait for the tail: every board has every event, the page has its positions.
		const expected = committed.size * sockets.length;
		const deadline = Date.now() + 15_000;
		const delivered = () => [...committed.keys()].reduce((s, key) => s + (arrivals.get(key)?.length ?? 0), 0);
		while (delivered() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		const latencies: number[] = [];
		for (const [key, at] of committed) for (const arrived of arrivals.get(key) ?? []) latencies.push(Math.max(0, arrived - at));
		if (latencies.length < expected) fail(`${expected - latencies.length} of ${expected} deliveries to the boards missing (waited 15 s)`);
		if (duplicates) fail(`${duplicates} duplicate deliveries to boards`);
		note(
			`commit → ${sockets.length} boards (sockets), ${latencies.length} deliveries: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, ` +
				`p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}`
		);

		await page
			.waitForFunction((id) => window.__boardAdded.some(([p]) => p === id), onPage.at(-1)?.positionId ?? 0, { timeout: 10_000, polling: 100 })
			.catch(() => {});
		const added = await page.evaluate(() => window.__boardAdded);
		const dom = domLatencies(onPage, added);
		const shown = dom.filter((l): l is number => l !== null);
		if (shown.length < dom.length) fail(`${dom.length - shown.length} of ${dom.length} positions never appeared on the Chromium board`);
		note(
			shown.length
				? `commit → DOM of the Chromium board, ${shown.length} positions: p50 ${ms(percentile(shown, 50))}, p95 ${ms(percentile(shown, 95))}, max ${ms(Math.max(...shown))}`
				: 'the Chromium board showed none of its positions'
		);
		if (!latencies.length) return [];
		const worst = Math.max(percentile(latencies, 95), shown.length ? percentile(shown, 95) : 0);
		return [{ metric: 'board.event_to_board_p95_ms', value: worst, unit: 'ms', n: sockets.length, goal: '<=500' }];
	} finally {
		for (const s of sockets) s.close();
		await context?.close().catch(() => {});
	}
}

// ── soak ─────────────────────────────────────────────────────────────────────────────────────────────────

async function soak(
	base: string,
	browser: Browser,
	writer: PositionWriter,
	stations: Station[],
	remote: Place,
	plan: { warmUpEvents: number; seconds: number; sampleEveryS: number },
	fail: SuiteOptions['fail']
): Promise<Figure[]> {
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
	try {
		const page = await openBoard(context, base, await writer.display(remote.stationId));
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		// Half the approvals land inside the board's circle; closings keep a few open there (all on its one
		// page) and elsewhere.
		const inside: number[] = [];
		const outside: number[] = [];
		const queue: { id: number; inside: boolean }[] = [];
		let refill: Promise<void> | null = null;
		const topUp = async () => {
			const places = Array.from({ length: 250 }, (_, i) => (i % 2 === 0 ? remote : placeOf(stations[Math.floor(Math.random() * stations.length)])));
			const ids = await writer.pending(places);
			queue.push(...ids.map((id, i) => ({ id, inside: places[i] === remote })));
		};
		await topUp();
		let lastInside = 0;
		const step = async (k: number) => {
			if (queue.length < 100) refill ??= topUp().finally(() => (refill = null));
			if (k % 2 === 0) {
				const next = queue.shift() ?? (await (refill ?? topUp()), queue.shift());
				if (!next) return;
				await writer.approve(next.id);
				(next.inside ? inside : outside).push(next.id);
				if (next.inside) lastInside = next.id;
			} else {
				const from = inside.length > PAGE_KEEPS ? inside : outside.length > PAGE_KEEPS ? outside : null;
				const id = from?.shift();
				if (id) await writer.close(id);
			}
		};
		// Warm-up to the page's steady state, as fast as it goes: enough approvals inside the circle to fill
		// its bounded caches (80 QR codes in src/lib/components/board/qr.ts) before the window opens.
		const warm = await pace({ rate: 4 * SOAK_RATE, count: plan.warmUpEvents, maxInFlight: 16, task: step });
		if (warm.errors.length) fail(`${warm.errors.length} soak warm-up writes failed: ${(warm.errors[0] as Error)?.message}`);
		const total = Math.round(SOAK_RATE * plan.seconds);
		const samples: { t: number; heap: number; nodes: number; listeners: number }[] = [];
		const windowStart = performance.now();
		const read = async () => {
			await cdp.send('HeapProfiler.collectGarbage');
			const { metrics } = await cdp.send('Performance.getMetrics');
			return Object.fromEntries(metrics.map((x) => [x.name, x.value]));
		};
		// The smaller of two reads half a second apart: a collection that ran while events were being
		// applied can leave a few hundred KB that the next one frees; one such read should not tilt the line.
		const sample = async () => {
			const a = await read();
			await new Promise((r) => setTimeout(r, 500));
			const b = await read();
			const [m, other] = a.JSHeapUsedSize <= b.JSHeapUsedSize ? [a, b] : [b, a];
			samples.push({ t: (performance.now() - windowStart) / 1000, heap: m.JSHeapUsedSize, nodes: Math.min(m.Nodes, other.Nodes), listeners: m.JSEventListeners });
		};
		await sample();
		// What the heap holds when the window opens, to compare with the end if it grew (after the first
		// sample: taking a snapshot leaves garbage that the next forced collection does not all reclaim).
		const atStart = await heapSummary(cdp);
		let stop = false;
		const sampler = (async () => {
			for (let i = 1; !stop; i++) {
				await sleepUntil(windowStart + i * plan.sampleEveryS * 1000, () => stop);
				if (!stop) await sample();
			}
		})();
		const paced = await pace({ rate: SOAK_RATE, count: total, maxInFlight: 16, task: (k) => step(plan.warmUpEvents + k) });
		stop = true;
		await sampler;
		await sample(); // the end of the stream
		const atEnd = await heapSummary(cdp);
		await cdp.detach().catch(() => {});

		const seconds = (paced.finishedAt - paced.startedAt) / 1000;
		note(
			`soak: warm-up ${plan.warmUpEvents} events in ${((warm.finishedAt - warm.startedAt) / 1000).toFixed(0)} s, then ${total} position events in ${seconds.toFixed(0)} s ` +
				`(${(total / seconds).toFixed(1)}/s, asked ${SOAK_RATE}/s = 10× the demo's ${DEMO_STEPS_PER_S} steps/s; worst start lag ${ms(paced.maxStartLagMs)}); ${samples.length} samples`
		);
		if (paced.errors.length) fail(`${paced.errors.length} soak writes failed: ${(paced.errors[0] as Error)?.message}`);
		// Bounded: longer than one page turn (12 s), should a burst have put a second page on the board.
		const alive = await page
			.waitForFunction((id) => !!document.querySelector(`[data-board-position="${id}"]`), lastInside, { timeout: 15_000, polling: 200 })
			.then(() => true)
			.catch(() => false);
		if (!alive) fail(`after the soak the board does not show the last position approved inside its circle (${lastInside})`);
		if (samples.length < 3) {
			fail(`soak: only ${samples.length} heap samples (window too short)`);
			return [];
		}
		const heap = samples.map((s): Sample => ({ t: s.t, value: s.heap }));
		const nodes = samples.map((s): Sample => ({ t: s.t, value: s.nodes }));
		const growth = fittedGrowthPct(heap);
		const first = samples[0];
		const last = samples.at(-1)!;
		note(
			`soak: JS heap after GC ${mb(first.heap)} at start → ${mb(last.heap)} at end (min ${mb(Math.min(...samples.map((s) => s.heap)))}, max ${mb(Math.max(...samples.map((s) => s.heap)))}; ` +
				`fitted growth ${growth.toFixed(1)} %); DOM nodes ${first.nodes} → ${last.nodes} (max ${Math.max(...samples.map((s) => s.nodes))}, fitted growth ${fittedGrowthPct(nodes).toFixed(1)} %); ` +
				`JS event listeners ${first.listeners} → ${last.listeners}`
		);
		note(`soak: heap after GC per sample: ${samples.map((s) => (s.heap / 2 ** 20).toFixed(1)).join(' ')} MB`);
		if (growth >= 10) {
			const grew = heapGrowth(atStart, atEnd)
				.map((d) => `  ${`+${(d.size / 1024).toFixed(0)} KB`.padStart(10)}  ${`${d.count >= 0 ? '+' : ''}${d.count}`.padStart(7)} × ${d.key}`)
				.join('\n');
			note(`soak: the heap grew; what grew most between the window's start and end (heap snapshots, self size):\n${grew}`);
		}
		return [{ metric: 'board.heap_growth_pct', value: growth, unit: '%', n: total, goal: '<10' }];
	} finally {
		await context.close().catch(() => {});
	}
}

async function sleepUntil(at: number, stopped: () => boolean) {
	while (!stopped() && performance.now() < at) await new Promise((r) => setTimeout(r, Math.min(250, Math.max(1, at - performance.now()))));
}

// ── the board page ───────────────────────────────────────────────────────────────────────────────────────

declare global {
	interface Window {
		/** [position id, Date.now()] for each board item added to the DOM. */
		__boardAdded: [number, number][];
	}
}

/** Runs in the page before its own scripts: timestamps every board item (data-board-position) added. */
function observeBoardAdds() {
	window.__boardAdded = [];
	new MutationObserver((records) => {
		const at = Date.now();
		for (const r of records) {
			for (const node of r.addedNodes) {
				if (!(node instanceof Element)) continue;
				const items = node.matches('[data-board-position]') ? [node] : [...node.querySelectorAll('[data-board-position]')];
				for (const item of items) window.__boardAdded.push([Number(item.getAttribute('data-board-position')), at]);
			}
		}
		// Bounded over a long soak: only recent additions matter.
		if (window.__boardAdded.length > 5000) window.__boardAdded.splice(0, 2500);
	}).observe(document, { subtree: true, childList: true });
}

/** Open a display's board and wait (bounded) until its socket is live. */
async function openBoard(context: BrowserContext, base: string, token: string): Promise<Page> {
	const page = await context.newPage();
	page.on('pageerror', (error) => note(`board page error: ${error.message}`));
	await page.goto(`${base}/display/${token}`, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector('.screen[data-connection="live"]', { timeout: 20_000 });
	return page;
}
