/**
 * The app as a real process (`node server.js`, the production build) on loopback, as an operator runs
 * it: PORT, HOST=127.0.0.1, DATABASE_URL, no demo traffic. A fault test can SIGKILL it and start it again
 * on the same port (clients keep their URL), and read its event-loop lag through a preloaded probe.
 * Its log goes to a file, shown when a test fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { ensureBuild } from '../bench/app-process';
import { freePort } from './ports';

export interface AppOptions {
	name: string;
	databaseUrl: string;
	/** Directory for the process log. */
	logDir: string;
	env?: Record<string, string>;
}

export interface Lag {
	p50: number;
	p99: number;
	max: number;
	samples: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

export class AppProcess {
	port = 0;
	child: ChildProcess | null = null;
	/** When the current process was spawned and when it first answered /healthz. */
	spawnedAt = 0;
	readyAt = 0;
	readonly logFile: string;
	#log: WriteStream;
	#asks = 0;

	private constructor(private readonly options: AppOptions) {
		this.logFile = path.join(options.logDir, `${options.name}.log`);
		this.#log = createWriteStream(this.logFile, { flags: 'a' });
	}

	/** Build if needed, then start on a free port and wait until it is ready. */
	static async start(options: AppOptions): Promise<AppProcess> {
		ensureBuild();
		const app = new AppProcess(options);
		app.port = await freePort();
		await app.start();
		return app;
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	get alive() {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** (Re)start on the same port and wait for /healthz (any answer below 500, or 503 from a missing database). */
	async start(timeoutMs = 60_000) {
		if (this.alive) throw new Error(`${this.options.name} is already running`);
		this.#log.write(`\n---- start ${new Date().toISOString()} ----\n`);
		const child = spawn(process.execPath, ['--import', './tests/faults/lag-probe.js', 'server.js'], {
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.url,
				DATABASE_URL: this.options.databaseUrl,
				SEED: 'off',
				SIM_RATE: '0',
				LOG_LEVEL: 'info',
				NODE_ENV: 'production',
				...this.options.env
			},
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		});
		child.stdout!.pipe(this.#log, { end: false });
		child.stderr!.pipe(this.#log, { end: false });
		this.child = child;
		this.spawnedAt = Date.now();
		running.add(child);
		child.once('exit', () => running.delete(child));
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (!this.alive) throw new Error(`${this.options.name} exited during start (${child.exitCode ?? child.signalCode}); log:\n${this.logTail()}`);
			try {
				// /healthz bounds its own work to 3 s; a process busy with hundreds of reconnecting clients may take that long.
				const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5000) });
				await res.body?.cancel();
				if (res.status < 500 || res.status === 503) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await this.kill();
				throw new Error(`${this.options.name} did not come up within ${timeoutMs / 1000} s; log:\n${this.logTail()}`);
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		this.readyAt = Date.now();
	}

	/** Kill without warning (SIGKILL): no graceful shutdown, sockets just die. */
	async kill(signal: NodeJS.Signals = 'SIGKILL') {
		const child = this.child;
		if (!child || !this.alive) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill(signal);
		const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(force);
	}

	/** Graceful stop (SIGTERM), as at the end of a test. */
	async stop() {
		await this.kill('SIGTERM');
		await new Promise<void>((resolve) => this.#log.end(() => resolve()));
	}

	/** Event-loop lag since the last reset, in ms. */
	lag(): Promise<Lag> {
		return this.#ask('lag:read') as Promise<Lag>;
	}

	async resetLag() {
		await this.#ask('lag:reset');
	}

	#ask(type: string): Promise<unknown> {
		const child = this.child;
		if (!child || !this.alive) return Promise.reject(new Error(`${this.options.name} is not running`));
		const id = ++this.#asks;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				child.off('message', onMessage);
				reject(new Error(`${this.options.name}: no answer to ${type}`));
			}, 5000);
			const onMessage = (message: { id?: number } & Record<string, unknown>) => {
				if (message?.id !== id) return;
				clearTimeout(timer);
				child.off('message', onMessage);
				resolve(message);
			};
			child.on('message', onMessage);
			child.send({ type, id });
		});
	}

	/** The last lines of the log, pino's JSON shortened to time, level, message and the error's first line. */
	logTail(lines = 60) {
		let text = '';
		try {
			text = readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
		return text
			.split('\n')
			.slice(-lines)
			.map((line) => {
				try {
					const { time, level, msg, err, ...rest } = JSON.parse(line) as { time: number; level: number; msg: string; err?: { message?: string } };
					const { app: _a, pid: _p, ...fields } = rest as Record<string, unknown>;
					const error = err?.message ? ` — ${err.message.split('\n').at(-1)!.slice(0, 160)}` : '';
					return `${new Date(time).toISOString().slice(11, 23)} ${level} ${msg} ${JSON.stringify(fields).slice(0, 120)}${error}`;
				} catch {
					return line;
				}
			})
			.join('\n');
	}

	/** Log lines (JSON from pino) whose message matches. */
	logLines(match: RegExp) {
		try {
			return readFileSync(this.logFile, 'utf8')
				.split('\n')
				.filter((l) => match.test(l));
		} catch {
			return [];
		}
	}
}
