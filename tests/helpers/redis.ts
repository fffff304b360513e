/**
 * Real Redis for tests of the socket.io adapter: TEST_REDIS_URL, REDIS_URL, or the local default. Each test
 * file uses its own channel prefix, so runs side by side (and other checkouts) never hear each other.
 * `RedisGate` is a TCP pass-through in front of it that a test can close and reopen: Redis "going away"
 * and "coming back" without touching the shared server.
 */
import { randomBytes } from 'node:crypto';
import { type Server, type Socket, connect, createServer } from 'node:net';

export const redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export function redisPrefix(name: string) {
	return `jc-test-${name}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Whether Redis answers PING within a second (tests that need it are skipped outside CI without it). */
export function redisReachable(url = redisUrl): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = connect(Number(port || 6379), hostname);
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
	});
}

export class RedisGate {
	#server: Server | null = null;
	#sockets = new Set<Socket>();
	port = 0;

	constructor(private readonly upstream = redisUrl) {}

	get url() {
		return `redis://127.0.0.1:${this.port}`;
	}

	/** Let connections through (on the same port as before, after a `close`). */
	async open() {
		const { hostname, port } = new URL(this.upstream);
		const server = createServer((client) => {
			const upstream = connect(Number(port || 6379), hostname);
			for (const s of [client, upstream]) {
				this.#sockets.add(s);
				s.on('close', () => this.#sockets.delete(s));
				s.on('error', () => {
					client.destroy();
					upstream.destroy();
				});
			}
			client.pipe(upstream).pipe(client);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		this.port = (server.address() as { port: number }).port;
		this.#server = server;
	}

	/** Redis goes away: every connection through the gate drops and new ones are refused. */
	async close() {
		const server = this.#server;
		this.#server = null;
		for (const s of this.#sockets) s.destroy();
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
