/**
 * Viewers of live rooms (host consoles, which follow `room_host:N` too, are not viewers), summed over every
 * app process. Each process counts its own sockets in each `room:N` topic and, when the socket.io adapter
 * is shared (Redis), tells the other processes its counts every tick (`serverSideEmit`); it adds what it
 * last heard from each of them and forgets a process it has not heard from for three ticks (stopped,
 * crashed, or Redis away — then each process shows what it can still see). So every viewer sees the total,
 * whichever process holds their socket; a count goes to a room's sockets only when it changed, at most one
 * message per room per tick however many people come and go.
 *
 * Recorded once for the total: each process adds its own viewers × seconds to the room's viewer-seconds
 * (their sum is the total), and raises the room's peak to the total it sees — the same figure on every
 * process, and `greatest` makes writing it more than once harmless. Ephemeral: never in the event log.
 */
import { randomUUID } from 'node:crypto';
import { topic } from '$lib/realtime/topics';
import type { AppContext } from '../context';
import { recordViewerSamples } from '../services/rooms';
import type { Broadcaster } from './broadcast';
import type { AppIo } from './server';

export const VIEWERS_EVERY_MS = 2000;
/** Three missed shares: a process that said nothing for this long no longer counts. */
const STALE_AFTER_TICKS = 3;
const MAX_ROOMS_PER_SHARE = 10_000;

/** One process's viewer counts, as it tells the others. */
export interface PresenceShare {
	from: string;
	/** [roomId, viewers] for every room it has sockets in (a room missing from it has none there). */
	rooms: [number, number][];
}

/** Server-to-server messages through the adapter. */
export interface PresenceEvents {
	'presence:rooms': (share: PresenceShare) => void;
}

export interface RoomPresence {
	/** Viewers of a room across processes, as last announced (a late joiner's first figure). */
	viewers(roomId: number): number;
	/** Processes counted in the totals, this one included. */
	readonly processes: number;
	tick(): Promise<void>;
	stop(): void;
}

export interface PresenceOptions {
	/** Whether the adapter reaches other processes; without it, shares would go nowhere. */
	shared: boolean;
	everyMs?: number;
}

const ROOM_TOPIC = /^room:([0-9]+)$/;

function validShare(share: unknown): share is PresenceShare {
	if (!share || typeof share !== 'object') return false;
	const { from, rooms } = share as Partial<PresenceShare>;
	return typeof from === 'string' && Array.isArray(rooms) && rooms.length <= MAX_ROOMS_PER_SHARE;
}

export function startRoomPresence(io: AppIo, ctx: AppContext, broadcaster: Broadcaster, options: PresenceOptions): RoomPresence {
	const everyMs = options.everyMs ?? VIEWERS_EVERY_MS;
	/** Who this is in the shares (not the process id: tests run two servers in one process). */
	const self = randomUUID();
	/** What the other processes said last, and when we heard it. */
	const heard = new Map<string, { at: number; rooms: Map<number, number> }>();
	/** Last total announced per room. */
	const announced = new Map<number, number>();

	io.on('presence:rooms', (share) => {
		if (!validShare(share) || share.from === self) return;
		const rooms = new Map<number, number>();
		for (const entry of share.rooms) {
			if (!Array.isArray(entry)) continue;
			const [roomId, viewers] = entry;
			if (Number.isSafeInteger(roomId) && Number.isSafeInteger(viewers) && viewers >= 0) rooms.set(roomId, viewers);
		}
		heard.set(share.from, { at: Date.now(), rooms });
	});

	/** This process's viewers per room (rooms with only a host console count 0). */
	const countHere = () => {
		const rooms = io.of('/').adapter.rooms;
		const here = new Map<number, number>();
		for (const [name, sockets] of rooms) {
			const match = ROOM_TOPIC.exec(name);
			if (!match) continue;
			const roomId = Number(match[1]);
			const hosts = rooms.get(topic.roomHost(roomId));
			let viewers = 0;
			for (const id of sockets) if (!hosts?.has(id)) viewers++;
			here.set(roomId, viewers);
		}
		return here;
	};

	let last = Date.now();
	let busy = false;
	const tick = async () => {
		const now = Date.now();
		const seconds = (now - last) / 1000;
		last = now;
		const here = countHere();
		if (options.shared) io.serverSideEmit('presence:rooms', { from: self, rooms: [...here] });

		const totals = new Map(here);
		for (const [from, share] of heard) {
			if (now - share.at > STALE_AFTER_TICKS * everyMs) {
				heard.delete(from);
				continue;
			}
			for (const [roomId, viewers] of share.rooms) totals.set(roomId, (totals.get(roomId) ?? 0) + viewers);
		}
		const samples: { roomId: number; total: number; here: number; seconds: number }[] = [];
		for (const [roomId, total] of totals) {
			if (announced.get(roomId) !== total) {
				announced.set(roomId, total);
				// In slices spaced out, after the room's pending messages (room-batch.ts): a big room's count is
				// 5,000 writes, and nobody needs it to the millisecond.
				broadcaster.emitUnhurried(topic.room(roomId), 'room:viewers', { roomId, viewers: total });
			}
			// The processes with viewers record; one with none here has nothing to add.
			const mine = here.get(roomId) ?? 0;
			if (mine > 0) samples.push({ roomId, total, here: mine, seconds });
		}
		for (const roomId of announced.keys()) if (!totals.has(roomId)) announced.delete(roomId);
		// One write at a time: a slow database skips samples rather than piling them up.
		if (!samples.length || busy) return;
		busy = true;
		try {
			await recordViewerSamples(ctx, samples);
		} catch (error) {
			ctx.log.warn({ err: error }, 'room viewer samples not recorded');
		} finally {
			busy = false;
		}
	};
	const timer = setInterval(() => void tick(), everyMs);
	timer.unref?.();
	return {
		viewers: (roomId) => announced.get(roomId) ?? 0,
		get processes() {
			return 1 + heard.size;
		},
		tick,
		stop: () => clearInterval(timer)
	};
}
