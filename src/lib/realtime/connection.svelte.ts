/**
 * The one typed socket.io connection of a page. Explicit connect/close; every subscription is a
 * TopicFeed that resumes from its cursor on every (re)connect. socket.io's own reconnection (jittered
 * back-off) brings the socket back; our cursors make sure nothing is lost or applied twice.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { expandBatch } from './batch';
import { type FeedHandler, TopicFeed } from './feed.svelte';
import type { Ack, ClientToServerEvents, ErrorBody, ServerToClientEvents, SubscribeResult } from './protocol';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'ended';

export interface ConnectionOptions {
	/** Server URL; default: the page's origin. */
	url?: string;
	/** Display device token (wall screens have no cookie session). */
	displayToken?: string;
	/** After this long disconnected, the state turns from `reconnecting` to `stale`. */
	staleAfterMs?: number;
	/** Passed to socket.io-client (tests set extraHeaders, transports…). */
	socket?: Partial<ManagerOptions & SocketOptions>;
	ackTimeoutMs?: number;
}

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class RealtimeConnection {
	state = $state<ConnectionState>('connecting');
	/** When the connection was lost (null while connected), for "offline since 10:42". */
	disconnectedAt = $state<Date | null>(null);
	readonly socket: AppSocket;
	// Bookkeeping, not view state: each feed exposes its own reactive status.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#feeds = new Map<string, TopicFeed>();
	#staleTimer: ReturnType<typeof setTimeout> | null = null;
	readonly #ackTimeout: number;

	constructor(options: ConnectionOptions = {}) {
		this.#ackTimeout = options.ackTimeoutMs ?? 10_000;
		const common = {
			path: '/socket.io',
			withCredentials: true,
			reconnectionDelay: 500,
			reconnectionDelayMax: 8000,
			randomizationFactor: 0.5,
			auth: options.displayToken ? { displayToken: options.displayToken } : {},
			...options.socket
		};
		this.socket = (options.url ? io(options.url, common) : io(common)) as AppSocket;
		const staleAfter = options.staleAfterMs ?? 10_000;

		this.socket.on('connect', () => {
			this.#clearStaleTimer();
			this.disconnectedAt = null;
			void this.#resyncAll();
		});
		this.socket.on('disconnect', (reason) => {
			if (this.state === 'ended') return;
			// Replaced wholesale, never mutated, so a plain Date in $state is enough.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			this.disconnectedAt ??= new Date();
			if (reason === 'io server disconnect') {
				// The server closed us on purpose (logout, revoked display): don't come back as this identity.
				this.state = 'ended';
				return;
			}
			this.state = 'reconnecting';
			this.#clearStaleTimer();
			this.#staleTimer = setTimeout(() => {
				if (this.state === 'reconnecting') this.state = 'stale';
			}, staleAfter);
		});
		this.socket.on('connect_error', () => {
			if (this.state === 'connecting' || this.state === 'live') this.state = 'reconnecting';
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			this.disconnectedAt ??= new Date();
		});
		this.socket.on('session:ended', () => {
			this.state = 'ended';
		});
		this.socket.on('event:published', (event) => {
			for (const topic of event.topics) this.#feeds.get(topic)?.receive(event);
		});
		// A live room's events, batched (protocol.ts RoomBatch): the same events, to the room's feed.
		this.socket.on('event:batch', (batch) => {
			const feed = this.#feeds.get(batch.topic);
			if (feed) for (const event of expandBatch(batch)) feed.receive(event);
		});
	}

	/** Follow a topic; the handler gets a snapshot or the missed events, then live events. */
	subscribe(topic: string, handler: FeedHandler, cursor: number | null = null): TopicFeed {
		const existing = this.#feeds.get(topic);
		if (existing) return existing;
		const feed = new TopicFeed(topic, handler, (request) => this.#request('topic:subscribe', request), cursor);
		this.#feeds.set(topic, feed);
		if (this.socket.connected) void feed.sync().catch(() => this.#retryLater(feed));
		return feed;
	}

	unsubscribe(topic: string) {
		if (!this.#feeds.delete(topic)) return;
		if (this.socket.connected) void this.#request('topic:unsubscribe', { topic });
	}

	/** A `domain:verb` command; never throws, a timeout becomes an `unavailable` error. */
	command<T = unknown>(name: string, input: unknown): Promise<Ack<T>> {
		return this.#request('command', { name, input }) as Promise<Ack<T>>;
	}

	close() {
		this.#clearStaleTimer();
		this.state = 'ended';
		this.socket.removeAllListeners();
		this.socket.disconnect();
		this.#feeds.clear();
	}

	/** Resolves when every feed is synced (tests, first paint). */
	async ready() {
		await Promise.all([...this.#feeds.values()].map((f) => f.ready()));
	}

	async #resyncAll() {
		const feeds = [...this.#feeds.values()];
		const results = await Promise.allSettled(feeds.map((f) => f.sync()));
		results.forEach((r, i) => r.status === 'rejected' && this.#retryLater(feeds[i]));
		if (this.socket.connected && this.state !== 'ended') this.state = 'live';
	}

	#retryLater(feed: TopicFeed) {
		setTimeout(() => {
			if (this.#feeds.get(feed.topic) === feed && this.socket.connected) void feed.sync().catch(() => this.#retryLater(feed));
		}, 1000 + Math.random() * 2000);
	}

	async #request(event: 'topic:subscribe' | 'topic:unsubscribe' | 'command', payload: unknown): Promise<Ack<SubscribeResult & unknown>> {
		try {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return await (this.socket.timeout(this.#ackTimeout) as any).emitWithAck(event, payload);
		} catch {
			const error: ErrorBody = { code: 'unavailable', reason: 'timeout', message: 'No answer from the server' };
			return { ok: false, error };
		}
	}

	#clearStaleTimer() {
		if (this.#staleTimer) clearTimeout(this.#staleTimer);
		this.#staleTimer = null;
	}
}
