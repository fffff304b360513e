import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './index';

/** Several processes may start at once on one PostgreSQL: only one migrates, the others wait for it. */
const MIGRATION_LOCK = 7_301_001;

export function migrationsFolder() {
	const dir = process.env.MIGRATIONS_DIR ?? path.resolve('drizzle');
	if (!existsSync(path.join(dir, 'meta', '_journal.json'))) {
		throw new Error(`No drizzle migrations at ${dir} (set MIGRATIONS_DIR or run from the project folder)`);
	}
	return dir;
}

export async function migrate(database: Database) {
	const folder = migrationsFolder();
	if (database.kind === 'pglite') {
		const { migrate: run } = await import('drizzle-orm/pglite/migrator');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await run(database.db as any, { migrationsFolder: folder });
		return;
	}
	const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const postgres = (await import('postgres')).default;
	// One connection, so the session-level advisory lock covers every statement the migrator runs.
	const client = postgres(database.url!, { max: 1, onnotice: () => {} });
	try {
		await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
		await run(drizzle(client), { migrationsFolder: folder });
		await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
	} finally {
		await client.end({ timeout: 5 });
	}
}
