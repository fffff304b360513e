/**
 * postgres-guard.js (registered by server.js): a transaction whose connection dies must fail with
 * CONNECTION_CLOSED and leave the process and its pool working (without the guard postgres.js throws from
 * a setImmediate and the process exits), and the query after one that died with its backend must not
 * fail with that backend's last error (without the guard it gets 57P01). Runs in a child process with the hook registered, as the
 * production server runs, on this file's own test database (it terminates only its own backend).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, createTestDatabase, onPostgres } from '../helpers/db';

const guard = pathToFileURL(path.resolve('postgres-guard.js')).href;

/** A transaction whose backend is terminated between two of its queries, then a query on the same pool. */
const script = (url: string) => `
import { register } from 'node:module';
register(${JSON.stringify(guard)});
const { default: postgres } = await import('postgres');
const sql = postgres(${JSON.stringify(url)}, { max: 1, onnotice: () => {} });
const killer = postgres(${JSON.stringify(url)}, { max: 1, onnotice: () => {} });
for (let round = 0; round < 3; round++) {
	// postgres.js fails a transaction as soon as its connection closes, while the callback may still be
	// sleeping: the next round starts only once the callback is over, or its late query would reach the
	// connection the next round reconnected (and take that round's answers).
	let over;
	const callbackOver = new Promise((r) => (over = r));
	await sql.begin(async (tx) => {
		try {
			const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
			await killer\`select pg_terminate_backend(\${pid})\`;
			await new Promise((r) => setTimeout(r, 100));
			await tx\`select 1\`;
		} finally {
			over();
		}
	}).then(() => console.log('committed'), (e) => console.log('failed ' + (e.code ?? e.message)));
	await callbackOver;
}
await new Promise((r) => setTimeout(r, 200));
console.log('pool answers ' + (await sql\`select 2 as x\`)[0].x);
// A query running when its backend is terminated (as at a database shutdown): the next one must not inherit its error.
const [{ pid }] = await sql\`select pg_backend_pid() as pid\`;
const running = sql\`select pg_sleep(2)\`.then(() => 'finished', (e) => 'failed ' + e.code);
await new Promise((r) => setTimeout(r, 200));
await killer\`select pg_terminate_backend(\${pid})\`;
console.log('running query ' + (await running));
console.log('next query ' + (await sql\`select 3 as x\`.then((r) => r[0].x, (e) => 'failed ' + e.code)));
await Promise.all([sql.end(), killer.end()]);
`;

// PostgreSQL only: the guard is for postgres.js connections whose backend dies; PGlite has no connection to lose.
describe.skipIf(!onPostgres)('postgres-guard: a transaction losing its connection', () => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await createTestDatabase({ poolMax: 1 });
	});
	afterAll(async () => {
		await t?.drop();
	});

	it('fails with CONNECTION_CLOSED, the process and its pool live on, and the next query starts clean', () => {
		const run = spawnSync(process.execPath, ['--input-type=module', '-e', script(t.url!)], { encoding: 'utf8', timeout: 60_000 });
		expect(run.stderr).not.toMatch(/TypeError/);
		expect(run.stdout.trim().split('\n')).toEqual([
			'failed CONNECTION_CLOSED',
			'failed CONNECTION_CLOSED',
			'failed CONNECTION_CLOSED',
			'pool answers 2',
			'running query failed CONNECTION_CLOSED',
			'next query 3'
		]);
		expect(run.status).toBe(0);
	});
});
