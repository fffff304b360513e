/**
 * Signalling for live rooms' camera streams (WebRTC): the host's browser sends its camera to each viewer over
 * its own peer connection (a mesh, for small audiences); offers, answers and ICE candidates travel through here.
 *
 * Ephemeral: nothing of it is written to the event log. Who is in a stream is kept only in socket.io rooms —
 * `rtc_host:N` holds the one socket broadcasting room N, `rtc_viewers:N` the sockets watching it — and sockets
 * are addressed by id (`io.to(socketId)`), so with a shared adapter (Redis) a host on one process and a viewer
 * on another reach each other, and no process keeps anything another would need.
 *
 * Every signal names its room and its target and is validated; the server fills in `from`. A signal is relayed
 * only from the room's broadcaster to a socket watching that room, or from a watcher to the broadcaster.
 */
import { z } from 'zod';
import { type LiveEvent, RTC_CANDIDATE_MAX, RTC_SDP_MAX, type RtcEndReason, type RtcSignalled } from '$lib/realtime/protocol';
import { topic } from '$lib/realtime/topics';
import type { AppContext } from '../context';
import { ServiceError, conflict, forbidden, invalid } from '../errors';
import { authorizeRoomBroadcast, authorizeRoomWatch } from '../services/rooms';
import { id, parse } from '../validation';
import type { AppIo, AppSocket } from './server';

/** socket.io rooms of a stream. Not topics: nobody subscribes to them; the server puts sockets in. */
export const streamRooms = {
	host: (roomId: number) => `rtc_host:${roomId}`,
	viewers: (roomId: number) => `rtc_viewers:${roomId}`
};
const STREAM_ROOM = /^rtc_(host|viewers):([0-9]+)$/;

const roomInput = z.object({ roomId: id });
/** socket.io ids: 20 characters of base64url. Nothing with a colon, so never a topic's room. */
const socketId = z.string().regex(/^[A-Za-z0-9_-]{20}$/, 'socket_id_format');
const candidate = z.object({
	candidate: z.string().max(RTC_CANDIDATE_MAX, 'too_long'),
	sdpMid: z.string().max(32, 'too_long').nullish(),
	sdpMLineIndex: z.number().int('integer').min(0, 'range').max(63, 'range').nullish(),
	usernameFragment: z.string().max(256, 'too_long').nullish()
});
const signalInput = z
	.object({
		roomId: id,
		to: socketId,
		kind: z.enum(['offer', 'answer', 'candidate'], { error: 'unknown_kind' }),
		sdp: z.string().min(1, 'required').max(RTC_SDP_MAX, 'too_long').optional(),
		candidate: candidate.optional()
	})
	.superRefine((d, ctx) => {
		if (d.kind !== 'candidate' && d.sdp === undefined) ctx.addIssue({ code: 'custom', path: ['sdp'], message: 'required' });
		if (d.kind === 'candidate' && d.candidate === undefined) ctx.addIssue({ code: 'custom', path: ['candidate'], message: 'required' });
	});

type Answer = <T>(ack: unknown, work: () => Promise<T>) => Promise<void>;

/**
 * Per socket, at most `limit` requests of one kind in `windowMs`: each watch makes the host's browser build a
 * new connection and each signal reaches it, so one socket must not be able to keep it busy. A socket lives on
 * one process, so this is kept beside it (a WeakMap, gone with the socket) and no other process needs it.
 */
function budget(limit: number, windowMs: number) {
	const spent = new WeakMap<object, number[]>();
	return (socket: object) => {
		const now = Date.now();
		const recent = (spent.get(socket) ?? []).filter((t) => now - t < windowMs);
		if (recent.length >= limit) throw new ServiceError('rate_limited', 'too_many_requests', 'Too many requests; wait a moment');
		recent.push(now);
		spent.set(socket, recent);
	};
}
/** A viewer asks again after a failure or a restart: a few times in a few seconds at most. */
const WATCH_BUDGET = { limit: 10, windowMs: 10_000 };
/** One connection takes an offer or answer and a dozen or two candidates; a host serves up to maxViewers. */
const SIGNAL_BUDGET_PER_PEER = { limit: 60, windowMs: 10_000 };

