/**
 * The benchmarks' viewers, spread over members that each hold a share of the sockets (viewer-worker.ts), so
 * that receiving thousands of sockets' messages is not one event loop's queue: on two cores one loop would
 * time its own backlog, not the server. The room suite's members are worker threads of the bench process;
 * the scale suite's are child processes, because one process may hold only 20,000 file descriptors and
 * threads share them. Each member holds an equal share of the viewers of each server.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { superviseChild } from './app-process';
import { LatencyHistogram } from './room-metrics';
import type { ClientKind, RoundMatch, RoundResult, TallyResult, Target, ViewerRequest } from './viewer-worker';

const TSX_API = import.meta.resolve('tsx/esm/api');
const SCRIPT = new URL('./viewer-worker.ts', import.meta.url);

interface Pending {
	resolve(answer: unknown): void;
	reject(error: Error): void;
}

type Answer = { id: number; ok: boolean; answer?: unknown; error?: string; drops?: Record<string, number> };

/** Where a member runs: a worker thread of this process, or a child process of its own. */
export type MemberKind = 'thread' | 'process';

class ViewerMember {
	readonly #send: (message: unknown) => void;
	readonly stop: () => Promise<void>;
	/** The member's process id (a child process), else undefined. */
	readonly pid: number | undefined;
	#next = 0;
	#pending = new Map<number, Pending>();
	drops: Record<string, number> = {};

	constructor(kind: MemberKind) {
		if (kind === 'thread') {
			// The bench runs under tsx, whose loader hooks a worker thread does not inherit: register them there
			// first, then load the worker's TypeScript.
			const worker = new Worker(`import(${JSON.stringify(TSX_API)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(SCRIPT.href)}))`, { eval: true });
			worker.on('message', (m: Answer) => this.#answer(m));
			worker.on('error', (error) => this.#failAll(error));
			this.#send = (m) => worker.postMessage(m);
			this.stop = async () => void (await worker.terminate());
		} else {
			// 'advanced' serialisation: structured clones over IPC, as between threads (typed arrays intact).
			const child: ChildProcess = fork(fileURLToPath(SCRIPT), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
			superviseChild(child);
			child.on('message', (m: Answer) => this.#answer(m));
			child.on('error', (error) => this.#failAll(error));
			child.once('exit', (code, signal) => this.#failAll(new Error(`viewer process exited (${signal ?? code})`)));
			this.#send = (m) => child.send(m as never);
			this.stop = async () => {
				if (child.exitCode !== null || child.signalCode !== null) return;
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), 5000);
				await exited;
				clearTimeout(t);
			};
			this.pid = child.pid;
		}
	}

	#answer(m: Answer) {
		if (m.drops) this.drops = m.drops;
		const p = this.#pending.get(m.id);
		this.#pending.delete(m.id);
		if (m.ok) p?.resolve(m.answer);
		else p?.reject(new Error(m.error));
	}

	#failAll(error: Error) {
		for (const p of this.#pending.values()) p.reject(error);
		this.#pending.clear();
	}

	ask<T>(request: ViewerRequest): Promise<T> {
		const id = ++this.#next;
		return new Promise<T>((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (a: unknown) => void, reject });
			this.#send({ id, request });
		});
	}
}

/** What one round brought, over every member. */
export interface ViewerRound {
	arrivals: number[];
	missing: number;
	duplicates: number;
}

export class ViewerPool {
	readonly #members: ViewerMember[];

	constructor(members: number, kind: MemberKind = 'thread') {
		this.#members = Array.from({ length: members }, () => new ViewerMember(kind));
	}

	/** Process ids of the members that are child processes (for CPU accounting). */
	get pids() {
		return this.#members.flatMap((t) => (t.pid === undefined ? [] : [t.pid]));
	}

	/** Sockets the servers dropped (not closed by us), across members, by `target: reason`. */
	get drops() {
		const out: Record<string, number> = {};
		for (const t of this.#members) for (const [k, n] of Object.entries(t.drops)) out[k] = (out[k] ?? 0) + n;
		return out;
	}

	/**
	 * `total` viewers of `target` following `topic`, split over the members, `parallel` handshakes in flight
	 * each; `pacing` bounds each member's handshakes per second and retries a failed one, and may ask for lean clients.
	 */
	async connect(target: Target, url: string, topic: string, total: number, parallel: number, pacing: { ratePerS?: number; retries?: number; client?: ClientKind } = {}) {
		const share = (i: number) => Math.floor(total / this.#members.length) + (i < total % this.#members.length ? 1 : 0);
		const answers = await Promise.all(
			this.#members.map((t, i) =>
				t.ask<{ connected: number; failed: number; retried: number; firstError: string | null; ms: number }>({ op: 'connect', target, url, topic, count: share(i), parallel, ...pacing })
			)
		);
		return {
			connected: answers.reduce((s, a) => s + a.connected, 0),
			failed: answers.reduce((s, a) => s + a.failed, 0),
			retried: answers.reduce((s, a) => s + a.retried, 0),
			firstError: answers.find((a) => a.firstError)?.firstError ?? null
		};
	}

	/** Open a round on every member (before the write is sent), waiting for `match`; then `wait` collects it. */
	async openRound(target: Target, round: number, match: RoundMatch) {
		await Promise.all(this.#members.map((t) => t.ask({ op: 'round:open', target, round, match })));
		return {
			wait: async (timeoutMs: number): Promise<ViewerRound> => {
				const parts = await Promise.all(this.#members.map((t) => t.ask<RoundResult>({ op: 'round:wait', timeoutMs })));
				return {
					arrivals: parts.flatMap((p) => p.arrivals),
					missing: parts.reduce((s, p) => s + p.missing, 0),
					duplicates: parts.reduce((s, p) => s + p.duplicates, 0)
				};
			}
		};
	}

	/** Start counting what reaches the viewers (chat lines, application events). */
	async tallyStart() {
		await Promise.all(this.#members.map((t) => t.ask({ op: 'tally:start' })));
	}

	/** What reached them so far; `stop` ends the window. */
	async tally(stop = false) {
		const parts = await Promise.all(this.#members.map((t) => t.ask<TallyResult>({ op: stop ? 'tally:stop' : 'tally:read' })));
		const histogram = new LatencyHistogram();
		for (const p of parts) histogram.merge(LatencyHistogram.from(p.histogram));
		return {
			delivered: parts.reduce((s, p) => s + p.delivered, 0),
			outOfOrder: parts.reduce((s, p) => s + p.outOfOrder, 0),
			applicationEvents: parts.reduce((s, p) => s + p.applicationEvents, 0),
			batches: parts.reduce((s, p) => s + p.batches, 0),
			histogram
		};
	}

	/** Close `target`'s sockets on purpose, over every member (their closing is not a drop); how many. */
	async release(target: Target) {
		const parts = await Promise.all(this.#members.map((t) => t.ask<{ released: number }>({ op: 'release', target })));
		return parts.reduce((s, p) => s + p.released, 0);
	}

	/** Close every socket and stop the members. */
	async close() {
		await Promise.all(
			this.#members.map(async (t) => {
				try {
					await Promise.race([t.ask({ op: 'close' }), new Promise((r) => setTimeout(r, 10_000))]);
				} finally {
					await t.stop();
				}
			})
		);
	}
}
