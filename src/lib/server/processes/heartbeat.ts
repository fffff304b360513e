/**
 * Every app process writes its row in `app_processes` every HEARTBEAT_EVERY_MS: its relay position and lag,
 * its sockets, its broker, whether it holds the background duties. The administrator's system-health panel
 * (queries/health.ts) reads the rows: a process is alive while its heartbeat is younger than ALIVE_WITHIN_S.
 * The database's clock stamps `seen_at`, so hosts need not agree on the time. A clean stop removes the row;
 * a crashed process stays listed as silent until `pruneProcesses` (a background duty) forgets it.
 */
import { desc, eq, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { appProcesses, events } from '../db/schema';
import type { ProcessIdentity } from './identity';

export const HEARTBEAT_EVERY_MS = 5000;
/** Three missed heartbeats: the process is reported silent. */
export const ALIVE_WITHIN_S = 15;
/** A silent process's row is forgotten after an hour (long enough to notice it died). */
const FORGET_AFTER_MS = 60 * 60 * 1000;
const INT_MAX = 2 ** 31 - 1;

export interface ProcessState {
	relay: { readonly cursor: number; lagMs(): Promise<number> };
	sockets: number;
	broker: 'off' | 'up' | 'down';
	duties: boolean;
}

export function startHeartbeat(ctx: AppContext, me: ProcessIdentity, state: () => ProcessState, everyMs = HEARTBEAT_EVERY_MS) {
	let busy: Promise<void> | null = null;
	let failing = false;
	const beat = async () => {
		const now = state();
		const { relay } = now;
		// The head first, the cursor after it: "behind" never counts an event committed in between.
		const head = await ctx.db
			.select({ id: events.id })
			.from(events)
			.orderBy(desc(events.id))
			.limit(1)
			.then(([last]) => last?.id ?? 0);
		const cursor = relay.cursor;
		const lag = await relay.lagMs().catch(() => null);
		const row = {
			relayCursor: cursor,
			relayBehind: Math.min(INT_MAX, Math.max(0, head - cursor)),
			relayLagMs: lag === null ? null : Math.min(INT_MAX, Math.round(lag)),
			sockets: now.sockets,
			broker: now.broker,
			duties: now.duties,
			seenAt: sql`now()`
		};
		await ctx.db
			.insert(appProcesses)
			.values({ id: me.id, host: me.host, pid: me.pid, worker: me.worker, startedAt: me.startedAt, ...row })
			.onConflictDoUpdate({ target: appProcesses.id, set: row });
	};
	const run = () => {
		if (busy) return;
		busy = beat()
			.then(() => {
				if (failing) ctx.log.info('heartbeat: recorded again');
				failing = false;
			})
			.catch((error) => {
				if (!failing) ctx.log.warn({ err: error }, 'heartbeat: not recorded');
				failing = true;
			})
			.finally(() => (busy = null));
	};
	run();
	const timer = setInterval(run, everyMs);
	timer.unref?.();
	return {
		/** Write one now (tests, and right after the duties move). */
		beat: async () => {
			await busy;
			run();
			await busy;
		},
		async stop() {
			clearInterval(timer);
			await busy;
			await ctx.db
				.delete(appProcesses)
				.where(eq(appProcesses.id, me.id))
				.catch(() => {});
		}
	};
}

export async function pruneProcesses(ctx: AppContext) {
	await ctx.db.delete(appProcesses).where(lt(appProcesses.seenAt, new Date(ctx.now().getTime() - FORGET_AFTER_MS)));
}
