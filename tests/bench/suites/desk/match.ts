/**
 * desk.match_p95_ms: matching for one seeker over 100,000 open positions, with the app's own function,
 * `matchPositionsForSeeker` (src/lib/server/services/matching.ts), called on a fresh PostgreSQL database as
 * the seeker page at the counter calls it: staff of the station the person registered at, top 10.
 *
 * Data: the ops scope's stations and 125,000 positions around them (tests/bench/positions-data.ts; 80 %
 * open, so about 100,000 open), and seekers made here: most with a home near a station (radius 1–10 km),
 * some with none (their station is the centre), with skills from the same job words the titles use, and
 * free days for odd jobs. Each call is timed around the function (validation, scope check, queries,
 * scoring), sequentially, after a warm-up round. On a miss the candidate queries' plans are printed.
 */
import { sql as dsql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import pino from 'pino';
import postgres from 'postgres';
import type { Actor } from '../../../../src/lib/server/actor';
import { createAppContext } from '../../../../src/lib/server/context';
import type { Database } from '../../../../src/lib/server/db';
import { migrate } from '../../../../src/lib/server/db/migrate';
import * as schema from '../../../../src/lib/server/db/schema';
import { matchPositionsForSeeker } from '../../../../src/lib/server/services/matching';
import { freshDatabase, withDatabase } from '../../app-process';
import { type Figure, percentile } from '../../figures';
import { seedOpsScope } from '../../ops-data';
import { seedPositions } from '../../positions-data';

const GOAL_MS = 50;
const NAME = 'jc_bench_desk_match';
/** Words a seeker gives, from the titles' own vocabulary and the categories. */
const WORDS = ['分拣', '叉车', '保洁', '厨师', '司机', '普工', '服务员', '护理', 'logistics', 'catering', 'care', '焊工', '客服'];

export interface MatchOptions {
	quick: boolean;
	/** The PostgreSQL server to make the bench database on (default: DATABASE_URL, as every suite). */
	databaseUrl?: string;
	fail?: (message: string) => void;
	note?: (message: string) => void;
}

async function freshOn(server: string | undefined) {
	if (!server) return freshDatabase(NAME);
	const admin = postgres(withDatabase(server, 'postgres'), { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists "${NAME}" with (force)`);
		await admin.unsafe(`create database "${NAME}"`);
	} finally {
		await admin.end();
	}
	return withDatabase(server, NAME);
}

export async function measureMatch({ quick, databaseUrl, fail = (m) => console.error(`FAIL ${m}`), note = (m) => console.error(m) }: MatchOptions): Promise<Figure[]> {
	const seekerCount = quick ? 100 : 400;
	const rounds = quick ? 2 : 3;
	const url = await freshOn(databaseUrl);
	const client = postgres(url, { max: 4, onnotice: () => {} });
	const db = drizzle(client, { schema });
	const database: Database = { db, kind: 'postgres', describe: 'bench desk match', url, close: () => client.end({ timeout: 2 }) };
	const ctx = createAppContext(database, { log: pino({ level: 'silent' }) });
	try {
		await migrate(database);
		const t = performance.now();
		await seedOpsScope(client, 2000);
		// 80 % of the positions made are open: 125,000 gives the 100,000 open positions of the goal.
		const data = await seedPositions(client, 125_000);
		note(`seeded ${data.positions} positions (${data.open} open) around ${data.stations.length} open stations in ${((performance.now() - t) / 1000).toFixed(1)} s`);
		if (data.open < 100_000 * 0.95) fail(`only ${data.open} open positions`);

		// Seekers: a home within ~2 km of a station for three in four, none for the rest; registered at that station.
		const seekers = await client<{ id: number; station: number }[]>`
			with s as (select id, lat, lng, row_number() over (order by id) - 1 as k, count(*) over () as n from stations where state = 'open')
			insert into seekers (name, phone, consent_at, registered_at_station_id, home_lat, home_lng, radius_m, skills, wanted_categories, odd_job_days)
			select '基准求职者' || i, '139' || lpad(i::text, 8, '0'), now(), s.id,
				case when i % 4 <> 0 then s.lat + (((i * 7919) % 1000) / 1000.0 - 0.5) * 0.04 end,
				case when i % 4 <> 0 then s.lng + (((i * 104729) % 1000) / 1000.0 - 0.5) * 0.04 end,
				(array[1000, 3000, 3000, 5000, 10000])[1 + i % 5],
				array[(${WORDS}::text[])[1 + i % ${WORDS.length}], (${WORDS}::text[])[1 + (i * 7) % ${WORDS.length}]],
				case when i % 3 = 0 then array[(${WORDS}::text[])[1 + (i * 3) % ${WORDS.length}]] else '{}' end,
				case when i % 2 = 0 then array[0, 6] else array[i % 7] end
			from generate_series(1, ${seekerCount}) i join s on s.k = (i * 37) % s.n
			returning id, registered_at_station_id as station`;
		await client`analyze seekers`;

		const staffOf = (stationId: number): Actor => ({ kind: 'staff', userId: 0, stationId });
		const times: number[] = [];
		let empty = 0;
		for (let r = -1; r < rounds; r++) {
			for (const s of seekers) {
				const started = performance.now();
				const answer = await matchPositionsForSeeker(ctx, staffOf(s.station), { seekerId: s.id, stationId: s.station, limit: 10 });
				const ms = performance.now() - started;
				if (r < 0) {
					if (answer.matches.length < 10) empty++;
					continue;
				}
				times.push(ms);
			}
		}
		if (empty) note(`WARNING: ${empty} of ${seekers.length} seekers got fewer than 10 matches`);
		const p95 = percentile(times, 95);
		note(`match: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} calls`);
		if (p95 > GOAL_MS) {
			// Why: the plan of the nearest-first candidate query around one seeker's home.
			const [one] = await client<{ lat: number; lng: number }[]>`select home_lat as lat, home_lng as lng from seekers where home_lat is not null limit 1`;
			const plan = await db.execute(dsql`explain (analyze, buffers) select id from positions where state = 'open'
				and lat between ${one.lat - 0.03} and ${one.lat + 0.03} and lng between ${one.lng - 0.03} and ${one.lng + 0.03}
				order by power(lat - ${one.lat}, 2) + power(lng - ${one.lng}, 2) limit 200`);
			note(`match misses its goal; a candidate query's plan:\n${[...plan].map((row) => `  ${(row as Record<string, string>)['QUERY PLAN']}`).join('\n')}`);
		}
		return [{ metric: 'desk.match_p95_ms', value: p95, unit: 'ms', n: data.open, goal: `<=${GOAL_MS}` }];
	} finally {
		await client.end({ timeout: 2 }).catch(() => {});
	}
}
