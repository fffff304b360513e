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
	#retryTimer: ReturnType<typeof setTimeout> | null = null;
	#refusals = 0;
	readonly #backoff: { min: number; max: number; jitter: number };
	readonly #ackTimeout: number;

	constructor(options: ConnectionOptions = {}) {
		this.#ackTimeout = options.ackTimeoutMs ?? 10_000;
		const common = {
			path: '/socket.io',
			// WebSocket first: one connection that stays with one app process, so several processes behind one
			// port need no sticky sessions. HTTP long-polling only where WebSocket is blocked (it needs one
			// process, or a sticky load balancer; see README "Running several processes").
			transports: ['websocket', 'polling'],
			tryAllTransports: true,
			withCredentials: true,
			reconnectionDelay: 500,
			reconnectionDelayMax: 8000,
			randomizationFactor: 0.5,
			auth: options.displayToken ? { displayToken: options.displayToken } : {},
			...options.socket
		};
		this.socket = (options.url ? io(options.url, common) : io(common)) as AppSocket;
		this.#backoff = { min: common.reconnectionDelay ?? 500, max: common.reconnectionDelayMax ?? 8000, jitter: common.randomizationFactor ?? 0.5 };
		const staleAfter = options.staleAfterMs ?? 10_000;

		this.socket.on('connect', () => {
			this.#refusals = 0;
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
		this.socket.on('connect_error', (error) => {
			if (this.state === 'connecting' || this.state === 'live') this.state = 'reconnecting';
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			this.disconnectedAt ??= new Date();
			// The server was reached but refused the handshake because it cannot tell who we are right now
			// (its database is away). socket.io never retries a refusal by itself: without this a screen
			// that lost its network while the database restarted would stay offline for good.
			if (!this.socket.active && error.message === 'unavailable') this.#retryHandshake();
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
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
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

	/** Try the handshake again with socket.io's own jittered back-off, so refused screens do not return all at once. */
	#retryHandshake() {
		if (this.#retryTimer || this.state === 'ended') return;
		const { min, max, jitter } = this.#backoff;
		const base = Math.min(max, min * 2 ** this.#refusals++);
		const delay = Math.min(max, base * (1 + jitter * (Math.random() * 2 - 1)));
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = null;
			if (this.state !== 'ended' && !this.socket.active) this.socket.connect();
		}, delay);
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
