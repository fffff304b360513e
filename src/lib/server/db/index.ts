/**
 * Two drivers behind one typed handle (DESIGN.md "Data"): PGlite when DATABASE_URL is unset (a data
 * directory under data/, or in memory for tests), PostgreSQL through postgres.js for a postgres:// URL.
 * Services only use the query builder (raw `execute` results differ between the drivers), so they run
 * unchanged on both.
 */
import { mkdirSync } from 'node:fs';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export interface Database {
	db: Db;
	kind: 'pglite' | 'postgres';
	/** Where the data lives, for logs (never the password). */
	describe: string;
	/** The postgres:// URL, for tools that need their own connection (migrations). */
	url?: string;
	/**
	 * Subscribe to a NOTIFY channel (PostgreSQL only; PGlite wakes in-process). `onNotify` gets the
	 * notification's payload, and null each time the subscription is re-established after its connection
	 * was lost: notifications sent meanwhile are gone, so the listener must look for what it missed.
	 */
	listen?: (channel: string, onNotify: (payload: string | null) => void) => Promise<{ unlisten: () => Promise<void> }>;
	notify?: (channel: string, payload: string) => Promise<void>;
	/**
	 * Try to take a session-level advisory lock on a connection of its own (PostgreSQL only): null when
	 * another process holds it. The lock lives as long as that connection, so a process that dies loses it.
	 */
	tryLock?: (key: number) => Promise<HeldLock | null>;
	close(): Promise<void>;
}

export interface HeldLock {
	/** Still ours? False once its connection was lost (the server released it then). */
	held(): Promise<boolean>;
	release(): Promise<void>;
}

export interface OpenOptions {
	/** `postgres://…`, `memory:` (PGlite in memory) or undefined (PGlite in `pgliteDir`). */
	url?: string;
	pgliteDir?: string;
	poolMax?: number;
	/** PostgreSQL application_name (pg_stat_activity); the runtime names its process's connections. */
	applicationName?: string;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
	const url = options.url;
	if (url && /^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolMax ?? 10, options.applicationName ?? 'jobcircle');
	if (url && url !== 'memory:') throw new Error(`DATABASE_URL must be a postgres:// URL or memory:, got "${redact(url)}"`);
	return openPglite(url === 'memory:' ? undefined : (options.pgliteDir ?? 'data/pglite'));
}

async function openPostgres(url: string, max: number, applicationName: string): Promise<Database> {
	const client = postgres(url, {
		max,
		onnotice: () => {},
		// Stale connections after a database restart are replaced rather than failing forever.
		idle_timeout: 30,
		connect_timeout: 10,
		// postgres.js waits 3^n/100 s (up to 20 s) before a connection tries again after n failed attempts,
		// counted across the pool: every query during an outage adds one, so after a database restart the
		// pool stayed away for up to 20 s and queries hung that long before failing. At most ~1 s, jittered.
		backoff: reconnectDelay,
		connection: {
			application_name: applicationName,
			// The few prepared queries (`.prepare()`) are prepared to skip drizzle's query building and
			// postgres.js's extra round trip for parameter types, not to skip planning: a generic plan made while
			// a table was small (a fresh database, a room's first minute) keeps scanning it whole after it grew.
			// The room bench caught the apply's read doing so: 0.85 ms of PostgreSQL per call. Planned each time it
			// runs in 0.12 ms, and planning is kept cheap by keeping such hot queries narrow (services/applications.ts).
			plan_cache_mode: 'force_custom_plan'
		}
	});
	const db = drizzlePostgres(client, { schema });
	let lockClient: postgres.Sql | null = null;
	return {
		db,
		kind: 'postgres',
		describe: redact(url),
		url,
		async listen(channel, onNotify) {
			const sub = await client.listen(
				channel,
				(payload) => onNotify(payload),
				() => onNotify(null)
			);
			return { unlisten: () => sub.unlisten() };
		},
		async notify(channel, payload) {
			await client.notify(channel, payload);
		},
		async tryLock(key) {
			// A client of its own, one connection without idle or lifetime limits: the lock lives exactly as long
			// as that connection, and after losing it postgres.js opens a fresh one (which holds nothing).
			// Not `client.reserve()`: a reserved connection the server closed fails inside postgres.js (an
			// uncaught TypeError) instead of failing the query.
			lockClient ??= postgres(url, { max: 1, idle_timeout: 0, max_lifetime: 0, connect_timeout: 10, onnotice: () => {}, connection: { application_name: applicationName } });
			const own = lockClient;
			const [row] = await own<{ locked: boolean }[]>`select pg_try_advisory_lock(${key}) as locked`;
			if (!row.locked) return null;
			return {
				async held() {
					const [r] = await own<{ held: boolean }[]>`
						select exists (select 1 from pg_locks where locktype = 'advisory' and objid = ${key} and pid = pg_backend_pid() and granted) as held`;
					return r.held;
				},
				async release() {
					await own`select pg_advisory_unlock(${key})`;
				}
			};
		},
		close: async () => {
			await lockClient?.end({ timeout: 2 });
			await client.end({ timeout: 5 });
		}
	};
}

async function openPglite(dir: string | undefined): Promise<Database> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
	// Extensions the migrations create (PostgreSQL ships them as contrib; PGlite must load them here).
	const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
	if (dir) mkdirSync(dir, { recursive: true });
	const options = { extensions: { pg_trgm } };
	const client = dir ? new PGlite(dir, options) : new PGlite(options);
	// PGlite's driver has the same query builder; only raw `execute` results differ in shape.
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		kind: 'pglite',
		describe: dir ? `pglite:${dir}` : 'pglite:memory',
		close: () => client.close()
	};
}

/** Seconds before a connection's next attempt after `attempts` failed ones: 50 ms doubling to 1 s, ±25 %. */
export function reconnectDelay(attempts: number) {
	return Math.min(1, 0.05 * 2 ** attempts) * (0.75 + Math.random() / 2);
}

function redact(url: string) {
	return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

export { schema };
