/**
 * The socket.io adapter's broker (DESIGN.md rule 4): Redis pub/sub carries what crosses processes without
 * the event log — presence shares, video signalling, ending a signed-out user's sockets on other processes.
 * Logged events never go through it (each process's relay reads them from the log), so losing Redis costs
 * only ephemeral traffic, and it must not take a process down:
 * - the publishing client has no offline queue: while Redis is away a cross-process message fails at once
 *   and is dropped (counted), instead of piling up in memory and arriving stale later; presence shares are
 *   re-sent every tick anyway;
 * - the adapter does not catch failed publishes and subscribes, and an unhandled rejection ends a Node
 *   process, so they are caught here;
 * - the subscribing client keeps its few subscribe commands until Redis answers, and ioredis subscribes
 *   again after every reconnect; reconnection never gives up (capped back-off);
 * - state changes are logged once each, not on every retry.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log';

export type BrokerState = 'up' | 'down';

export interface Broker {
	/** For socket.io's `adapter` option. */
	adapter: ReturnType<typeof createAdapter>;
	readonly state: BrokerState;
	/** Cross-process messages dropped because Redis was not there. */
	readonly dropped: number;
	close(): void;
}

export interface BrokerOptions {
	/** Channel prefix: deployments sharing one Redis must not hear each other. */
	prefix: string;
	log: Logger;
}

export function redactRedisUrl(url: string) {
	return url.replace(/\/\/([^@/]*)@/, '//***@');
}

export function openBroker(url: string, options: BrokerOptions): Broker {
	const { log } = options;
	const common: RedisOptions = {
		connectTimeout: 5000,
		retryStrategy: (attempt) => Math.min(200 * attempt, 5000),
		connectionName: 'jobcircle'
	};
	const pub = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
	const sub = new Redis(url, { ...common, maxRetriesPerRequest: null });
	let dropped = 0;
	let state: BrokerState = 'down';
	let closing = false;
	const where = redactRedisUrl(url);

	const update = (error?: unknown) => {
		const next: BrokerState = pub.status === 'ready' && sub.status === 'ready' ? 'up' : 'down';
		if (next === state || closing) return;
		state = next;
		if (next === 'up') log.info({ redis: where }, 'broker: Redis connected (presence and signalling cross processes)');
		else log.warn({ redis: where, err: error }, 'broker: Redis unavailable; serving this process’s sockets, events still flow through the log');
	};
	for (const client of [pub, sub]) {
		client.on('ready', () => update());
		client.on('close', () => update());
		client.on('error', (error) => update(error));
	}

	// The adapter calls these and drops the promise; a rejection must not become an unhandled one.
	const lost = () => {
		dropped++;
	};
	const guard = (client: Redis, method: 'publish' | 'subscribe' | 'psubscribe' | 'unsubscribe' | 'punsubscribe', onError: () => void) => {
		const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
		(client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => original(...args).catch(onError);
	};
	guard(pub, 'publish', lost);
	for (const method of ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) guard(sub, method, () => {});

	return {
		adapter: createAdapter(pub, sub, { key: options.prefix }),
		get state() {
			return state;
		},
		get dropped() {
			return dropped;
		},
		close() {
			closing = true;
			pub.disconnect();
			sub.disconnect();
		}
	};
}