export interface SignallingOptions {
	/** Viewers one broadcaster serves at once (WEBRTC_MAX_VIEWERS). */
	maxViewers: number;
	/** The server's ack wrapper: `{ok, data}` or `{ok: false, error}` naming the field, never a throw. */
	answer: Answer;
}

export interface Signalling {
	attach(socket: AppSocket): void;
	/** A committed event reached this process: a room that ended stops its stream for this process's sockets. */
	published(event: LiveEvent): void;
	/** The socket stopped following a topic: without `room:N` it may no longer watch room N's stream. */
	left(socket: AppSocket, topicName: string): void;
}

export function createSignalling(io: AppIo, ctx: AppContext, options: SignallingOptions): Signalling {
	const { answer, maxViewers } = options;
	const spendWatch = budget(WATCH_BUDGET.limit, WATCH_BUDGET.windowMs);
	// The broadcaster talks to every viewer; a viewer only to the broadcaster.
	const spendHostSignal = budget(SIGNAL_BUDGET_PER_PEER.limit * Math.max(1, maxViewers), SIGNAL_BUDGET_PER_PEER.windowMs);
	const spendViewerSignal = budget(SIGNAL_BUDGET_PER_PEER.limit, SIGNAL_BUDGET_PER_PEER.windowMs);

	/** The rooms a socket is in, on this process or (through the adapter) another; null when it is gone. */
	async function roomsOf(socketIdValue: string): Promise<Set<string> | null> {
		const local = io.of('/').sockets.get(socketIdValue);
		if (local) return local.rooms;
		const found = await io.in(socketIdValue).fetchSockets();
		return found.find((s) => s.id === socketIdValue)?.rooms ?? null;
	}

	/** Every viewer of the room stops (they ask again when the camera comes back); the broadcaster stays. */
	function endViewers(roomId: number, reason: RtcEndReason) {
		const viewers = streamRooms.viewers(roomId);
		io.to(viewers).emit('rtc:broadcast_ended', { roomId, reason });
		io.in(viewers).socketsLeave(viewers);
	}

	function attach(socket: AppSocket) {
		socket.on('rtc:broadcast', (request, ack) =>
			answer(ack, async () => {
				const { roomId } = parse(roomInput, request);
				await authorizeRoomBroadcast(ctx, socket.data.actor, roomId);
				const host = streamRooms.host(roomId);
				// One broadcaster per room: another window of the host (or a restart of this one) takes over,
				// and every viewer starts afresh with the new camera. Never this socket: through a broker the
				// leave is applied later, even on this process, and must not undo the join below.
				const others = io.in(host).except(socket.id);
				others.emit('rtc:broadcast_ended', { roomId, reason: 'host_moved' });
				others.socketsLeave(host);
				endViewers(roomId, 'host_moved');
				await socket.leave(streamRooms.viewers(roomId));
				await socket.join(host);
				io.to(topic.room(roomId)).emit('rtc:broadcast_started', { roomId, hostId: socket.id });
				return { roomId, maxViewers };
			})
		);

		socket.on('rtc:stop', (request, ack) =>
			answer(ack, async () => {
				const { roomId } = parse(roomInput, request);
				const host = streamRooms.host(roomId);
				if (socket.rooms.has(host)) {
					await socket.leave(host);
					endViewers(roomId, 'host_stopped');
				}
				return { roomId };
			})
		);

		socket.on('rtc:watch', (request, ack) =>
			answer(ack, async () => {
				const { roomId } = parse(roomInput, request);
				spendWatch(socket);
				// Watching goes with following the room: the page that shows the stream shows the room.
				if (!socket.rooms.has(topic.room(roomId))) throw forbidden('subscribe_first');
				const host = streamRooms.host(roomId);
				const viewers = streamRooms.viewers(roomId);
				if (socket.rooms.has(host)) throw conflict('broadcasting_here', 'This window is the broadcaster', { roomId: 'broadcasting_here' });
				await authorizeRoomWatch(ctx, roomId);
				const [broadcaster] = await io.in(host).fetchSockets();
				if (!broadcaster) {
					await socket.leave(viewers);
					return { roomId, hostId: null };
				}
				if (!socket.rooms.has(viewers)) {
					// Counted across processes through the adapter. Two viewers asking in the same instant may both
					// get the last place: a soft bound on the host's uploads, not an exact one.
					if ((await io.in(viewers).fetchSockets()).length >= maxViewers) {
						throw new ServiceError('conflict', 'stream_full', 'The camera stream has as many viewers as it can serve', { roomId: 'stream_full' });
					}
					await socket.join(viewers);
				}
				// Also when already watching: a viewer whose connection failed asks again and gets a fresh offer.
				io.to(host).emit('rtc:viewer_joined', { roomId, viewerId: socket.id });
				return { roomId, hostId: broadcaster.id };
			})
		);

		socket.on('rtc:unwatch', (request, ack) =>
			answer(ack, async () => {
				const { roomId } = parse(roomInput, request);
				await stopWatching(socket, roomId);
				return { roomId };
			})
		);

		socket.on('rtc:signal', (request, ack) =>
			answer(ack, async () => {
				const signal = parse(signalInput, request);
				const host = streamRooms.host(signal.roomId);
				const viewers = streamRooms.viewers(signal.roomId);
				let targets: string;
				if (socket.rooms.has(host)) {
					if (signal.kind === 'answer') throw invalid({ kind: 'host_sends_offers' });
					spendHostSignal(socket);
					targets = viewers;
				} else if (socket.rooms.has(viewers)) {
					if (signal.kind === 'offer') throw forbidden('only_host_offers');
					spendViewerSignal(socket);
					targets = host;
				} else {
					throw forbidden('not_in_stream');
				}
				const rooms = await roomsOf(signal.to);
				if (!rooms?.has(targets)) throw new ServiceError('forbidden', 'target_not_in_stream', 'That socket is not in this stream', { to: 'not_in_stream' });
				const relayed: RtcSignalled =
					signal.kind === 'candidate'
						? { roomId: signal.roomId, from: socket.id, kind: 'candidate', candidate: signal.candidate! }
						: { roomId: signal.roomId, from: socket.id, kind: signal.kind, sdp: signal.sdp! };
				io.to(signal.to).emit('rtc:signalled', relayed);
				return { delivered: true as const };
			})
		);

		socket.on('disconnecting', () => {
			for (const name of socket.rooms) {
				const match = STREAM_ROOM.exec(name);
				if (!match) continue;
				const roomId = Number(match[2]);
				if (match[1] === 'host') endViewers(roomId, 'host_left');
				else io.to(streamRooms.host(roomId)).emit('rtc:viewer_left', { roomId, viewerId: socket.id });
			}
		});
	}

	async function stopWatching(socket: AppSocket, roomId: number) {
		const viewers = streamRooms.viewers(roomId);
		if (!socket.rooms.has(viewers)) return;
		await socket.leave(viewers);
		io.to(streamRooms.host(roomId)).emit('rtc:viewer_left', { roomId, viewerId: socket.id });
	}

	return {
		attach,
		published(event) {
			if (event.type !== 'room.state_changed') return;
			const { roomId, state } = event.payload as { roomId: number; state: string };
			if (state !== 'ended') return;
			// Every process's relay delivers this event: each ends the stream for its own sockets only.
			for (const name of [streamRooms.viewers(roomId), streamRooms.host(roomId)]) {
				io.local.to(name).emit('rtc:broadcast_ended', { roomId, reason: 'room_ended' });
				io.local.in(name).socketsLeave(name);
			}
		},
		left(socket, topicName) {
			const match = /^room:([0-9]+)$/.exec(topicName);
			if (match) void stopWatching(socket, Number(match[1]));
		}
	};
}
