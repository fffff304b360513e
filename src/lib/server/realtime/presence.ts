/**
 * Viewers of live rooms, counted from this process's sockets in each `room:N` topic (host consoles, which
 * follow `room_host:N` too, are not viewers). Every tick a room's count goes to its sockets if it changed —
 * at most one message per room per tick, however many people come and go — and the sample is added to the
 * room's peak and viewer-seconds. Ephemeral: never in the event log.
 *
 * Per process for now; with several processes each counts its own sockets (a shared adapter comes with
 * issue 7). Viewer-seconds still add up correctly across processes.
 */
import { topic } from '$lib/realtime/topics';
import type { AppContext } from '../context';
import { recordViewerSamples } from '../services/rooms';
import type { RoomBroadcaster } from './room-batch';
import type { AppIo } from './server';

export const VIEWERS_EVERY_MS = 2000;

const ROOM_TOPIC = /^room:([0-9]+)$/;
/** Last count sent per room, for the room snapshot (a late joiner's first figure). */
const lastCounts = new Map<number, number>();

export function localViewers(roomId: number) {
	return lastCounts.get(roomId) ?? 0;
}

export function startRoomPresence(io: AppIo, ctx: AppContext, broadcaster: RoomBroadcaster, everyMs = VIEWERS_EVERY_MS) {
	let last = Date.now();
	let busy = false;
	const tick = async () => {
		const now = Date.now();
		const seconds = (now - last) / 1000;
		last = now;
		const rooms = io.of('/').adapter.rooms;
		const seen = new Set<number>();
		const samples: { roomId: number; viewers: number; seconds: number }[] = [];
		for (const [name, sockets] of rooms) {
			const match = ROOM_TOPIC.exec(name);
			if (!match) continue;
			const roomId = Number(match[1]);
			const hosts = rooms.get(topic.roomHost(roomId));
			let viewers = 0;
			for (const id of sockets) if (!hosts?.has(id)) viewers++;
			seen.add(roomId);
			if (lastCounts.get(roomId) !== viewers) {
				lastCounts.set(roomId, viewers);
				// In slices, after the room's pending messages (room-batch.ts): a big room's count is 5,000 writes.
				broadcaster.emit(name, 'room:viewers', { roomId, viewers });
			}
			if (viewers > 0) samples.push({ roomId, viewers, seconds });
		}
		for (const roomId of lastCounts.keys()) if (!seen.has(roomId)) lastCounts.delete(roomId);
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
		tick,
		stop: () => clearInterval(timer)
	};
}
