/**
 * The process-wide runtime: one database handle, one relay, one socket.io server per process.
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
import { Relay } from './realtime/relay';
import { type Realtime, createRealtime } from './realtime/server';

export interface Runtime {
	database: Database;
	ctx: AppContext;
	relay: Relay;
	realtime: Realtime | null;
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
	const database = await openDatabase({ url: config.databaseUrl, pgliteDir: config.pgliteDir, poolMax: config.dbPoolMax });
	log.info({ database: database.describe }, 'database opened');
	await migrate(database);

	// The relay publishes through whatever realtime server gets attached later (none in a bare runtime).
	const relay = new Relay(database, (event) => runtime.realtime?.publish(event), { log, pollMs: config.relayPollMs });
	const runtime: Runtime = { database, ctx: createAppContext(database, { log, relay }), relay, realtime: null, stopHooks: [] };
	await relay.start();

	const { startBackground } = await import('./background');
	await startBackground(runtime);
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
		replayWindow: config.replayWindow
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
	await runtime.database.close();
	delete (globalThis as Holder)[KEY];
}
