/**
 * The scale bench's lean client against a real socket.io server: it must be a client the server serves
 * like any other (handshake, acks, events, heartbeats, long frames, being disconnected), or the bench
 * measures something else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLean, type LeanSocket } from '../bench/lean-socket';
import { sharedDecode } from '../bench/shared-decode';
import { until } from '../helpers/clients';

describe('lean bench socket', () => {
	let io: Server;
	let url: string;
	const open: LeanSocket[] = [];

	beforeAll(async () => {
		const http = createServer();
		// Heartbeats every 100 ms: a client that does not answer them is closed within 150 ms more.
		io = new Server(http, {
			serveClient: false,
			transports: ['websocket'],
			pingInterval: 100,
			pingTimeout: 150,
			allowRequest: (req, callback) => callback(null, req.headers.origin !== 'http://foreign.example')
		});
		io.on('connection', (socket) => {
			socket.on('topic:subscribe', async (request: { topic: string }, ack: (answer: unknown) => void) => {
				await socket.join(request.topic);
				ack({ ok: true, data: { topic: request.topic } });
			});
		});
		await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		for (const s of open) s.close();
		await new Promise<void>((resolve) => io.close(() => resolve()));
	});

	const connect = async (origin = url) => {
		const socket = await connectLean(url, { origin, timeoutMs: 5000, parser: sharedDecode });
		open.push(socket);
		return socket;
	};

	it('connects, gets acks and events (a long one too), and stays connected through heartbeats', async () => {
		const socket = await connect();
		expect(await socket.timeout(2000).emitWithAck('topic:subscribe', { topic: 'jobs' })).toEqual({ ok: true, data: { topic: 'jobs' } });
		const got: unknown[] = [];
		socket.on('event:published', (event: unknown) => got.push(event));
		const long = { id: 2, title: '岗位'.repeat(40_000) };
		io.to('jobs').emit('event:published', { id: 1 });
		io.to('jobs').emit('event:published', long);
		await until(() => got.length === 2, 2000, 'two events');
		expect(got).toEqual([{ id: 1 }, long]);
		// Several heartbeats later it is still there.
		let dropped = false;
		socket.on('disconnect', () => (dropped = true));
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(dropped).toBe(false);
		expect(io.of('/').sockets.size).toBeGreaterThanOrEqual(1);
	});

	it('reports being disconnected by the server, with its reason', async () => {
		const socket = await connect();
		const reason = new Promise((resolve) => socket.on('disconnect', (r: string) => resolve(r)));
		io.disconnectSockets(true);
		expect(await reason).toBe('io server disconnect');
	});

	it('rejects when the handshake is refused', async () => {
		await expect(connect('http://foreign.example')).rejects.toThrow(/handshake refused|transport close/);
	});
});
