// The app as the browser tests see it: the production build, configured as `npm start` runs it (no ORIGIN),
// on a fresh database with the demo province
// and no simulated traffic (tests make their own). PostgreSQL when the test environment names one.
// Everything the app writes goes to test-results/app.log (at `info`), which log-scan.ts reads after the run:
// a phone number in the log of a whole browser run fails it.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const port = process.env.PORT ?? '4173';
/** @type {Record<string, string | undefined>} */
const env = { ...process.env, SEED: 'auto', SIM_RATE: '0', PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'info' };
const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;

if (pgUrl && /^postgres(ql)?:\/\//.test(pgUrl)) {
	const admin = new URL(pgUrl);
	admin.pathname = '/postgres';
	const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
	// One database per port, so checkouts running browser tests side by side never share one.
	const name = `jc_e2e_${Number(port)}`;
	await sql.unsafe(`drop database if exists ${name} with (force)`);
	await sql.unsafe(`create database ${name}`);
	await sql.end();
	const url = new URL(pgUrl);
	url.pathname = `/${name}`;
	env.DATABASE_URL = url.toString();
} else {
	delete env.DATABASE_URL;
	env.PGLITE_DIR = mkdtempSync(path.join(tmpdir(), 'jc-e2e-'));
}

const APP_LOG = 'test-results/app.log';
mkdirSync(path.dirname(APP_LOG), { recursive: true });
const logFile = createWriteStream(APP_LOG);
const child = spawn(process.execPath, ['server.js'], { env, stdio: ['inherit', 'pipe', 'pipe'] });
child.stdout.pipe(logFile);
child.stderr.pipe(logFile);
// Crashes and warnings printed outside the JSON log still show where the tests run.
child.stderr.pipe(process.stderr);
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
