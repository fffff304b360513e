/**
 * Benchmarks talk to the app as users do: a real `node server.js` process on loopback, on a fresh
 * PostgreSQL database made for the run. Always stopped at the end, even on failure.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import postgres from 'postgres';

export const benchPgUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, name: string) {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

export async function freshDatabase(name: string): Promise<string> {
	const admin = postgres(withDatabase(benchPgUrl, 'postgres'), { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.unsafe(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	return withDatabase(benchPgUrl, name);
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

/** Build once if the server bundle is missing or older than the sources. */
export function ensureBuild() {
	const handler = 'build/handler.js';
	const newest = Number(execSync("find src -type f -newer build/handler.js 2>/dev/null | head -1 | wc -l || echo 1", { encoding: 'utf8' }).trim());
	if (!existsSync(handler) || newest > 0 || statSync(handler).size === 0) {
		console.error('bench: building the app (vite build)…');
		execSync('npx vite build', { stdio: ['ignore', 'ignore', 'inherit'] });
	}
}

export interface AppProcess {
	url: string;
	child: ChildProcess;
	stop(): Promise<void>;
}

export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<AppProcess> {
	ensureBuild();
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['server.js'], {
		env: { ...process.env, DATABASE_URL: databaseUrl, SEED: 'off', SIM_RATE: '0', PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const stop = async () => {
		if (child.exitCode !== null) return;
		child.kill('SIGTERM');
		await new Promise<void>((resolve) => {
			const t = setTimeout(() => {
				child.kill('SIGKILL');
				resolve();
			}, 10_000);
			child.once('exit', () => {
				clearTimeout(t);
				resolve();
			});
		});
	};
	process.once('exit', () => child.kill('SIGKILL'));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`app exited with code ${child.exitCode}`);
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.status < 500) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error('app did not come up within 60 s');
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return { url, child, stop };
}
