/**
 * The process-wide runtime: one database handle, one relay, one socket.io server per process, and with
 * REDIS_URL the broker its socket.io adapter shares presence and signalling through.
 *
 * Held on globalThis because the same modules can be instantiated twice in one process (the Vite plugin
 * loads the realtime module beside SvelteKit's own graph, and the production server reaches SvelteKit's
 * bundle through hooks): two PGlite instances on one data directory would corrupt it.
 */
import type { Server as HttpServer } from 'node:http';
import { config } from './config';
import { type AppContext, createAppContext } from './context';
import { type Database, openDatabase } from './db';
import { migrate } from './db/migrate';
import { log } from './log';
import { observeProcess } from './metrics/registry';
import type { Duties } from './processes/duties';
import { startHeartbeat } from './processes/heartbeat';
import { processIdentity } from './processes/identity';
import { type Broker, openBroker, redactRedisUrl } from './realtime/broker';
import { Relay } from './realtime/relay';
import { type Realtime, createRealtime } from './realtime/server';

export interface Runtime {
	database: Database;
	ctx: AppContext;
	relay: Relay;
	realtime: Realtime | null;
	broker: Broker | null;
	/** Who runs the background duties (set by background.ts). */
	duties: Duties | null;
	stopHooks: Array<() => Promise<void> | void>;
}

const KEY = Symbol.for('jobcircle.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
	const holder = globalThis as Holder;
	holder[KEY] ??= boot().catch((error) => {
		delete holder[KEY];
		throw error;
	});
	return holder[KEY];
}

/** The runtime if it has booted; for code that must not boot it (shutdown). */
export function peekRuntime(): Promise<Runtime> | undefined {
	return (globalThis as Holder)[KEY];
}

async function boot(): Promise<Runtime> {
	const me = processIdentity();
	// Named per process, so /metrics can count this process's connections in pg_stat_activity.
	const applicationName = `jobcircle ${me.id}`.slice(0, 63);
	const database = await openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: config.dbPoolMax, applicationName });
	log.info({ database: database.describe, process: me.id }, 'database opened');
	await migrate(database);

	// The relay publishes through whatever realtime server gets attached later (none in a bare runtime).
	const relay = new Relay(database, (event) => runtime.realtime?.publish(event), { log, pollMs: config.relayPollMs });
	const broker = config.redisUrl ? openBroker(config.redisUrl, { prefix: config.redisPrefix, log }) : null;
	if (broker) log.info({ redis: redactRedisUrl(config.redisUrl!) }, 'socket.io adapter on Redis');
	const runtime: Runtime = { database, ctx: createAppContext(database, { log, relay }), relay, realtime: null, broker, duties: null, stopHooks: [] };
	try {
		observeProcess({
			database,
			relay,
			realtime: () => runtime.realtime,
			broker,
			applicationName: database.kind === 'postgres' ? applicationName : undefined,
			poolMax: config.dbPoolMax
		});
		await relay.start();

		const heartbeat = startHeartbeat(runtime.ctx, me, () => ({
			relay,
			sockets: runtime.realtime?.io.engine.clientsCount ?? 0,
			broker: broker ? broker.state : 'off',
			duties: runtime.duties?.held ?? false
		}));
		runtime.stopHooks.push(heartbeat.stop);

		const { startBackground } = await import('./background');
		await startBackground(runtime);
	} catch (error) {
		// The next getRuntime() boots again: leave nothing of this attempt running (or holding the data directory).
		for (const stop of runtime.stopHooks.reverse()) await Promise.resolve(stop()).catch(() => {});
		await relay.stop().catch(() => {});
		broker?.close();
		await database.close().catch(() => {});
		throw error;
	}
	return runtime;
}

/** Attach socket.io to an HTTP server; idempotent per server. */
export async function attachRealtime(httpServer: HttpServer): Promise<Realtime> {
	const runtime = await getRuntime();
	if (runtime.realtime) return runtime.realtime;
	runtime.realtime = createRealtime(httpServer, {
		ctx: runtime.ctx,
		relay: runtime.relay,
		origin: config.origin,
		replayWindow: config.replayWindow,
		broker: runtime.broker,
		polling: config.socketPolling
	});
	log.info('realtime attached');
	return runtime.realtime;
}

export async function stopRuntime() {
	const pending = peekRuntime();
	if (!pending) return;
	const runtime = await pending;
	for (const stop of runtime.stopHooks.reverse()) await stop();
	await runtime.relay.stop();
	await runtime.realtime?.close();
	runtime.broker?.close();
	await runtime.database.close();
	delete (globalThis as Holder)[KEY];
}
