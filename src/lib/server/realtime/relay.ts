/**
 * The event relay (DESIGN.md rule 2). Tails the event log by id and hands each committed event, once and
 * in order, to `publish`. Ids are handed out in commit order (see events/write.ts), so "everything up to
 * the highest visible id" is settled and a plain cursor never skips a late commit.
 *
 * Woken in-process after local commits, by NOTIFY from other processes (PostgreSQL), and by a fallback
 * poll. Database errors do not move the cursor: the relay retries with back-off and resumes where it was.
 */
import { randomUUID } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { LiveEvent } from '$lib/realtime/protocol';
import type { Database, Db } from '../db';
import { events } from '../db/schema';
import type { Logger } from '../log';
import { onePer } from '../one-per';

export const RELAY_CHANNEL = 'jobcircle_events';

/** The relay's read, after every commit of the process and every NOTIFY: prepared, one round trip. */
const nextEventsQuery = onePer((db: Db) =>
	db
		.select()
		.from(events)
		.where(gt(events.id, sql.placeholder('cursor')))
		.orderBy(asc(events.id))
		.limit(sql.placeholder('limit'))
		.prepare('relay_next_events')
);

export interface RelayOptions {
	batchSize?: number;
	pollMs?: number;
	log: Logger;
	/** Start after this id instead of the current end of the log (tests, resumption). */
	startAfter?: number;
}

export class Relay {
	#cursor = 0;
	#lastByTopic = new Map<string, number>();
	#running = false;
	#draining: Promise<void> | null = null;
	#again = false;
	#timer: NodeJS.Timeout | null = null;
	#unlisten: (() => Promise<void>) | null = null;
	#failures = 0;
	#delivered = 0;
	#listeners = new Set<(event: LiveEvent) => void>();
	/** Sent with this process's NOTIFYs (context.ts), so that the relay can tell its own from other processes'. */
	readonly id = randomUUID();
	readonly #batch: number;
	readonly #pollMs: number;

	constructor(
		private readonly database: Database,
		private readonly publish: (event: LiveEvent) => void,
		private readonly options: RelayOptions
	) {
		this.#batch = options.batchSize ?? 500;
		this.#pollMs = options.pollMs ?? 1000;
	}

	/** Highest event id handed to `publish`. Everything at or below it has been published by this process. */
	get cursor() {
		return this.#cursor;
	}

	get delivered() {
		return this.#delivered;
	}

	get healthy() {
		return this.#failures === 0;
	}

	/**
	 * In-process reactions to committed events (the alert engine), called after `publish` with the same
	 * event, once per event this process relays. Returns the unsubscribe function.
	 */
	onEvent(listener: (event: LiveEvent) => void) {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	async start() {
		if (this.#running) return;
		this.#running = true;
		if (this.options.startAfter !== undefined) {
			this.#cursor = this.options.startAfter;
		} else {
			const [last] = await this.database.db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
			this.#cursor = last?.id ?? 0;
		}
		if (this.database.listen) {
			try {
				// A commit of this process poked the relay already: its own NOTIFY, coming back, would read again.
				const sub = await this.database.listen(RELAY_CHANNEL, (from) => from !== this.id && this.poke());
				this.#unlisten = sub.unlisten;
			} catch (error) {
				this.options.log.warn({ err: error }, 'relay: LISTEN failed, relying on polling');
			}
		}
		this.#schedulePoll(this.#pollMs);
		this.poke();
	}

	async stop() {
		this.#running = false;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		await this.#unlisten?.().catch(() => {});
		await this.#draining;
	}

	/** Something may have been committed: read it soon. Calls coalesce. */
	poke() {
		if (!this.#running) return;
		if (this.#draining) {
			this.#again = true;
			return;
		}
		this.#draining = this.#drain().finally(() => {
			this.#draining = null;
			if (this.#again && this.#running) {
				this.#again = false;
				this.poke();
			}
		});
	}

	/** Resolves once every event committed before the call has been published (tests, shutdown). */
	async flush() {
		await this.#draining;
		if (!this.#running) return this.#drain();
		this.poke();
		await this.#draining;
	}

	/** Milliseconds the oldest unpublished committed event has waited (0 when caught up). */
	async lagMs(): Promise<number> {
		const [next] = await this.database.db
			.select({ at: events.at })
			.from(events)
			.where(gt(events.id, this.#cursor))
			.orderBy(asc(events.id))
			.limit(1);
		return next ? Math.max(0, Date.now() - next.at.getTime()) : 0;
	}

	async #drain() {
		try {
			for (;;) {
				const rows = await nextEventsQuery(this.database.db).execute({ cursor: this.#cursor, limit: this.#batch });
				for (const row of rows) {
					const prev: Record<string, number | null> = {};
					for (const t of row.topics) {
						prev[t] = this.#lastByTopic.get(t) ?? null;
						this.#lastByTopic.set(t, row.id);
					}
					this.#cursor = row.id;
					this.#delivered++;
					const event: LiveEvent = {
						id: row.id,
						type: row.type,
						topics: row.topics,
						payload: row.payload as Record<string, unknown>,
						at: row.at.toISOString(),
						prev
					};
					try {
						this.publish(event);
					} catch (error) {
						this.options.log.error({ err: error, eventId: row.id }, 'relay: publish failed');
					}
					for (const listener of this.#listeners) {
						try {
							listener(event);
						} catch (error) {
							this.options.log.error({ err: error, eventId: row.id }, 'relay: listener failed');
						}
					}
				}
				this.#trimTopicMemory();
				if (rows.length < this.#batch) break;
			}
			if (this.#failures) this.options.log.info({ cursor: this.#cursor }, 'relay: resumed');
			this.#failures = 0;
		} catch (error) {
			this.#failures++;
			if (this.#failures === 1 || this.#failures % 20 === 0) {
				this.options.log.warn({ err: error, cursor: this.#cursor, failures: this.#failures }, 'relay: read failed, retrying');
			}
			this.#schedulePoll(Math.min(5000, 100 * 2 ** Math.min(this.#failures, 6)));
		}
	}

	#schedulePoll(ms: number) {
		if (!this.#running) return;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.poke();
			this.#schedulePoll(this.#pollMs);
		}, ms);
		this.#timer.unref?.();
	}

	/** Bound memory: forget the oldest topics once there are many (a forgotten topic reports prev = null). */
	#trimTopicMemory() {
		const max = 200_000;
		if (this.#lastByTopic.size <= max) return;
		const drop = this.#lastByTopic.size - max * 0.9;
		let i = 0;
		for (const key of this.#lastByTopic.keys()) {
			if (i++ >= drop) break;
			this.#lastByTopic.delete(key);
		}
	}
}
