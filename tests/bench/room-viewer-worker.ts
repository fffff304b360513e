/**
 * One thread of the room suite's viewers (started by room-viewers.ts): holds its share of the viewer
 * sockets — some on the app, the same number on the bare baseline server — and times what reaches them
 * on the shared monotonic clock (monoMs). The parent asks, this thread answers; arrivals are kept here
 * and only summaries cross the thread boundary.
 *
 * Each socket is a plain socket.io-client connection as a phone's browser makes one: WebSocket only (it
 * offers per-message deflate as browsers do; the app and the baseline both decline it), no reconnection (a
 * dropped viewer is reported, not hidden), following `room:N`.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import type { BatchedEvent, RoomBatch } from '../../src/lib/realtime/protocol';
import { LatencyHistogram, monoMs, parseChatBody } from './room-metrics';

export type Target = 'app' | 'bare';

/** What the parent asks (every request carries an id; the answer echoes it). */
export type ViewerRequest =
	| { op: 'connect'; target: Target; url: string; topic: string; count: number; parallel: number }
	| { op: 'round:open'; target: Target; round: number }
	| { op: 'round:wait'; timeoutMs: number }
	| { op: 'tally:start' }
	| { op: 'tally:read' }
	| { op: 'tally:stop' }
	| { op: 'close' };

export interface RoundResult {
	/** Arrival times (monoMs) of this round's pin, one per socket that got it. */
	arrivals: number[];
	missing: number;
	duplicates: number;
}

export interface TallyResult {
	/** Bench chat lines received, each counted once per socket; latencies in `histogram` from one socket in SAMPLE_EVERY. */
	delivered: number;
	/** Lines whose id was not above the last one that socket got (a duplicate or out of order). */
	outOfOrder: number;
	/** Applications the room's batches announced, summed over the sockets. */
	applicationEvents: number;
	batches: number;
	histogram: { counts: Uint32Array; count: number; max: number };
}

/**
 * This thread runs at a lower CPU priority (nice 10; Linux renices one thread by its id): on two cores
 * shared with the app, 5,000 simulated phones parsing every chat line would otherwise take the server's
 * CPU, which real phones never do. Arrivals are still timed here, so a busy machine makes them later,
 * never earlier. The bench's own thread (host, appliers) keeps its priority.
 */
export const VIEWER_NICE = 10;
try {
	setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), VIEWER_NICE);
} catch {
	// not Linux: the viewers compete with the server as equals
}

/** One viewer in SAMPLE_EVERY times each chat line's latency (every viewer counts them): parsing a
 *  million lines a second would make this thread, not the server, what is measured. */
const SAMPLE_EVERY = 10;

interface Viewer {
	socket: Socket;
	sample: boolean;
	pinRound: number;
	/** Event id of the last chat line this socket got: events come in id (commit) order, chat ids need not. */
	lastChatEventId: number;
}

const viewers: Record<Target, Viewer[]> = { app: [], bare: [] };
/** Sockets a server dropped, by `target: reason` (socket.io's disconnect reason, e.g. ping timeout). */
const drops: Record<string, number> = {};
const round = { target: 'app' as Target, number: 0, open: false, arrivals: [] as number[], duplicates: 0, expected: 0, done: null as (() => void) | null };
/** What reached the viewers while a window (applies, chat) was open. */
const tally = { on: false, delivered: 0, outOfOrder: 0, applicationEvents: 0, batches: 0, histogram: new LatencyHistogram() };

/**
 * A room batch as the app sends it (protocol.ts RoomBatch), read without expanding it the way a page does
 * (src/lib/realtime/batch.ts): applications are only counted here.
 */
function onBatch(target: Target, viewer: Viewer, batch: RoomBatch, at: number) {
	if (tally.on) {
		tally.batches++;
		tally.applicationEvents += batch.applications.length;
	}
	for (const event of batch.events) onEvent(target, viewer, event, at);
}

