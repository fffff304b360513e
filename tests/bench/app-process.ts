/**
 * Benchmarks talk to the app as users do: a real `node server.js` process on loopback, on a fresh
 * PostgreSQL database made for the run. Every process started here is stopped at the end, even on failure
 * (the suite's `finally`, and as a last resort when the bench process exits or is interrupted).
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

/** Drop and create `name` on the bench server; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
	if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
	const admin = postgres(withDatabase(benchPgUrl, 'postgres'), { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
		await admin.unsafe(`create database "${name}"`);
	} finally {
		await admin.end();
	}
	return withDatabase(benchPgUrl, name);
}

/** Drop `name` when a suite is done with it (a million-row database is not left behind on a shared server). */
export async function dropDatabase(name: string): Promise<void> {
	if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
	const admin = postgres(withDatabase(benchPgUrl, 'postgres'), { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		await admin.unsafe(`drop database if exists "${name}" with (force)`);
	} finally {
		await admin.end();
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

/**
 * Build when build/handler.js is missing or older than anything in src/. If the build fails but an older
 * bundle exists (someone is mid-edit in src/), warn and measure that bundle rather than fail the run.
 */
export function ensureBuild() {
	const handler = 'build/handler.js';
	const stale = !existsSync(handler) || statSync(handler).size === 0 || newerThan('src', handler) || newerThan('server.js', handler);
	if (!stale) return;
	console.error('bench: building the app (npx vite build)…');
	try {
		// Output only matters when the build fails (then it is shown).
		execSync('npx vite build', { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
		console.error(`${stdout ?? ''}${stderr ?? ''}`.split('\n').slice(-40).join('\n'));
		if (!existsSync(handler)) throw error;
		console.error('bench: WARNING: vite build failed; measuring the previous build in build/');
	}
}

function newerThan(path: string, reference: string) {
	const out = execSync(`find ${path} -type f -newer ${reference} -print -quit`, { encoding: 'utf8' });
	return out.trim().length > 0;
}

const running = new Set<ChildProcess>();
let hooked = false;
function killAllOnExit() {
	if (hooked) return;
	hooked = true;
	process.once('exit', () => {
		for (const child of running) child.kill('SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.error(`bench: ${signal}, stopping child processes`);
			process.exit(130);
		});
	}
}

/** Kill `child` (SIGKILL) if it is still running when the bench exits or is interrupted. */
export function superviseChild(child: ChildProcess) {
	killAllOnExit();
	running.add(child);
	child.once('exit', () => running.delete(child));
}

export interface ChildServer {
	url: string;
	port: number;
	child: ChildProcess;
	stop(): Promise<void>;
}

/**
 * Start `node <args>` with PORT set to a free loopback port and wait until it answers HTTP on `probe`
 * (any status below 500 means the server is listening; server.js listens only once socket.io is attached
 * and the relay runs). Bounded: gives up after `timeoutMs`.
 */
export async function startNode(args: string[], env: Record<string, string>, probe = '/', timeoutMs = 60_000): Promise<ChildServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, args, {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	superviseChild(child);
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill('SIGTERM');
		const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(t);
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with code ${child.exitCode}`);
		try {
			const res = await fetch(`${url}${probe}`, { signal: AbortSignal.timeout(2000) });
			await res.body?.cancel();
			if (res.status < 500) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${args.join(' ')} did not come up within ${timeoutMs / 1000} s`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return { url, port, child, stop };
}

/**
 * Node flags for a V8 CPU profile of the whole run, written into the directory that `variable` names when the
 * process stops (ROOM_BENCH_CPU_PROFILE, SCALE_BENCH_CPU_PROFILE); none when it is unset.
 */
export function cpuProfileArgs(variable: string): string[] {
	const dir = process.env[variable];
	return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * The production server (`node server.js`) on a bench database, without demo data or demo traffic.
 * `nodeArgs` go before server.js (the room suite preloads its event-loop probe with `--import`).
 */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
	ensureBuild();
	// /healthz when it exists; a 404 from it still proves the server is up (see startNode).
	return startNode([...nodeArgs, 'server.js'], { DATABASE_URL: databaseUrl, SEED: 'off', SIM_RATE: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env }, '/healthz');
}
