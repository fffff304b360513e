/**
 * One member of a viewer pool (started by viewer-pool.ts, as a worker thread for the room suite or a child
 * process for the scale suite): holds its share of the viewer sockets — for the room suite some on the app,
 * the same number on the bare baseline server — and times what reaches them on the shared monotonic clock
 * (monoMs). The parent asks, this member answers; arrivals are kept here and only summaries cross over.
 *
 * Each socket is a plain socket.io-client connection as a phone's browser makes one: WebSocket only (it
 * offers per-message deflate as browsers do; the app and the baseline both decline it), no reconnection (a
 * dropped viewer is reported, not hidden), following one public topic (`room:N`, or `jobs`). A round waits
 * for one event on it, whichever way it comes: inside a room's `event:batch`, or as `event:published`.
 * The scale suite asks for lean sockets instead (lean-socket.ts): the same protocol for about half the CPU.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { applicationCount } from '../../src/lib/realtime/batch';
import type { BatchedEvent, BatchedMessage, LiveEvent, RoomBatch } from '../../src/lib/realtime/protocol';
import { connectLean } from './lean-socket';
import { pace } from './pace';
import { LatencyHistogram, monoMs, parseChatBody } from './room-metrics';
import { connectSocket, subscribe } from './session';
import { sharedDecode } from './shared-decode';

export type Target = 'app' | 'bare';
/** Which client a viewer is: socket.io-client, or the lean one (lean-socket.ts) where the clients' own CPU would be measured. */
export type ClientKind = 'socket.io-client' | 'lean';

/** The event a round waits for: its type, and the position it is about when that tells rounds apart. */
export interface RoundMatch {
	type: string;
	positionId?: number;
}

