// APP_PROCESSES=N (N > 1): server.js becomes a small primary that runs N app processes on one port with
// node:cluster, restarts one that dies, forwards SIGTERM / SIGINT, and gathers /metrics from all of them.
//
// The primary hands each new TCP connection to the next process in turn. A WebSocket lives on one
// connection, so it stays with one process; socket.io's HTTP long-polling is a series of requests that
// would land on different processes, so the processes serve WebSocket only (SOCKET_POLLING=off). Browsers
// start with WebSocket anyway. State and events live in PostgreSQL (every process relays the whole log);
// presence and signalling cross processes through Redis: both are required.
import cluster from 'node:cluster';

/** @param {number} count */
export async function runProcesses(count) {
	const env = process.env;
	if (!env.DATABASE_URL || !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
		console.error(`APP_PROCESSES=${count} needs DATABASE_URL=postgres://… (the embedded database belongs to one process)`);
		process.exit(1);
	}
	if (!env.REDIS_URL) {
		console.error(`APP_PROCESSES=${count} needs REDIS_URL=redis://… (viewer counts and signalling cross processes through it)`);
		process.exit(1);
	}
	if (env.SOCKET_POLLING === 'on') console.warn('SOCKET_POLLING=on ignored: processes sharing one port are not sticky, so sockets use WebSocket only');

	/** worker.id → its slot (APP_WORKER, 1…N, kept across restarts) and when it started */
	const slots = new Map();
	/** slot → quick exits in a row, for back-off when a process keeps failing at start */
	const failures = new Map();
	let stopping = false;

	/** @param {number} slot */
	const fork = (slot) => {
		const worker = cluster.fork({ APP_WORKER: String(slot), SOCKET_POLLING: 'off' });
		slots.set(worker.id, { slot, startedAt: Date.now() });
	};

	cluster.on('exit', (worker, code, signal) => {
		const entry = slots.get(worker.id);
		slots.delete(worker.id);
		if (stopping) {
			if (slots.size === 0) process.exit(0);
			return;
		}
		if (!entry) return;
		const quick = Date.now() - entry.startedAt < 10_000;
		const inARow = quick ? (failures.get(entry.slot) ?? 0) + 1 : 0;
		failures.set(entry.slot, inARow);
		const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, inARow - 1));
		console.error(`app process ${entry.slot} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
		setTimeout(() => {
			if (!stopping) fork(entry.slot);
		}, delay);
	});

	// One scrape of /metrics reaches one process; it asks here, and prom-client gathers every process's
	// registry (each series carries its `process` label, so nothing is summed away).
	const { AggregatorRegistry } = await import('prom-client');
	const aggregator = new AggregatorRegistry();
	cluster.on('message', (worker, message) => {
		if (message?.type !== 'jobcircle:metrics-request') return;
		const reply = (/** @type {{ text?: string, error?: string }} */ answer) => {
			if (worker.isConnected()) worker.send({ type: 'jobcircle:metrics', id: message.id, ...answer });
		};
		aggregator.clusterMetrics().then(
			(text) => reply({ text }),
			(error) => reply({ error: String(error?.message ?? error) })
		);
	});

	/** @param {string} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping ${slots.size} app processes`);
		const force = setTimeout(() => process.exit(1), 15_000);
		force.unref();
		if (slots.size === 0) process.exit(0);
		for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));

	console.log(`Jobcircle: ${count} app processes on port ${env.PORT ?? 3000} (WebSocket only; Redis for presence)`);
	for (let slot = 1; slot <= count; slot++) fork(slot);
}
