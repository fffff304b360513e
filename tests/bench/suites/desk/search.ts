/**
 * desk.search_page1_p95_ms and desk.search_page1000_p95_ms: position search over 1,000,000 positions
 * (quick: 200,000) with the app's own query, `listOpenPositions` (src/lib/server/services/positions.ts),
 * called here on a fresh PostgreSQL database exactly as the /jobs page and the counter call it: words in
 * the title, a pay floor, a kind, a circle around a station, 20 a page, keyset cursor.
 *
 * - Page 1: a mix of eight searches (newest open; full-time paying ≥ 6,000; common words 分拣员 and 工; a
 *   rare title; a station's circle; odd jobs in a circle above a pay floor; 司机 within 5 km), in rounds,
 *   the circle moving to another station each round.
 * - Page 1000: the four searches with more than 20,000 results, from the cursor that opens page 1000 —
 *   reached by walking the list with its own query (tests/bench/keyset.ts), never OFFSET. One is checked
 *   against an OFFSET query in SQL, so the cursor is known to open the right page.
 * Each call is timed around the function (validation, query, rows into objects): sequential, after a
 * warm-up round. When a figure misses its goal, the slowest search's query is run under EXPLAIN ANALYZE
 * and printed, to show why.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import pino from 'pino';
import postgres from 'postgres';
import { createAppContext } from '../../../../src/lib/server/context';
import type { Database } from '../../../../src/lib/server/db';
import { migrate } from '../../../../src/lib/server/db/migrate';
import * as schema from '../../../../src/lib/server/db/schema';
import { listOpenPositions } from '../../../../src/lib/server/services/positions';
import { dropDatabase, freshDatabase } from '../../app-process';
import { type Figure, ms, percentile } from '../../figures';
import { cursorOfPage } from '../../keyset';
import { seedOpsScope } from '../../ops-data';
import { type PositionsData, RARE_TITLE, seedPositions } from '../../positions-data';
import type { DeskPartOptions } from './part';

const NAME = 'jc_bench_desk_search';
const PAGE_SIZE = 20;
const DEEP_PAGE = 1000;
type Station = PositionsData['stations'][number];
type Input = Record<string, unknown>;

/** Page-1 searches; `at` is the station of this round. */
const SEARCHES: [label: string, input: (at: Station) => Input][] = [
	['newest open', () => ({})],
	['full-time paying >= 6000', () => ({ kind: 'full_time', payAtLeast: 6000 })],
	['word 分拣员', () => ({ words: '分拣员' })],
	['word 工', () => ({ words: '工' })],
	[`rare word ${RARE_TITLE.slice(-4)}`, () => ({ words: RARE_TITLE.slice(-4) })],
	["a station's circle", (at) => ({ near: { lat: at.lat, lng: at.lng, radiusM: at.radiusM } })],
	['odd jobs >= 150 in a circle', (at) => ({ kind: 'odd_job', payAtLeast: 150, near: { lat: at.lat, lng: at.lng, radiusM: at.radiusM } })],
	['word 司机 within 5 km', (at) => ({ words: '司机', near: { lat: at.lat, lng: at.lng, radiusM: 5000 } })]
];
/** Searches with more than DEEP_PAGE pages at both sizes. */
const DEEP: [label: string, input: Input][] = [
	['newest open', {}],
	['full-time paying >= 6000', { kind: 'full_time', payAtLeast: 6000 }],
	['word 工', { words: '工' }],
	['odd jobs', { kind: 'odd_job' }]
];

interface Timed {
	label: string;
	input: Input;
	ms: number;
}

