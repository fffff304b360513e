/**
 * Postings written as station staff write them: signed in through the /login form of another app
 * process, over its socket, each posting `position:create` → `position:submit` → `position:review`
 * (approve) through the app's one write path. Paced at a fixed rate, one posting after the other (so
 * positions open in the order they were posted), every acknowledgement recorded: a posting whose step was
 * refused stays where it got to, and the checks later hold the database to exactly what was acknowledged.
 */
import type { ErrorBody } from '../../src/lib/realtime/protocol';
import { RealtimeConnection } from '../../src/lib/realtime/connection.svelte';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';
import { signIn } from '../bench/session';

export type Step = 'create' | 'submit' | 'review';

export interface Posting {
	n: number;
	title: string;
	startedAt: number;
	positionId: number | null;
	/** The last step acknowledged ok (null: none). */
	done: Step | null;
	/** The step that failed and how (a timeout is `unknown`: it may or may not have committed). */
	failed: { step: Step; code: ErrorBody['code'] | 'unknown'; reason: string } | null;
	/** When the approval was acknowledged (the position is open from then on). */
	openedAt: number | null;
}

export class PostingWriter {
	readonly postings: Posting[] = [];
	#connection: RealtimeConnection | null = null;
	#running: Promise<void> | null = null;
	#stop = false;
	/** `Cookie` header of the signed-in staff member (for HTTP probes). */
	cookie = '';

	constructor(
		private readonly appUrl: string,
		/** Titles start with it, so checks find exactly this run's positions. */
		readonly prefix: string
	) {}

	async connect(username = 'staff') {
		const session = await signIn(this.appUrl, username, DEMO_PASSWORD);
		this.cookie = `${session.name}=${session.value}`;
		this.#connection = new RealtimeConnection({
			url: this.appUrl,
			ackTimeoutMs: 5000,
			socket: { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: this.cookie, origin: this.appUrl } }
		});
		const socket = this.#connection.socket;
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
	}

	/** Post at `perSecond` until `stop()` or until `count` postings were started. */
	start(perSecond: number, count = Infinity) {
		if (this.#running) throw new Error('writer already running');
		this.#stop = false;
		const t0 = Date.now();
		const first = this.postings.length;
		this.#running = (async () => {
			for (let i = 0; !this.#stop && i < count; i++) {
				const due = t0 + (i * 1000) / perSecond;
				if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
				if (this.#stop) break;
				await this.#post(first + i);
			}
		})().finally(() => {
			this.#running = null;
		});
		return this.#running;
	}

	async stop() {
		this.#stop = true;
		await this.#running;
	}

	close() {
		this.#connection?.close();
	}

	/** Postings acknowledged open. */
	get opened() {
		return this.postings.filter((p) => p.done === 'review');
	}

	async #post(n: number) {
		const connection = this.#connection!;
		const posting: Posting = { n, title: `${this.prefix} ${n}`, startedAt: Date.now(), positionId: null, done: null, failed: null, openedAt: null };
		this.postings.push(posting);
		const run = async (step: Step, name: string, input: unknown) => {
			const answer = await connection.command<{ id: number }>(name, input);
			if (answer.ok) {
				posting.done = step;
				return answer.data;
			}
			const timeout = answer.error.code === 'unavailable' && answer.error.reason === 'timeout';
			posting.failed = { step, code: timeout ? 'unknown' : answer.error.code, reason: answer.error.reason };
			return null;
		};
		const created = await run('create', 'position:create', {
			title: posting.title,
			category: '仓储物流',
			kind: 'full_time',
			payMin: 4000 + (n % 20) * 100,
			payMax: 6000 + (n % 20) * 100,
			payUnit: 'month',
			headcount: 1 + (n % 3)
		});
		if (!created) return;
		posting.positionId = created.id;
		if (!(await run('submit', 'position:submit', { positionId: created.id }))) return;
		if (!(await run('review', 'position:review', { positionId: created.id, decision: 'approve' }))) return;
		posting.openedAt = Date.now();
	}
}
