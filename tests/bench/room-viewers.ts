/**
 * The room suite's viewers, spread over worker threads (room-viewer-worker.ts) so that receiving 5,000
 * sockets' messages is not one event loop's queue: on two cores one thread would time its own backlog,
 * not the server. Each thread holds an equal share of the viewers of each server.
 */
import { Worker } from 'node:worker_threads';
import { LatencyHistogram } from './room-metrics';
import type { RoundResult, TallyResult, Target, ViewerRequest } from './room-viewer-worker';

const TSX_API = import.meta.resolve('tsx/esm/api');

interface Pending {
	resolve(answer: unknown): void;
	reject(error: Error): void;
}

class ViewerThread {
	readonly worker: Worker;
	#next = 0;
	#pending = new Map<number, Pending>();
	drops: Record<string, number> = {};

	constructor() {
		// The bench runs under tsx, whose loader hooks a worker thread does not inherit: register them there
		// first, then load the worker's TypeScript.
		const script = new URL('./room-viewer-worker.ts', import.meta.url).href;
		this.worker = new Worker(`import(${JSON.stringify(TSX_API)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(script)}))`, { eval: true });
		this.worker.on('message', (m: { id: number; ok: boolean; answer?: unknown; error?: string; drops?: Record<string, number> }) => {
			if (m.drops) this.drops = m.drops;
			const p = this.#pending.get(m.id);
			this.#pending.delete(m.id);
			if (m.ok) p?.resolve(m.answer);
			else p?.reject(new Error(m.error));
		});
		this.worker.on('error', (error) => {
			for (const p of this.#pending.values()) p.reject(error);
			this.#pending.clear();
		});
	}

	ask<T>(request: ViewerRequest): Promise<T> {
		const id = ++this.#next;
		return new Promise<T>((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (a: unknown) => void, reject });
			this.worker.postMessage({ id, request });
		});
	}
}

export interface PinRound {
	arrivals: number[];
	missing: number;
	duplicates: number;
}

export class ViewerPool {
	readonly #threads: ViewerThread[];

	constructor(threads: number) {
		this.#threads = Array.from({ length: threads }, () => new ViewerThread());
	}

	get threadIds() {
		return this.#threads.map((t) => t.worker.threadId);
	}

	/** Sockets the servers dropped (not closed by us), across threads, by `target: reason`. */
	get drops() {
		const out: Record<string, number> = {};
		for (const t of this.#threads) for (const [k, n] of Object.entries(t.drops)) out[k] = (out[k] ?? 0) + n;
		return out;
	}

	/** `total` viewers of `target` following `topic`, split over the threads, `parallel` handshakes in flight each. */
	async connect(target: Target, url: string, topic: string, total: number, parallel: number) {
		const share = (i: number) => Math.floor(total / this.#threads.length) + (i < total % this.#threads.length ? 1 : 0);
		const answers = await Promise.all(
			this.#threads.map((t, i) => t.ask<{ connected: number; failed: number; firstError: string | null; ms: number }>({ op: 'connect', target, url, topic, count: share(i), parallel }))
		);
		return {
			connected: answers.reduce((s, a) => s + a.connected, 0),
			failed: answers.reduce((s, a) => s + a.failed, 0),
			firstError: answers.find((a) => a.firstError)?.firstError ?? null
		};
	}

	/** Open a round on every thread (before the pin is sent), then `wait` collects it. */
	async openRound(target: Target, round: number) {
		await Promise.all(this.#threads.map((t) => t.ask({ op: 'round:open', target, round })));
		return {
			wait: async (timeoutMs: number): Promise<PinRound> => {
				const parts = await Promise.all(this.#threads.map((t) => t.ask<RoundResult>({ op: 'round:wait', timeoutMs })));
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
		await Promise.all(this.#threads.map((t) => t.ask({ op: 'tally:start' })));
	}

	/** What reached them so far; `stop` ends the window. */
	async tally(stop = false) {
		const parts = await Promise.all(this.#threads.map((t) => t.ask<TallyResult>({ op: stop ? 'tally:stop' : 'tally:read' })));
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

	/** Close every socket and stop the threads. */
	async close() {
		await Promise.all(
			this.#threads.map(async (t) => {
				try {
					await Promise.race([t.ask({ op: 'close' }), new Promise((r) => setTimeout(r, 10_000))]);
				} finally {
					await t.worker.terminate();
				}
			})
		);
	}
}
