/**
 * Attaches socket.io to an HTTP server: handshake checks, subscriptions with resume-by-cursor, commands, and the
 * signalling of live rooms' camera streams (signalling.ts).
 * The Vite dev and preview servers, the production server and the tests all go through this one function.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { and, asc, arrayContains, gt, lte } from 'drizzle-orm';
import { parse as parseCookie } from 'cookie';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { ClientToServerEvents, LiveEvent, ServerToClientEvents, SubscribeResult } from '$lib/realtime/protocol';
import { parseTopic } from '$lib/realtime/topics';
import { type Actor, anonymous } from '../actor';
import { config } from '../config';
import type { AppContext } from '../context';
import { events } from '../db/schema';
import { takeSocketCommand } from '../auth/rate-limit';
import { ServiceError, asServiceError, fromZod } from '../errors';
import { SESSION_COOKIE, actorFromDisplayToken, actorOf, validateSession } from '../services/auth';
import { authorizeTopic } from './authorize';
import type { Broker } from './broker';
import { commands } from './commands';
import { type PresenceEvents, type RoomPresence, startRoomPresence } from './presence';
import type { Relay } from './relay';
import { Broadcaster } from './broadcast';
import { RoomBatcher, isRoomTopic } from './room-batch';
import { createSignalling } from './signalling';
import { takeSnapshot } from './snapshots';

export interface SocketState {
	actor: Actor;
	sessionId: string | null;
}

/** Messages between app processes, through the adapter (nothing crosses without a broker). */
export type InterServerEvents = PresenceEvents;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketState>;
export type AppIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketState>;

export interface RealtimeDeps {
	ctx: AppContext;
	relay: Relay;
	/** Configured public origin; unset → the Origin's host must equal the request's Host. */
	origin?: string;
	replayWindow: number;
	/** The adapter's broker (Redis) when several processes share presence and signalling; none → in memory. */
	broker?: Broker | null;
	/** HTTP long-polling besides WebSocket (default on); off when processes behind one port are not sticky. */
	polling?: boolean;
	/** How often viewer counts are shared and announced (tests shorten it). */
	presenceEveryMs?: number;
	/** Viewers of one camera stream at once; default WEBRTC_MAX_VIEWERS. */
	webrtcMaxViewers?: number;
}

export interface Realtime {
	io: AppIo;
	presence: RoomPresence;
	/** Hand a committed event to the sockets of this process (the relay's publish target). */
	publish(event: LiveEvent): void;
	/** Logout / role change: tell and disconnect every socket of a session (or of a user). */
	endSession(sessionId: string, reason: string): void;
	endUser(userId: number, reason: string): void;
	close(): Promise<void>;
}

const subscribeInput = z.object({
	topic: z.string().max(40),
	cursor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish()
});
const unsubscribeInput = z.object({ topic: z.string().max(40) });

/** Foreign pages must not open sockets with a user's cookie: refuse their Origin at the handshake. */
export function originAllowed(req: IncomingMessage, configured?: string) {
	const origin = req.headers.origin;
	if (!origin) return true; // not a browser: it cannot carry a victim's cookie across sites
	if (configured) return origin === configured;
	try {
		return new URL(origin).host === req.headers.host;
	} catch {
		return false;
	}
}

