/**
 * One subscription to one topic, on the client. Keeps the cursor (last event id applied), applies events
 * by id exactly once, buffers live events while (re)syncing, and resyncs when it detects a gap.
 *
 * Sync: subscribe with the cursor → the server replays what was missed (or sends a snapshot when the
 * cursor is absent or too old) → apply it → apply the live events that arrived meanwhile and are newer.
 */
import type { Ack, LiveEvent, SubscribeResult } from './protocol';

export interface FeedHandler {
	/** Replace state wholesale. `snapshot` is null for topics whose views reload over HTTP instead. */
	snapshot(snapshot: unknown, cursor: number): void;
	/** Apply one event; called once per id, in id order. */
	event(event: LiveEvent): void;
}

export type FeedStatus = 'syncing' | 'live' | 'denied';

export type Subscribe = (request: { topic: string; cursor: number | null }) => Promise<Ack<SubscribeResult>>;

export class TopicFeed {
	status = $state<FeedStatus>('syncing');
	/** Why the server refused, when status is `denied`. */
	error = $state<string | null>(null);
	#cursor: number | null;
	#buffer: LiveEvent[] = [];
	#syncing: Promise<void> | null = null;
	#generation = 0;
	/** Counters for tests and diagnostics. */
	readonly stats = { applied: 0, duplicates: 0, gaps: 0, snapshots: 0, replays: 0 };

	constructor(
		readonly topic: string,
		private readonly handler: FeedHandler,
		private readonly subscribe: Subscribe,
		cursor: number | null = null
	) {
		this.#cursor = cursor;
	}

	get cursor() {
		return this.#cursor;
	}

	/** (Re)subscribe from the current cursor. Concurrent calls share one sync. */
	sync(): Promise<void> {
		this.status = 'syncing';
		const generation = ++this.#generation;
		this.#syncing = this.#run(generation).finally(() => {
			if (generation === this.#generation) this.#syncing = null;
		});
		return this.#syncing;
	}

	async #run(generation: number) {
		const answer = await this.subscribe({ topic: this.topic, cursor: this.#cursor });
		if (generation !== this.#generation) return; // a newer sync superseded this one
		if (!answer.ok) {
			if (answer.error.code === 'forbidden' || answer.error.code === 'not_found' || answer.error.code === 'invalid') {
				this.status = 'denied';
				this.error = answer.error.reason;
				this.#buffer = [];
				return;
			}
			throw new Error(answer.error.reason);
		}
		const result = answer.data;
		if (result.mode === 'snapshot') {
			this.stats.snapshots++;
			this.handler.snapshot(result.snapshot, result.cursor);
			this.#cursor = result.cursor;
		} else {
			this.stats.replays++;
			for (const event of result.events) this.#apply(event);
			this.#cursor = Math.max(this.#cursor ?? 0, result.cursor);
		}
		const buffered = this.#buffer;
		this.#buffer = [];
		this.status = 'live';
		for (const event of buffered) this.receive(event);
	}

	/** A live event for this topic arrived from the server. */
	receive(event: LiveEvent) {
		if (this.status === 'denied') return;
		if (this.status === 'syncing') {
			this.#buffer.push(event);
			return;
		}
		if (this.#cursor !== null && event.id <= this.#cursor) {
			this.stats.duplicates++;
			return;
		}
		const prev = event.prev?.[this.topic];
		if (prev != null && this.#cursor !== null && prev > this.#cursor) {
			// An event on this topic between our cursor and this one never reached us: resync from the cursor.
			this.stats.gaps++;
			this.#buffer.push(event);
			void this.sync().catch(() => {});
			return;
		}
		this.#apply(event);
	}

	#apply(event: LiveEvent) {
		if (this.#cursor !== null && event.id <= this.#cursor) {
			this.stats.duplicates++;
			return;
		}
		this.#cursor = event.id;
		this.stats.applied++;
		this.handler.event(event);
	}

	/** Wait for the sync in progress, if any. */
	async ready() {
		while (this.#syncing) await this.#syncing;
	}
}
