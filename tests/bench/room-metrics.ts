/**
 * Pure helpers of the room suite (tests/bench/suites/room.ts), kept apart so they can be unit-tested:
 * the clock every thread of the bench shares, a latency histogram that worker threads fill and the parent
 * merges, the chat line that carries its own send time, and the accounting of retried applications.
 */

/**
 * Milliseconds on CLOCK_MONOTONIC (process.hrtime): one clock for every thread and process of this machine,
 * unlike `performance.now()`, whose origin is each thread's own start. A send timed in the bench process
 * and an arrival timed in a viewer thread subtract without any calibration.
 */
export function monoMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

/** Bucket width of LatencyHistogram, ms. */
export const BUCKET_MS = 0.25;
/** Latencies above this land in the last bucket (and still count). */
export const HISTOGRAM_MAX_MS = 60_000;

/**
 * Fixed-width buckets (0.25 ms up to 60 s): a million deliveries cost one small array, and histograms of
 * several threads add up exactly. Percentiles come back as the upper edge of their bucket (never flattering).
 */
export class LatencyHistogram {
	readonly counts: Uint32Array;
	count = 0;
	max = 0;

	constructor() {
		this.counts = new Uint32Array(Math.ceil(HISTOGRAM_MAX_MS / BUCKET_MS) + 1);
	}

	/** Rebuilt from what a worker thread posted (a structured clone of `counts`, `count` and `max`). */
	static from(data: { counts: ArrayLike<number>; count: number; max: number }) {
		const h = new LatencyHistogram();
		h.counts.set(data.counts);
		h.count = data.count;
		h.max = data.max;
		return h;
	}

	record(ms: number) {
		const v = Math.max(0, ms);
		this.counts[Math.min(this.counts.length - 1, Math.floor(v / BUCKET_MS))]++;
		this.count++;
		if (v > this.max) this.max = v;
	}

	merge(other: LatencyHistogram) {
		for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
		this.count += other.count;
		this.max = Math.max(this.max, other.max);
	}

	percentile(p: number): number {
		if (!this.count) return NaN;
		const rank = Math.max(1, Math.ceil((p / 100) * this.count));
		let seen = 0;
		for (let i = 0; i < this.counts.length; i++) {
			seen += this.counts[i];
			if (seen >= rank) return Math.min((i + 1) * BUCKET_MS, Math.max(this.max, BUCKET_MS));
		}
		return this.max;
	}
}

/**
 * A bench chat line: readable in the room, and carrying the moment it was sent (monoMs, in microseconds,
 * base 36) so that every viewer thread can time its arrival. `k` is the line's number in the run. Base 36
 * also keeps the time from ever reading as eleven digits, which the chat would mask as a phone number.
 */
export function chatBody(k: number, sentAt: number): string {
	return `基准弹幕 #${k} @${Math.round(sentAt * 1000).toString(36)}`;
}

export function parseChatBody(body: string): { k: number; sentAt: number } | null {
	const m = /^基准弹幕 #([0-9]+) @([0-9a-z]+)$/.exec(body);
	return m ? { k: Number(m[1]), sentAt: parseInt(m[2], 36) / 1000 } : null;
}

/** One `room:apply` as the bench sent it, and what came back. */
export interface ApplyCommand {
	clientKey: string;
	seekerId: number;
	positionId: number;
	/** Index of the command this one resends (same client key), or null for a first send. */
	retryOf: number | null;
	sentAt: number;
	/** Acknowledgements received (socket.io calls an ack at most once; more would be a bug worth seeing). */
	acks: { at: number; ok: boolean; applicationId?: number; error?: string }[];
}

export interface ApplyAccount {
	commands: number;
	firsts: number;
	retries: number;
	/** Commands that did not get exactly one ok acknowledgement (none, an error, or more than one). */
	lost: number;
	/** Retries whose answer named another application than their first send's. */
	mismatched: number;
	/** First sends of one (seeker, position) pair answered with different applications (would mean two rows). */
	splitPairs: number;
	/** Distinct applications the answers named. */
	applications: number;
	/** Send → ok acknowledgement, ms, in command order. */
	ackMs: number[];
	/** A few examples of what went wrong, for the log. */
	examples: string[];
}

/** Check every command got one ok answer, and every retry the same application as the send it repeats. */
export function accountApplies(commands: ApplyCommand[]): ApplyAccount {
	const out: ApplyAccount = { commands: commands.length, firsts: 0, retries: 0, lost: 0, mismatched: 0, splitPairs: 0, applications: 0, ackMs: [], examples: [] };
	const note = (s: string) => out.examples.length < 5 && out.examples.push(s);
	const byPair = new Map<string, number>();
	const ids = new Set<number>();
	for (const c of commands) {
		if (c.retryOf === null) out.firsts++;
		else out.retries++;
		const ok = c.acks.filter((a) => a.ok);
		if (c.acks.length !== 1 || ok.length !== 1 || ok[0].applicationId === undefined) {
			out.lost++;
			note(`${c.clientKey}: ${c.acks.length ? c.acks.map((a) => (a.ok ? `ok ${a.applicationId}` : a.error)).join(', ') : 'no answer'}`);
			continue;
		}
		const id = ok[0].applicationId;
		ids.add(id);
		out.ackMs.push(ok[0].at - c.sentAt);
		if (c.retryOf !== null) {
			const first = commands[c.retryOf];
			const firstId = first?.acks.find((a) => a.ok)?.applicationId;
			if (!first || first.clientKey !== c.clientKey) throw new Error(`accountApplies: command ${c.clientKey} resends a different key`);
			if (firstId !== undefined && firstId !== id) {
				out.mismatched++;
				note(`${c.clientKey}: retry answered ${id}, first send ${firstId}`);
			}
			continue;
		}
		const pair = `${c.seekerId}:${c.positionId}`;
		const seen = byPair.get(pair);
		if (seen === undefined) byPair.set(pair, id);
		else if (seen !== id) {
			out.splitPairs++;
			note(`seeker ${c.seekerId}, position ${c.positionId}: answered ${seen} and ${id}`);
		}
	}
	out.applications = ids.size;
	return out;
}
