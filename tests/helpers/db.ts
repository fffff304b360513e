/**
 * A fresh, migrated database per test file: a database cloned from a migrated template on PostgreSQL
 * (TEST_DATABASE_URL or DATABASE_URL), in-memory PGlite otherwise. Files never share state, so test
 * workers (and several people running tests at once) cannot disturb each other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/lib/server/db';
import { migrate } from '../../src/lib/server/db/migrate';

export const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
export const onPostgres = /^postgres(ql)?:\/\//.test(pgUrl);
export const driverName = onPostgres ? 'postgres' : 'pglite';

function migrationsHash() {
	const dir = path.resolve('drizzle');
	const h = createHash('sha256');
	for (const f of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) h.update(readFileSync(path.join(dir, f)));
	return h.digest('hex').slice(0, 12);
}

function withDatabase(url: string, name: string) {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

const TEMPLATE_LOCK = 7_301_099;

async function ensureTemplate(admin: postgres.Sql, name: string) {
	await admin`select pg_advisory_lock(${TEMPLATE_LOCK})`;
	try {
		const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
		if (exists) return;
		await admin.unsafe(`create database "${name}"`);
		const db = await openDatabase({ url: withDatabase(pgUrl, name), poolMax: 2 });
		try {
			await migrate(db);
		} finally {
			await db.close();
		}
	} finally {
		await admin`select pg_advisory_unlock(${TEMPLATE_LOCK})`;
	}
}

export interface TestDatabase {
	database: Database;
	/** For a second process or client on the same data (PostgreSQL only). */
	url: string | null;
	drop(): Promise<void>;
}

export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
	if (!onPostgres) {
		const database = await openDatabase({ url: 'memory:' });
		await migrate(database);
		return { database, url: null, drop: () => database.close() };
	}
	const admin = postgres(withDatabase(pgUrl, 'postgres'), { max: 1, onnotice: () => {} });
	const template = `jc_template_${migrationsHash()}`;
	const name = `jc_t_${process.pid}_${randomBytes(4).toString('hex')}`;
	try {
		await ensureTemplate(admin, template);
		await admin.unsafe(`create database "${name}" template "${template}"`);
	} finally {
		await admin.end();
	}
	const url = withDatabase(pgUrl, name);
	const database = await openDatabase({ url, poolMax: options.poolMax ?? 20 });
	return {
		database,
		url,
		async drop() {
			await database.close();
			const a = postgres(withDatabase(pgUrl, 'postgres'), { max: 1, onnotice: () => {} });
			try {
				await a.unsafe(`drop database if exists "${name}" with (force)`);
			} finally {
				await a.end();
			}
		}
	};
}
