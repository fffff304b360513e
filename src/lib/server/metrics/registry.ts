/**
 * What /metrics reports (Prometheus text format), one registry per process, every series labelled with
 * the process (processes/identity.ts) so several processes never blur into one. Counters and histograms
 * are fed where things happen (the relay, apply); gauges are read when scraped from the runtime this
 * process registered (`observeProcess`). Figures only: no user, seeker, room title or token ever appears.
 *
 * Held on globalThis: the realtime module can be instantiated twice in one process (see runtime.ts), and
 * prom-client refuses a metric registered twice.
 */
import cluster from 'node:cluster';
import { desc, sql } from 'drizzle-orm';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LiveEvent } from '$lib/realtime/protocol';
import { version } from '../../../../package.json';
import type { Database } from '../db';
import { asServiceError } from '../errors';
import { events } from '../db/schema';
import { processIdentity } from '../processes/identity';
import type { Broker } from '../realtime/broker';
import type { Relay } from '../realtime/relay';
import type { Realtime } from '../realtime/server';

/** What the gauges read at scrape time: the process's runtime. */
export interface ProcessSources {
	database: Database;
	relay: Relay;
	realtime: () => Realtime | null;
	broker: Broker | null;
	/** PostgreSQL application_name of this process's connections (pg_stat_activity), when on PostgreSQL. */
	applicationName?: string;
	poolMax: number;
}

export interface Metrics {
	registry: Registry;
	eventsRelayed: Counter;
	relayDelay: Histogram;
	applyDuration: Histogram<'outcome'>;
	/** Sources for the scrape-time gauges; null until the runtime registers (tests, bare scripts). */
	sources: ProcessSources | null;
}

const KEY = Symbol.for('jobcircle.metrics');
type Holder = { [KEY]?: Metrics };

export function metrics(): Metrics {
	const holder = globalThis as Holder;
	return (holder[KEY] ??= createMetrics());
}

/** The runtime says where its relay, sockets and database are, once it has booted. */
export function observeProcess(sources: ProcessSources) {
	const m = metrics();
	// A boot that failed half-way is retried: the new runtime replaces the old one's sources.
	m.sources = sources;
	if (sources.broker && !m.registry.getSingleMetric('jobcircle_broker_up')) brokerMetrics(m);
	if (sources.applicationName && !m.registry.getSingleMetric('jobcircle_db_connections')) poolMetrics(m);
	sources.relay.onEvent((event: LiveEvent) => {
		m.eventsRelayed.inc();
		// From the event's transaction time (`at`, the database clock) to this process handing it to its sockets.
		m.relayDelay.observe(Math.max(0, Date.now() - Date.parse(event.at)) / 1000);
	});
}

function createMetrics(): Metrics {
	const registry = new Registry();
	const me = processIdentity();
	registry.setDefaultLabels({ process: me.id });
	// Event-loop lag (perf_hooks monitorEventLoopDelay: nodejs_eventloop_lag_*), heap, CPU, handles.
	collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
	// In a worker of APP_PROCESSES the primary gathers every worker's registry for one scrape (server.js):
	// constructing an AggregatorRegistry installs prom-client's answer to the primary's requests.
	if (cluster.isWorker) {
		new AggregatorRegistry();
		AggregatorRegistry.setRegistries([registry]);
	}

	const m: Metrics = {
		registry,
		sources: null,
		eventsRelayed: new Counter({ name: 'jobcircle_events_relayed_total', help: 'Events this process read from the log and handed to its sockets', registers: [registry] }),
		relayDelay: new Histogram({
			name: 'jobcircle_relay_delay_seconds',
			help: "From an event's transaction time (events.at) to this process emitting it",
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers: [registry]
		}),
		applyDuration: new Histogram({
			name: 'jobcircle_apply_duration_seconds',
			help: 'Time to answer an application (apply), by outcome: ok, refused (a 4xx answer), failed',
			labelNames: ['outcome'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers: [registry]
		})
	};

	new Gauge({
		name: 'jobcircle_process_info',
		help: 'This app process (always 1): host, pid, APP_WORKER slot, version',
		labelNames: ['host', 'pid', 'worker', 'version'],
		registers: [registry],
		collect() {
			this.set({ host: me.host, pid: String(me.pid), worker: me.worker === null ? '' : String(me.worker), version }, 1);
		}
	});
	new Gauge({
		name: 'jobcircle_sockets_connected',
		help: 'socket.io sockets connected to this process, per namespace',
		labelNames: ['namespace'],
		registers: [registry],
		collect() {
			this.reset();
			const io = m.sources?.realtime()?.io;
			if (!io) return;
			for (const [name, nsp] of io._nsps) this.set({ namespace: name }, nsp.sockets.size);
		}
	});
	new Gauge({
		name: 'jobcircle_relay_behind_events',
		help: "Events committed to the log that this process's relay has not emitted yet",
		registers: [registry],
		async collect() {
			const s = m.sources;
			if (!s) return;
			const head = await fromDatabase(async () => (await s.database.db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1))[0]?.id ?? 0);
			// NaN, not 0, when the log cannot be read: unknown is not "caught up".
			this.set(head === null ? NaN : Math.max(0, head - s.relay.cursor));
		}
	});
	new Gauge({
		name: 'jobcircle_relay_lag_seconds',
		help: 'How long the oldest event this process has not emitted yet has been waiting (0 when caught up)',
		registers: [registry],
		async collect() {
			const relay = m.sources?.relay;
			if (!relay) return;
			const lag = await fromDatabase(() => relay.lagMs());
			this.set(lag === null ? NaN : lag / 1000);
		}
	});
	new Gauge({
		name: 'jobcircle_relay_cursor',
		help: 'Highest event id this process has emitted',
		registers: [registry],
		collect() {
			if (m.sources) this.set(m.sources.relay.cursor);
		}
	});
	new Gauge({
		name: 'jobcircle_relay_healthy',
		help: '1 when the last read of the event log succeeded, 0 while the relay is retrying',
		registers: [registry],
		collect() {
			if (m.sources) this.set(m.sources.relay.healthy ? 1 : 0);
		}
	});
	new Gauge({
		name: 'jobcircle_presence_processes',
		help: 'App processes whose viewer counts this process adds up (itself included)',
		registers: [registry],
		collect() {
			const presence = m.sources?.realtime()?.presence;
			if (presence) this.set(presence.processes);
		}
	});
	return m;
}

