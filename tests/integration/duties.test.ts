/**
 * The background duties run in exactly one process (processes/duties.ts): two "processes" (two database
 * handles, as two app processes have) compete and one runs the duties. When the holder's lock connection is
 * killed under it, it stops them at its next check and the other takes them over; a clean stop hands them
 * back. On PGlite (one process by construction) the only process holds them.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/lib/server/db';
import { DUTY_LOCK, type Duties, holdDuties } from '../../src/lib/server/processes/duties';
import { testLog } from '../helpers/app';
import { until } from '../helpers/clients';
import { type TestDatabase, createTestDatabase, driverName, onPostgres } from '../helpers/db';

describe(`background duties on ${driverName}`, () => {
	let db: TestDatabase;
	let other: Database | null = null;
	const duties: Duties[] = [];
	/** Which process runs the duties now, and whether two ever ran them at once. */
	const running = new Set<string>();
	let overlap = false;
	const start = (name: string) => async () => {
		running.add(name);
		if (running.size > 1) overlap = true;
		return () => {
			running.delete(name);
		};
	};

	beforeAll(async () => {
		db = await createTestDatabase({ poolMax: 4 });
		if (db.url) other = await openDatabase({ url: db.url, poolMax: 4 });
	});
	afterAll(async () => {
		for (const d of duties) await d.stop();
		await other?.close();
		await db?.drop();
	});

	// On both drivers: on PGlite the one process there is; on PostgreSQL a process with nobody else to share with.
	it('a process alone always holds them, and a clean stop lets them go', async () => {
		const only = holdDuties(db.database, testLog, start('only'), { retryMs: 100 });
		await until(() => only.held && running.has('only'), 2_000, 'held');
		await only.stop();
		expect([...running]).toEqual([]);
	});

	// Two processes need two connections to one server: PGlite is one process's own database by construction.
	it.runIf(onPostgres)('one of two processes runs them, and the other takes over when it loses its lock', async () => {
		const first = holdDuties(db.database, testLog, start('first'), { retryMs: 100 });
		duties.push(first);
		await until(() => running.has('first'), 2_000, 'the first holds them');
		const second = holdDuties(other!, testLog, start('second'), { retryMs: 100 });
		duties.push(second);
		await new Promise((r) => setTimeout(r, 400));
		expect([first.held, second.held]).toEqual([true, false]);
		expect([...running]).toEqual(['first']);
		expect(overlap).toBe(false);

		// The holder's lock connection dies under it (a network cut, a database failover).
		await db.database.db.execute(
			sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = ${DUTY_LOCK} and granted`
		);
		await until(() => second.held && running.has('second'), 3_000, 'the second takes over');
		await until(() => !first.held && !running.has('first'), 1_000, 'the first stopped them');
		expect([...running]).toEqual(['second']);

		// A clean stop hands them back.
		await second.stop();
		await until(() => first.held && running.has('first'), 3_000, 'the first again');
		expect([...running]).toEqual(['first']);
	});
});
