/**
 * A real app core for integration tests: a test database, the relay, and socket.io attached to an HTTP
 * server on a random loopback port (socket.io's `createApplication(httpServer, deps)` pattern).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { LiveEvent } from '../../src/lib/realtime/protocol';
import { type AlertWatcher, watchAlertEvents } from '../../src/lib/server/alerts/engine';
import { type AppContext, createAppContext } from '../../src/lib/server/context';
import type { Broker } from '../../src/lib/server/realtime/broker';
import { Relay } from '../../src/lib/server/realtime/relay';
import { type Realtime, createRealtime } from '../../src/lib/server/realtime/server';
import { type TestDatabase, createTestDatabase } from './db';

export interface TestApp {
	db: TestDatabase;
	ctx: AppContext;
	relay: Relay;
	realtime: Realtime;
	http: HttpServer;
	url: string;
	/** The alert engine's event-driven half, when asked for (`alerts: true`); sweeps are called directly. */
	alerts: AlertWatcher | null;
	close(): Promise<void>;
}

export const testLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestContext {
	ctx: AppContext;
	relay: Relay;
	/** Where the relay hands events (the realtime server, once attached). */
	sink: { publish: (event: LiveEvent) => void };
}

export function createTestContext(db: TestDatabase): TestContext {
	const sink = { publish: (_event: LiveEvent) => {} };
	const relay = new Relay(db.database, (e) => sink.publish(e), { log: testLog, pollMs: 200 });
	const ctx = createAppContext(db.database, { log: testLog, relay });
	return { ctx, relay, sink };
}

export interface TestAppOptions {
	origin?: string;
	replayWindow?: number;
	/** Share a database with another test app (a second "process"); it is not dropped on close. */
	db?: TestDatabase;
	alerts?: boolean;
	/** The socket.io adapter's broker (Redis), for apps that act as several processes. */
	broker?: Broker;
	presenceEveryMs?: number;
	webrtcMaxViewers?: number;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
	const db = options.db ?? (await createTestDatabase());
	const { ctx, relay, sink } = createTestContext(db);
	const http = createServer();
	const realtime = createRealtime(http, {
		ctx,
		relay,
		origin: options.origin,
		replayWindow: options.replayWindow ?? 5000,
		broker: options.broker,
		presenceEveryMs: options.presenceEveryMs,
		webrtcMaxViewers: options.webrtcMaxViewers
	});
	sink.publish = realtime.publish;
	const alerts = options.alerts ? watchAlertEvents(ctx, relay) : null;
	await relay.start();
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const { port } = http.address() as AddressInfo;
	return {
		db,
		ctx,
		relay,
		realtime,
		http,
		url: `http://127.0.0.1:${port}`,
		alerts,
		async close() {
			alerts?.stop();
			await relay.stop();
			await realtime.close();
			if (!options.db) await db.drop();
		}
	};
}
