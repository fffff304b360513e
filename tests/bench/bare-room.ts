/**
 * The room suite's baseline server: a bare socket.io server with nothing behind it. A client joins a topic
 * with the same `topic:subscribe` the app answers (no snapshot, no database), and the host's `pin` is
 * broadcast at once to everyone in the topic: the very message the app sent its viewers for a pin (the
 * host passes the `event:batch` carrying a real `room.pinned` it received from the app), so the same bytes
 * go through the same client code. No log, no transaction, no relay: what remains is what any server pays
 * to tell 5,000 sockets something.
 *
 * Run as its own process like the app (`node --import tsx tests/bench/bare-room.ts`), with PORT and HOST.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer((_req, res) => res.writeHead(404).end());
// As the app's server (src/lib/server/realtime/server.ts): no per-message deflate, same buffer limit.
const io = new Server(http, { serveClient: false, perMessageDeflate: false, maxHttpBufferSize: 64 * 1024 });

io.on('connection', (socket) => {
	socket.on('topic:subscribe', async (request: { topic?: unknown }, ack: (a: unknown) => void) => {
		if (typeof request?.topic !== 'string') return ack({ ok: false, error: { code: 'invalid', reason: 'topic', message: 'topic' } });
		await socket.join(request.topic);
		ack({ ok: true, data: { topic: request.topic, mode: 'snapshot', cursor: 0, snapshot: null } });
	});
	socket.on('pin', (message: { topic: string }, ack: (a: unknown) => void) => {
		io.to(message.topic).emit('event:batch', message);
		ack({ ok: true, data: null });
	});
});

http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');

const stop = () => {
	io.close();
	process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
