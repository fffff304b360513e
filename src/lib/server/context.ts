import type { Database, Db } from './db';
import type { Logger } from './log';
import { RELAY_CHANNEL } from './realtime/relay';

/** What a service needs from the process: the database, and a way to wake the relay after a commit. */
export interface AppContext {
	db: Db;
	database: Database;
	log: Logger;
	/** Called after a transaction that appended events has committed. */
	afterCommit: () => void;
	now: () => Date;
}

/**
 * The context every writer uses (the app, tests, benchmarks): after a commit it pokes this process's
 * relay, if it has one, and wakes the other processes' relays with NOTIFY — coalesced, so a burst of
 * commits becomes one or two NOTIFYs and NOTIFY's global lock never enters the hot write transactions.
 */
export function createAppContext(database: Database, options: { log: Logger; relay?: { poke(): void; id: string } | null }): AppContext {
	// The payload names the sender, whose own relay then leaves the notification alone.
	const notifyOthers = database.notify ? coalesce(() => database.notify!(RELAY_CHANNEL, options.relay?.id ?? ''), options.log) : () => {};
	return {
		db: database.db,
		database,
		log: options.log,
		now: () => new Date(),
		afterCommit: () => {
			options.relay?.poke();
			notifyOthers();
		}
	};
}

/** At most one call in flight and one queued. */
function coalesce(fn: () => Promise<unknown>, log: Logger) {
	let running = false;
	let queued = false;
	const run = async () => {
		running = true;
		try {
			await fn();
		} catch (error) {
			log.warn({ err: error }, 'relay notify failed (other processes will poll)');
		} finally {
			running = false;
			if (queued) {
				queued = false;
				void run();
			}
		}
	};
	return () => {
		if (running) queued = true;
		else void run();
	};
}