function onEvent(target: Target, viewer: Viewer, event: BatchedEvent, at: number) {
	switch (event.type) {
		case 'room.pinned':
			if (!round.open || round.target !== target) return;
			if (viewer.pinRound === round.number) {
				round.duplicates++;
				return;
			}
			viewer.pinRound = round.number;
			round.arrivals.push(at);
			if (round.arrivals.length >= round.expected) round.done?.();
			return;
		case 'room.message_posted': {
			if (!tally.on) return;
			if (event.id <= viewer.lastChatEventId) {
				tally.outOfOrder++;
				return;
			}
			viewer.lastChatEventId = event.id;
			tally.delivered++;
			if (viewer.sample) {
				const sent = parseChatBody((event.payload.message as { body: string }).body);
				if (sent) tally.histogram.record(at - sent.sentAt);
			}
			return;
		}
	}
}

let connects = 0;

function connectOne(target: Target, url: string, topic: string): Promise<Viewer> {
	return new Promise((resolve, reject) => {
		const socket = io(url, {
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			timeout: 60_000,
			extraHeaders: { origin: url }
		});
		const viewer: Viewer = { socket, sample: connects++ % SAMPLE_EVERY === 0, pinRound: 0, lastChatEventId: 0 };
		socket.on('event:batch', (batch: RoomBatch) => onBatch(target, viewer, batch, monoMs()));
		socket.once('connect', async () => {
			try {
				const ack = (await socket.timeout(120_000).emitWithAck('topic:subscribe', { topic })) as { ok: boolean; error?: { reason: string } };
				if (!ack.ok) throw new Error(`subscribe refused: ${ack.error?.reason}`);
				socket.on('disconnect', (reason) => void (drops[`${target}: ${reason}`] = (drops[`${target}: ${reason}`] ?? 0) + 1));
				resolve(viewer);
			} catch (error) {
				socket.close();
				reject(error);
			}
		});
		socket.once('connect_error', (error) => {
			socket.close();
			reject(error);
		});
	});
}

async function connect(r: Extract<ViewerRequest, { op: 'connect' }>) {
	let next = 0;
	let failed = 0;
	let firstError: string | null = null;
	const started = monoMs();
	await Promise.all(
		Array.from({ length: Math.min(r.parallel, r.count) }, async () => {
			while (next < r.count) {
				next++;
				try {
					viewers[r.target].push(await connectOne(r.target, r.url, r.topic));
				} catch (error) {
					failed++;
					firstError ??= String((error as Error)?.message ?? error);
				}
			}
		})
	);
	return { connected: viewers[r.target].length, failed, firstError, ms: monoMs() - started };
}

async function handle(r: ViewerRequest): Promise<unknown> {
	switch (r.op) {
		case 'connect':
			return connect(r);
		case 'round:open':
			Object.assign(round, { target: r.target, number: r.round, open: true, arrivals: [], duplicates: 0, expected: viewers[r.target].length, done: null });
			return { open: true };
		case 'round:wait': {
			if (round.arrivals.length < round.expected) {
				await new Promise<void>((resolve) => {
					const t = setTimeout(resolve, r.timeoutMs);
					round.done = () => {
						clearTimeout(t);
						resolve();
					};
				});
			}
			round.open = false;
			round.done = null;
			const result: RoundResult = { arrivals: round.arrivals, missing: round.expected - round.arrivals.length, duplicates: round.duplicates };
			return result;
		}
		case 'tally:start':
			Object.assign(tally, { on: true, delivered: 0, outOfOrder: 0, applicationEvents: 0, batches: 0, histogram: new LatencyHistogram() });
			return { on: true };
		case 'tally:read':
		case 'tally:stop': {
			if (r.op === 'tally:stop') tally.on = false;
			const h = tally.histogram;
			const result: TallyResult = {
				delivered: tally.delivered,
				outOfOrder: tally.outOfOrder,
				applicationEvents: tally.applicationEvents,
				batches: tally.batches,
				histogram: { counts: h.counts, count: h.count, max: h.max }
			};
			return result;
		}
		case 'close': {
			const dropped = { ...drops };
			for (const v of [...viewers.app, ...viewers.bare]) v.socket.close();
			viewers.app = [];
			viewers.bare = [];
			return { dropped };
		}
	}
}

parentPort!.on('message', async ({ id, request }: { id: number; request: ViewerRequest }) => {
	try {
		parentPort!.postMessage({ id, ok: true, answer: await handle(request), drops });
	} catch (error) {
		parentPort!.postMessage({ id, ok: false, error: String((error as Error)?.stack ?? error) });
	}
});
