/**
 * A wall display as the browser runs it: the app's own RealtimeConnection (socket.io-client, its jittered
 * back-off, resume by cursor) and BoardStore (the `display:<station>` and `jobs` feeds applied to the job
 * board), authenticated by the display's device token, over WebSocket through the fault proxy.
 *
 * Instrumented from the outside only: each feed's handler is wrapped to record which event ids were
 * applied and which snapshots were taken, outgoing `topic:subscribe` requests are counted (each is one
 * resync query to the server), and connects are timed. Nothing in the client logic is replaced.
 */
import { RealtimeConnection } from '../../src/lib/realtime/connection.svelte';
import type { FeedHandler } from '../../src/lib/realtime/feed.svelte';
import { BoardStore } from '../../src/lib/realtime/stores/board.svelte';
import type { BoardContent } from '../../src/lib/server/queries/board';

export interface FeedRecord {
	/** Cursor after the first sync: events after it must all be applied (or covered by a later snapshot). */
	firstCursor: number | null;
	applied: Map<number, number>;
	/** When each event id was first applied. */
	appliedAt: Map<number, number>;
	snapshots: number[];
	/** Events applied with an id not above the previous one. */
	outOfOrder: number;
	last: number;
}

export class BoardClient {
	readonly connection: RealtimeConnection;
	readonly board: BoardStore;
	readonly feeds = new Map<string, FeedRecord>();
	/** Every `topic:subscribe` sent (first subscribe and every resync). */
	subscribes = 0;
	connects: number[] = [];
	disconnects: number[] = [];
	/** When the client was last connected with every feed synced (live). */
	syncedAt: number[] = [];
	connectErrors = 0;

	constructor(
		readonly id: number,
		url: string,
		displayToken: string,
		stationId: number
	) {
		this.connection = new RealtimeConnection({
			url,
			displayToken,
			socket: { transports: ['websocket'], forceNew: true, query: { fp: `c${id}` } }
		});
		const socket = this.connection.socket;
		socket.onAnyOutgoing((event) => {
			if (event === 'topic:subscribe') this.subscribes++;
		});
		socket.on('connect', () => {
			this.connects.push(Date.now());
			// The connection's own connect handler (registered first) has started every feed's sync.
			// A sync that fails (an ack timeout on a busy server) is retried by the connection; only success is timed.
			this.connection.ready().then(
				() => {
					if (socket.connected) this.syncedAt.push(Date.now());
				},
				() => {}
			);
		});
		socket.on('disconnect', () => this.disconnects.push(Date.now()));
		socket.on('connect_error', () => this.connectErrors++);

		// Record what each feed applies, then hand it to the board as usual.
		const subscribe = this.connection.subscribe.bind(this.connection);
		this.connection.subscribe = (topic, handler, cursor) => subscribe(topic, this.#recorded(topic, handler), cursor);
		// The page starts from server-rendered content; the display topic's first snapshot replaces it whole.
		const initial: BoardContent = { station: { id: stationId, name: '', lat: 0, lng: 0, radiusM: 0 }, positions: [], oddJobs: [], rooms: [], fairs: [] };
		this.board = new BoardStore(this.connection, initial);
	}

	#recorded(topic: string, handler: FeedHandler): FeedHandler {
		const record: FeedRecord = { firstCursor: null, applied: new Map(), appliedAt: new Map(), snapshots: [], outOfOrder: 0, last: 0 };
		this.feeds.set(topic, record);
		return {
			snapshot: (snapshot, cursor) => {
				if (record.firstCursor === null) record.firstCursor = cursor;
				else record.snapshots.push(cursor);
				record.last = Math.max(record.last, cursor);
				handler.snapshot(snapshot, cursor);
			},
			event: (event) => {
				record.applied.set(event.id, (record.applied.get(event.id) ?? 0) + 1);
				if (!record.appliedAt.has(event.id)) record.appliedAt.set(event.id, Date.now());
				if (event.id <= record.last) record.outOfOrder++;
				record.last = event.id;
				handler.event(event);
			}
		};
	}

	/** Connected, and every feed live (synced, no resync in progress). */
	get live() {
		return this.connection.socket.connected && this.connection.state === 'live' && this.board.feeds.every((f) => f.status === 'live');
	}

	close() {
		this.board.close();
		this.connection.close();
	}
}

export function openClients(n: number, url: string, displayToken: string, stationId: number): BoardClient[] {
	return Array.from({ length: n }, (_, i) => new BoardClient(i, url, displayToken, stationId));
}
