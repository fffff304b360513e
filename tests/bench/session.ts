/**
 * How benchmark clients get in, as real ones do: a person signs in through the /login form and carries
 * the session cookie on every request and socket; a wall display carries its device token. Loopback only.
 */
import { type ManagerOptions, io, type Socket } from 'socket.io-client';

export interface Session {
	name: string;
	value: string;
}

/** Sign in through the /login form as a browser does (same-origin POST), and return the session cookie. */
export async function signIn(base: string, username: string, password: string): Promise<Session> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ username, password })
	});
	await res.body?.cancel();
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0].split('='))
		.find(([k]) => k === 'jc_session');
	if (res.status !== 303 || !cookie) throw new Error(`sign-in as ${username} answered ${res.status} without a session cookie`);
	return { name: cookie[0], value: cookie.slice(1).join('=') };
}

/**
 * A socket.io client on the app, as a signed-in person (session) or a wall display (device token), over
 * WebSocket only and without reconnection (a benchmark reports a dropped socket rather than hiding it).
 */
export function connectSocket(
	base: string,
	as: { session?: Session; displayToken?: string; timeoutMs?: number; parser?: ManagerOptions['parser'] } = {}
): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = io(base, {
			...(as.parser ? { parser: as.parser } : {}),
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			timeout: as.timeoutMs ?? 20_000,
			extraHeaders: { origin: base, ...(as.session ? { cookie: `${as.session.name}=${as.session.value}` } : {}) },
			auth: as.displayToken ? { displayToken: as.displayToken } : {}
		});
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error) => {
			socket.close();
			reject(error);
		});
	});
}

export type Answer<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; reason: string; message?: string } };

/** A `domain:verb` command with its acknowledgement (bounded wait). */
export function command<T = unknown>(socket: Socket, name: string, input: unknown, timeoutMs = 10_000): Promise<Answer<T>> {
	return socket.timeout(timeoutMs).emitWithAck('command', { name, input }) as Promise<Answer<T>>;
}

/** What `subscribe` needs of a socket: socket.io-client's, or a lean one (lean-socket.ts). */
export interface AckingSocket {
	timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

/** Subscribe to a topic; throws when refused. */
export async function subscribe(socket: AckingSocket, topic: string, timeoutMs = 20_000) {
	const ack = (await socket.timeout(timeoutMs).emitWithAck('topic:subscribe', { topic })) as Answer<{ cursor: number }>;
	if (!ack.ok) throw new Error(`subscribe ${topic} refused: ${ack.error.reason}`);
	return ack.data;
}