/** Only with REDIS_URL: without a broker there is nothing to report (not a broker that is down). */
function brokerMetrics(m: Metrics) {
	new Gauge({
		name: 'jobcircle_broker_up',
		help: "1 while the socket.io adapter's Redis is connected, 0 while it is away (absent without REDIS_URL)",
		registers: [m.registry],
		collect() {
			const broker = m.sources?.broker;
			if (broker) this.set(broker.state === 'up' ? 1 : 0);
		}
	});
	new Counter({
		name: 'jobcircle_broker_dropped_total',
		help: 'Cross-process socket.io messages dropped because Redis was away (presence shares, signalling)',
		registers: [m.registry],
		collect() {
			this.reset();
			this.inc(m.sources?.broker?.dropped ?? 0);
		}
	});
}

/** Only on PostgreSQL (PGlite has no pool); counted in pg_stat_activity by this process's application_name. */
function poolMetrics(m: Metrics) {
	new Gauge({
		name: 'jobcircle_db_pool_max',
		help: 'PostgreSQL connections this process may open (DB_POOL_MAX)',
		registers: [m.registry],
		collect() {
			if (m.sources) this.set(m.sources.poolMax);
		}
	});
	new Gauge({
		name: 'jobcircle_db_connections',
		help: "This process's PostgreSQL connections by state (pg_stat_activity; the scrape's own query is one active)",
		labelNames: ['state'],
		registers: [m.registry],
		async collect() {
			this.reset();
			const s = m.sources;
			const name = s?.applicationName;
			if (!s || !name) return;
			const rows = await fromDatabase(
				async () =>
					(await s.database.db.execute(
						sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where application_name = ${name} group by 1`
					)) as unknown as { state: string; n: number }[]
			);
			if (!rows) return;
			for (const state of ['active', 'idle', 'idle in transaction']) this.set({ state }, 0);
			for (const row of rows) this.set({ state: row.state }, row.n);
		}
	});
}

/**
 * A scrape-time read from the database, bounded: a slow or absent database leaves that gauge out of the
 * scrape (null) instead of failing or stalling the whole scrape.
 */
async function fromDatabase<T>(read: () => Promise<T>, ms = 2000): Promise<T | null> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<null>((resolve) => {
		timer = setTimeout(() => resolve(null), ms);
	});
	try {
		return await Promise.race([read(), timeout]);
	} catch {
		return null;
	} finally {
		clearTimeout(timer);
	}
}

/** Time a service call into a histogram by outcome; the call itself is unchanged. */
export function timedApply<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
	return async (...args) => {
		const end = metrics().applyDuration.startTimer();
		try {
			const result = await work(...args);
			end({ outcome: 'ok' });
			return result;
		} catch (error) {
			const known = asServiceError(error);
			end({ outcome: known && known.status < 500 ? 'refused' : 'failed' });
			throw error;
		}
	};
}
