// Production server: adapter-node's handler inside our own HTTP server, so socket.io shares the port.
// Honours PORT, HOST and ORIGIN (read by adapter-node and by the realtime handshake) and shuts down
// gracefully on SIGTERM / SIGINT.
import http from 'node:http';
import { handler } from './build/handler.js';

// Importing the handler ran SvelteKit's init (hooks.server `init`), which booted the runtime and
// registered the one function that attaches socket.io.
const attach = globalThis[Symbol.for('jobcircle.attach')];
const shutdown = globalThis[Symbol.for('jobcircle.shutdown')];

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const server = http.createServer(handler);
await attach(server);

server.listen(port, host, () => {
	const shown = host === '0.0.0.0' ? 'localhost' : host;
	console.log(`Jobcircle listening on ${process.env.ORIGIN ?? `http://${shown}:${port}`}`);
});

let stopping = false;
async function stop(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`${signal}: shutting down`);
	const force = setTimeout(() => process.exit(1), 10_000);
	force.unref();
	server.close();
	server.closeAllConnections?.();
	await shutdown?.();
	process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
