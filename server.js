// Production server: adapter-node's handler inside our own HTTP server, so socket.io shares the port.
// Honours PORT, HOST and ORIGIN (read by adapter-node and by the realtime handshake) and shuts down
// gracefully on SIGTERM / SIGINT. With APP_PROCESSES=N (N > 1) this process only supervises N app
// processes sharing the port (processes.js); each of them runs the code below.
import cluster from 'node:cluster';
import http from 'node:http';
import { register } from 'node:module';

// Before the app (and postgres.js) loads: keep a dying database connection from taking the process down.
register('./postgres-guard.js', import.meta.url);

const appProcesses = Number(process.env.APP_PROCESSES || 1);
if (!Number.isInteger(appProcesses) || appProcesses < 1) {
	console.error(`APP_PROCESSES must be a whole number of processes, got "${process.env.APP_PROCESSES}"`);
	process.exit(1);
}
if (cluster.isPrimary && appProcesses > 1) {
	const { runProcesses } = await import('./processes.js');
	await runProcesses(appProcesses);
} else {
	await serve();
}

async function serve() {
	// Without ORIGIN, adapter-node takes the protocol from PROTOCOL_HEADER and otherwise assumes https, which
	// makes SvelteKit refuse every form POST over plain http (`npm start` on a laptop) as cross-site. So when
	// no ORIGIN is configured, each request carries its connection's real protocol in a header we overwrite
	// (never trusting what a client sent). Behind a TLS proxy, set ORIGIN instead.
	const ownProtocolHeader = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (ownProtocolHeader) process.env.PROTOCOL_HEADER = 'x-jobcircle-proto';
	// Position imports upload files of up to 10 MB (10,000 rows are about 1.5 MB); adapter-node refuses request
	// bodies over 512 kB unless told otherwise. An operator's own BODY_SIZE_LIMIT still wins.
	process.env.BODY_SIZE_LIMIT ??= '12M';
	const { handler } = await import('./build/handler.js');

	// Importing the handler ran SvelteKit's init (hooks.server `init`), which booted the runtime and
	// registered the one function that attaches socket.io.
	const attach = globalThis[Symbol.for('jobcircle.attach')];
	const shutdown = globalThis[Symbol.for('jobcircle.shutdown')];

	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	const server = http.createServer((req, res) => {
		if (ownProtocolHeader) req.headers['x-jobcircle-proto'] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
		handler(req, res);
	});
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
}
