/**
 * The production app as integration tests see it over HTTP: `node server.js` from the current build, on a
 * test database (a clone of the migrated template, seeded by the test), with its log captured line by line.
 * PostgreSQL only: the test and the app process must share the database to count rows on both sides.
 * The demo logins are real accounts here, so `signInAs` goes through the login form like a browser.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';
import { freePort } from '../bench/app-process';

const BUILD_LOCK = '.build-lock';
const HANDLER = 'build/handler.js';

/**
 * Is build/ older than what it is built from? Paraglide's output and the inlang cache are left out: they are
 * generated, and vitest's own Vite plugins rewrite them at every start (their source, the message files, is not).
 */
function staleBecause(): string | null {
	if (!existsSync(HANDLER)) return `${HANDLER} is missing`;
	const newer = execSync(`find src server.js svelte.config.js vite.config.ts \\( -path src/lib/paraglide -o -path src/lib/i18n/project.inlang/cache \\) -prune -o -type f -newer ${HANDLER} -print -quit`, { encoding: 'utf8' }).trim();
	return newer ? `${newer} is newer than ${HANDLER}` : null;
}

/**
 * Build when the bundle is stale, one test file at a time: test files run in parallel, and two `vite build`s
 * writing build/ at once would leave neither. `npm test` builds before the tests, so there this finds it fresh.
 */
async function buildOnce() {
	for (;;) {
		try {
			mkdirSync(BUILD_LOCK);
			break;
		} catch {
			// Another file is building; a lock older than ten minutes belongs to a run that died.
			const lock = statSync(BUILD_LOCK, { throwIfNoEntry: false });
			if (lock && Date.now() - lock.mtimeMs > 600_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	try {
		const stale = staleBecause();
		if (stale) {
			console.error(`app-process: building the app (${stale})…`);
			// The environment of a production build, not of the test runner: vitest's NODE_ENV=test would give
			// a development build of the client (Svelte's dev checks), which is not what `npm start` serves.
			const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST'));
			execSync('npx vite build', { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000, env: { ...env, NODE_ENV: 'production' } });
		}
	} finally {
		rmSync(BUILD_LOCK, { recursive: true, force: true });
	}
}

export interface AppProcess {
	url: string;
	/** Every line the process wrote (stdout and stderr): pino JSON lines, the banner, crashes. */
	logs: string[];
	/** Whether the process is still running (a crash under hostile input ends it). */
	alive(): boolean;
	/** `Cookie` header of a demo user signed in through POST /login (a fresh session each call). */
	signInAs(username: string, password?: string): Promise<string>;
	stop(): Promise<void>;
}

/** The session cookie out of a login answer's Set-Cookie, as a request `Cookie` header. */
export function sessionCookieOf(res: Response): string | null {
	for (const line of res.headers.getSetCookie()) {
		const m = /^(jc_session=[^;]+)/.exec(line);
		if (m && !/^jc_session=;/.test(line)) return m[1];
	}
	return null;
}

export async function startAppProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<AppProcess> {
	await buildOnce();
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const childEnv: Record<string, string | undefined> = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED: 'off', SIM_RATE: '0', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env };
	// No ORIGIN unless asked: the configuration `npm start` runs (server.js supplies the protocol; handshakes match Host).
	if (!env.ORIGIN) delete childEnv.ORIGIN;
	delete childEnv.PROTOCOL_HEADER;
	delete childEnv.VITEST;
	const child: ChildProcess = spawn(process.execPath, ['server.js'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	const logs: string[] = [];
	for (const stream of [child.stdout!, child.stderr!]) {
		let partial = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			const lines = (partial + chunk).split('\n');
			partial = lines.pop() ?? '';
			logs.push(...lines.filter(Boolean));
		});
	}
	const alive = () => child.exitCode === null && child.signalCode === null;
	const stop = async () => {
		if (!alive()) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill('SIGTERM');
		const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(t);
	};
	process.once('exit', () => child.kill('SIGKILL'));

	const deadline = Date.now() + 60_000;
	for (;;) {
		if (!alive()) throw new Error(`server.js exited with ${child.exitCode}:\n${logs.slice(-20).join('\n')}`);
		const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
		await res?.body?.cancel();
		if (res?.status === 200) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`server.js did not come up within 60 s:\n${logs.slice(-20).join('\n')}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}

	async function signInAs(username: string, password = DEMO_PASSWORD) {
		const res = await fetch(`${url}/login`, {
			method: 'POST',
			// A browser's form post without JavaScript: HTML wanted, so failures come back as real HTTP statuses.
			headers: { origin: url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ username, password }),
			redirect: 'manual'
		});
		const body = await res.text();
		const cookie = sessionCookieOf(res);
		if (res.status !== 303 || !cookie) throw new Error(`sign-in as ${username} answered ${res.status}: ${body.slice(0, 300)}`);
		return cookie;
	}

	return { url, logs, alive, signInAs, stop };
}