export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
	const { ctx, relay } = deps;
	const io: AppIo = new Server(httpServer, {
		path: '/socket.io',
		serveClient: false,
		perMessageDeflate: false,
		maxHttpBufferSize: 64 * 1024,
		transports: deps.polling === false ? ['websocket'] : ['polling', 'websocket'],
		...(deps.broker ? { adapter: deps.broker.adapter } : {}),
		allowRequest: (req, callback) => callback(null, originAllowed(req, deps.origin))
	});

	io.use(async (socket, next) => {
		try {
			const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
			const session = await validateSession(ctx, cookies[SESSION_COOKIE]);
			if (session) {
				socket.data.actor = actorOf(session.user);
				socket.data.sessionId = session.sessionId;
				socket.join([`session:${session.sessionId}`, `user:${session.user.id}`]);
			} else {
				const token = (socket.handshake.auth as { displayToken?: unknown })?.displayToken;
				socket.data.actor = typeof token === 'string' ? await actorFromDisplayToken(ctx, token) : anonymous;
				socket.data.sessionId = null;
				if (socket.data.actor.kind === 'display') socket.join(`device:${socket.data.actor.displayId}`);
			}
			next();
		} catch (error) {
			ctx.log.warn({ err: error }, 'socket handshake failed');
			next(new Error('unavailable'));
		}
	});

	const broadcaster = new Broadcaster(io);
	const presence = startRoomPresence(io, ctx, broadcaster, { shared: Boolean(deps.broker), everyMs: deps.presenceEveryMs });
	const rooms = new RoomBatcher((topic, batch, countersOnly) =>
		countersOnly ? broadcaster.emitUnhurried(topic, 'event:batch', batch) : broadcaster.emit(topic, 'event:batch', batch)
	);
	const signalling = createSignalling(io, ctx, { maxViewers: deps.webrtcMaxViewers ?? config.webrtcMaxViewers, answer });

	io.on('connection', (socket: AppSocket) => {
		socket.on('topic:subscribe', (request, ack) =>
			answer(ack, async () => subscribe(socket, request))
		);
		socket.on('topic:unsubscribe', (request, ack) =>
			answer(ack, async () => {
				const parsed = unsubscribeInput.safeParse(request);
				if (!parsed.success) throw fromZod(parsed.error);
				await socket.leave(parsed.data.topic);
				signalling.left(socket, parsed.data.topic);
				return { topic: parsed.data.topic };
			})
		);
		socket.on('command', (request, ack) =>
			answer(ack, async () => {
				const name = typeof request?.name === 'string' ? request.name : '';
				const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
				if (!command) throw new ServiceError('invalid', 'unknown_command', `Unknown command "${name.slice(0, 40)}"`, { name: 'unknown' });
				await takeSocketCommand(socket.id, name);
				return command(ctx, socket.data.actor, request.input);
			})
		);
		signalling.attach(socket);
	});

	async function subscribe(socket: AppSocket, request: unknown): Promise<SubscribeResult> {
		const parsed = subscribeInput.safeParse(request);
		if (!parsed.success) throw fromZod(parsed.error);
		const t = parseTopic(parsed.data.topic);
		if (!t) throw new ServiceError('invalid', 'unknown_topic', 'Unknown topic', { topic: 'unknown' });
		const name = parsed.data.topic;
		await authorizeTopic(ctx, socket.data.actor, t);
		// Join first and note the relay's position in the same tick: every event up to it was published
		// before the join (so it comes from the log), every later one reaches this socket live.
		await socket.join(name);
		const joinedAt = relay.cursor;
		const cursor = parsed.data.cursor;
		if (cursor != null && joinedAt - cursor <= deps.replayWindow && (await replayable(cursor))) {
			const missed = cursor >= joinedAt ? [] : await ctx.db
				.select()
				.from(events)
				.where(and(gt(events.id, cursor), lte(events.id, joinedAt), arrayContains(events.topics, [name])))
				.orderBy(asc(events.id));
			return {
				topic: name,
				mode: 'replay',
				cursor: Math.max(cursor, joinedAt),
				events: missed.map((row) => ({
					id: row.id,
					type: row.type,
					topics: row.topics,
					payload: row.payload as Record<string, unknown>,
					at: row.at.toISOString(),
					prev: {}
				}))
			};
		}
		const { cursor: at, snapshot } = await takeSnapshot(ctx, t, { viewers: presence.viewers });
		return { topic: name, mode: 'snapshot', cursor: at, snapshot };
	}

	/** A cursor below the oldest retained event may have lost events to pruning: snapshot instead. */
	async function replayable(cursor: number) {
		const [oldest] = await ctx.db.select({ id: events.id }).from(events).orderBy(asc(events.id)).limit(1);
		return !oldest || cursor >= oldest.id - 1;
	}

	async function answer<T>(ack: unknown, work: () => Promise<T>) {
		const reply = typeof ack === 'function' ? (ack as (a: unknown) => void) : () => {};
		try {
			reply({ ok: true, data: await work() });
		} catch (error) {
			const known = asServiceError(error);
			if (!known) ctx.log.error({ err: error }, 'socket command failed');
			reply({ ok: false, error: (known ?? new ServiceError('unavailable', 'internal_error', 'Something went wrong; nothing was saved')).toBody() });
		}
	}

	return {
		io,
		presence,
		publish(event) {
			// To this process's sockets only (the broadcaster's writes are local, in slices: broadcast.ts):
			// every process runs its own relay over the shared log, so a cross-process broadcast here would
			// deliver each event once per process.
			if (!event.topics.some(isRoomTopic)) broadcaster.emitToFeeds(event.topics, 'event:published', event);
			else {
				// A live room's sockets get its events in batches (room-batch.ts); the event's other topics
				// get it as any event, without the room topic (a socket in both hears it once per feed).
				const others = event.topics.filter((t) => !isRoomTopic(t));
				if (others.length) {
					const prev = Object.fromEntries(Object.entries(event.prev).filter(([t]) => !isRoomTopic(t)));
					broadcaster.emitToFeeds(others, 'event:published', { ...event, topics: others, prev });
				}
				for (const t of event.topics) if (isRoomTopic(t)) rooms.add(t, event);
			}
			signalling.published(event);
			// A revoked screen is ended by every process for its own sockets: the event reaches them all.
			if (event.type === 'display.revoked') {
				const room = `device:${(event.payload as { displayId: number }).displayId}`;
				io.local.in(room).emit('session:ended', { reason: 'display_revoked' });
				io.local.in(room).disconnectSockets(true);
			}
		},
		endSession(sessionId, reason) {
			io.in(`session:${sessionId}`).emit('session:ended', { reason });
			io.in(`session:${sessionId}`).disconnectSockets(true);
		},
		endUser(userId, reason) {
			io.in(`user:${userId}`).emit('session:ended', { reason });
			io.in(`user:${userId}`).disconnectSockets(true);
		},
		close: () => {
			presence.stop();
			rooms.close();
			return new Promise<void>((resolve) => io.close(() => resolve()));
		}
	};
}