export async function measureSearch({ quick, fail, note }: DeskPartOptions): Promise<Figure[]> {
	const count = quick ? 200_000 : 1_000_000;
	const rounds = quick ? 15 : 50;
	const url = await freshDatabase(NAME);
	const client = postgres(url, { max: 4, onnotice: () => {} });
	// The app's query builder on its own pool, remembering the last statement (for EXPLAIN on a miss).
	let lastQuery = { query: '', params: [] as unknown[] };
	const db = drizzle(client, { schema, logger: { logQuery: (query, params) => void (lastQuery = { query, params }) } });
	const database: Database = { db, kind: 'postgres', describe: 'bench desk search', url, close: () => client.end({ timeout: 2 }) };
	const ctx = createAppContext(database, { log: pino({ level: 'silent' }) });
	try {
		await migrate(database);
		const t = performance.now();
		await seedOpsScope(client, 2000);
		const data = await seedPositions(client, count);
		note(`seeded ${data.positions} positions (${data.open} open) around ${data.stations.length} open stations in ${((performance.now() - t) / 1000).toFixed(1)} s`);

		const search = async (label: string, input: Input): Promise<Timed & { rows: number }> => {
			const started = performance.now();
			const page = await listOpenPositions(ctx, { ...input, limit: PAGE_SIZE });
			return { label, input, ms: performance.now() - started, rows: page.positions.length };
		};

		// The cursor of page 1000 for each deep search, by walking the list 100 rows at a time.
		const walkStarted = performance.now();
		const deep: { label: string; input: Input }[] = [];
		for (const [label, input] of DEEP) {
			const after = await cursorOfPage(
				async (cursor, limit) => {
					const page = await listOpenPositions(ctx, { ...input, limit, after: cursor });
					return { rows: page.positions, next: page.next };
				},
				DEEP_PAGE,
				PAGE_SIZE,
				100
			);
			if (!after) {
				fail(`search "${label}" has fewer than ${DEEP_PAGE} pages at ${data.positions} positions`);
				continue;
			}
			deep.push({ label, input: { ...input, after } });
		}
		note(`walked to page ${DEEP_PAGE} of ${deep.length} searches in ${((performance.now() - walkStarted) / 1000).toFixed(1)} s`);
		// The walked cursor opens the same page as OFFSET would (checked once, for the plain list).
		const plain = deep.find((d) => d.label === 'newest open');
		if (plain) {
			const [expected] = await client<{ id: string }[]>`
				select id from positions where state = 'open' order by published_at desc, id desc offset ${(DEEP_PAGE - 1) * PAGE_SIZE} limit 1`;
			const got = (await listOpenPositions(ctx, { ...plain.input, limit: PAGE_SIZE })).positions[0]?.id;
			if (Number(expected?.id) !== got) fail(`page ${DEEP_PAGE} by cursor starts at ${got}, by OFFSET at ${expected?.id}`);
		}

		const first: Timed[] = [];
		const thousandth: Timed[] = [];
		for (let r = -1; r < rounds; r++) {
			const at = data.stations[(Math.max(r, 0) * 37) % data.stations.length];
			for (const [label, input] of SEARCHES) {
				const timed = await search(label, input(at));
				if (r >= 0) first.push(timed);
				else if (!timed.rows && label !== SEARCHES[6][0]) note(`WARNING: search "${label}" found nothing`);
			}
			for (const d of deep) {
				const timed = await search(d.label, d.input);
				if (r >= 0) thousandth.push(timed);
				else if (timed.rows !== PAGE_SIZE) fail(`page ${DEEP_PAGE} of "${d.label}" has ${timed.rows} rows`);
			}
		}

		const figures: Figure[] = [];
		for (const [metric, timed, page] of [
			['desk.search_page1_p95_ms', first, 1],
			['desk.search_page1000_p95_ms', thousandth, DEEP_PAGE]
		] as const) {
			const all = timed.map((x) => x.ms);
			const byLabel = groupBy(timed, (x) => x.label);
			note(
				`page ${page}: p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}, max ${ms(Math.max(...all))} over ${all.length} searches; p95 by search: ` +
					[...byLabel].map(([label, xs]) => `${label} ${ms(percentile(xs.map((x) => x.ms), 95))}`).join(', ')
			);
			const p95 = percentile(all, 95);
			figures.push({ metric, value: p95, unit: 'ms', n: data.positions, goal: '<=15' });
			if (p95 > 15) {
				// Why: the plan of the slowest search, run again under EXPLAIN ANALYZE.
				const [label, xs] = [...byLabel].sort((a, b) => percentile(b[1].map((x) => x.ms), 95) - percentile(a[1].map((x) => x.ms), 95))[0];
				await listOpenPositions(ctx, { ...xs[0].input, limit: PAGE_SIZE });
				const plan = await client.unsafe(`explain (analyze, buffers) ${lastQuery.query}`, lastQuery.params as postgres.ParameterOrJSON<never>[]);
				note(`page ${page} misses its goal; slowest search "${label}", its plan:\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
			}
		}
		return figures;
	} finally {
		await client.end({ timeout: 2 }).catch(() => {});
		await dropDatabase(NAME).catch(() => {});
	}
}

/** Map.groupBy (Node 21+), for Node 20. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K) {
	const out = new Map<K, T[]>();
	for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
	return out;
}