/** What the parent asks (every request carries an id; the answer echoes it). */
export type ViewerRequest =
	| {
			op: 'connect';
			target: Target;
			url: string;
			topic: string;
			count: number;
			/** Handshakes in flight at once. */
			parallel: number;
			/** Handshakes started per second (default: as fast as `parallel` allows). */
			ratePerS?: number;
			/** Further attempts for a viewer whose handshake or subscription failed (default none). */
			retries?: number;
			/** Default socket.io-client. */
			client?: ClientKind;
	  }
	| { op: 'round:open'; target: Target; round: number; match: RoundMatch }
	| { op: 'round:wait'; timeoutMs: number }
	| { op: 'tally:start' }
	| { op: 'tally:read' }
	| { op: 'tally:stop' }
	/** Close one server's viewers on purpose (not counted as dropped): the baseline's, once its pins are done. */
	| { op: 'release'; target: Target }
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
 * Viewers run at a lower CPU priority (nice 10): on two cores shared with the app, thousands of simulated
 * phones parsing every message would otherwise take the server's CPU, which real phones never do. Arrivals
 * are still timed here, so a busy machine makes them later, never earlier. Linux renices one thread by its
 * id: a worker thread renices itself (the bench's own thread, host and appliers, keeps its priority); a
 * forked member renices every thread it has (V8's helpers were started before this code ran).
 */
export const VIEWER_NICE = 10;
try {
	const tids = parentPort ? [readlinkSync('/proc/thread-self').split('/').pop()] : readdirSync('/proc/self/task');
	for (const tid of tids) setPriority(Number(tid), VIEWER_NICE);
} catch {
	// not Linux: the viewers compete with the server as equals
}

/** One viewer in SAMPLE_EVERY times each chat line's latency (every viewer counts them): parsing a
 *  million lines a second would make this thread, not the server, what is measured. */
const SAMPLE_EVERY = 10;

/** What a viewer needs of its socket, whichever client it is. */
interface ViewerSocket {
	on(event: string, listener: (...args: never[]) => void): unknown;
	off(event: string): unknown;
	close(): unknown;
}

interface Viewer {
	socket: ViewerSocket;
	sample: boolean;
	/** The last round this socket got its event in (a second one in the same round is a duplicate). */
	round: number;
	/** Event id of the last chat line this socket got: events come in id (commit) order, chat ids need not. */
	lastChatEventId: number;
}

const viewers: Record<Target, Viewer[]> = { app: [], bare: [] };
/** Sockets a server dropped, by `target: reason` (socket.io's disconnect reason, e.g. ping timeout). */
const drops: Record<string, number> = {};
const round = {
	target: 'app' as Target,
	match: { type: '' } as RoundMatch,
	number: 0,
	open: false,
	arrivals: [] as number[],
	duplicates: 0,
	expected: 0,
	done: null as (() => void) | null
};
/** What reached the viewers while a window (applies, chat) was open. */
const tally = { on: false, delivered: 0, outOfOrder: 0, applicationEvents: 0, batches: 0, histogram: new LatencyHistogram() };

/**
 * A room batch as the app sends it (protocol.ts RoomBatch), read without expanding it the way a page does
 * (src/lib/realtime/batch.ts): applications are only counted here.
 */
function onBatch(target: Target, viewer: Viewer, batch: RoomBatch, at: number) {
	if (tally.on) {
		tally.batches++;
		tally.applicationEvents += applicationCount(batch.applications);
	}
	for (const [id, message] of batch.messages) onChatLine(viewer, id, message, at);
	for (const event of batch.events) onEvent(target, viewer, event, at);
}

function onChatLine(viewer: Viewer, eventId: number, message: BatchedMessage, at: number) {
	if (!tally.on) return;
	if (eventId <= viewer.lastChatEventId) {
		tally.outOfOrder++;
		return;
	}
	viewer.lastChatEventId = eventId;
	tally.delivered++;
	if (viewer.sample && typeof message.body === 'string') {
		const sent = parseChatBody(message.body);
		if (sent) tally.histogram.record(at - sent.sentAt);
	}
}

function onEvent(target: Target, viewer: Viewer, event: BatchedEvent, at: number) {
	if (round.open && round.target === target && event.type === round.match.type) {
		if (round.match.positionId === undefined || (event.payload as { positionId?: number }).positionId === round.match.positionId) {
			if (viewer.round === round.number) {
				round.duplicates++;
				return;
			}
			viewer.round = round.number;
			round.arrivals.push(at);
			if (round.arrivals.length >= round.expected) round.done?.();
		}
	}
}

let connects = 0;

async function connectOne(target: Target, url: string, topic: string, client: ClientKind): Promise<Viewer> {
	const options = { timeoutMs: 60_000, parser: sharedDecode };
	const socket = client === 'lean' ? await connectLean(url, { ...options, origin: url }) : await connectSocket(url, options);
	const viewer: Viewer = { socket, sample: connects++ % SAMPLE_EVERY === 0, round: 0, lastChatEventId: 0 };
	socket.on('event:batch', (batch: RoomBatch) => onBatch(target, viewer, batch, monoMs()));
	socket.on('event:published', (event: LiveEvent) => onEvent(target, viewer, event, monoMs()));
	try {
		await subscribe(socket, topic, 120_000);
	} catch (error) {
		socket.close();
		throw error;
	}
	socket.on('disconnect', (reason: string) => void (drops[`${target}: ${reason}`] = (drops[`${target}: ${reason}`] ?? 0) + 1));
	return viewer;
}

/** A second between attempts of one viewer: a server refusing a storm gets room to breathe. */
const RETRY_AFTER_MS = 1000;

async function connect(r: Extract<ViewerRequest, { op: 'connect' }>) {
	let failed = 0;
	let retried = 0;
	let firstError: string | null = null;
	const started = monoMs();
	await pace({
		rate: r.ratePerS ?? 1e6,
		count: r.count,
		maxInFlight: r.parallel,
		task: async () => {
			for (let attempt = 0; ; attempt++) {
				try {
					viewers[r.target].push(await connectOne(r.target, r.url, r.topic, r.client ?? 'socket.io-client'));
					return;
				} catch (error) {
					firstError ??= String((error as Error)?.message ?? error);
					if (attempt >= (r.retries ?? 0)) {
						failed++;
						return;
					}
					retried++;
					await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
				}
			}
		}
	});
	return { connected: viewers[r.target].length, failed, retried, firstError, ms: monoMs() - started };
}

async function handle(r: ViewerRequest): Promise<unknown> {
	switch (r.op) {
		case 'connect':
			return connect(r);
		case 'round:open':
			Object.assign(round, { target: r.target, match: r.match, number: r.round, open: true, arrivals: [], duplicates: 0, expected: viewers[r.target].length, done: null });
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
		case 'release': {
			for (const v of viewers[r.target]) {
				v.socket.off('disconnect');
				v.socket.close();
			}
			const released = viewers[r.target].length;
			viewers[r.target] = [];
			return { released };
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

/**
 * The parent's channel: the thread's port, or a child process's IPC channel (the pool forks it with
 * structured-clone serialisation, so the histogram's typed array crosses intact either way).
 */
const channel = parentPort
	? { on: (f: (m: unknown) => void) => parentPort!.on('message', f), send: (m: unknown) => parentPort!.postMessage(m) }
	: { on: (f: (m: unknown) => void) => process.on('message', f), send: (m: unknown) => process.send!(m) };
if (!parentPort && !process.send) throw new Error('viewer-worker.ts runs inside a viewer pool (a worker thread or a forked process)');
// A forked member whose parent went away must not hold thousands of sockets on its own.
if (!parentPort) process.on('disconnect', () => process.exit(0));

channel.on(async (message) => {
	const { id, request } = message as { id: number; request: ViewerRequest };
	try {
		channel.send({ id, ok: true, answer: await handle(request), drops });
	} catch (error) {
		channel.send({ id, ok: false, error: String((error as Error)?.stack ?? error) });
	}
});
