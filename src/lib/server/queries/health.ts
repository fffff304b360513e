/**
 * System health for administrators (/ops): the app processes from their heartbeats (processes/heartbeat.ts)
 * and how far each one's relay is behind the head of the event log. Supervisors do not see it: it is about
 * the machines, not the stations.
 */
import { asc, desc, sql } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { appProcesses, events } from '../db/schema';
import { forbidden } from '../errors';
import { ALIVE_WITHIN_S } from '../processes/heartbeat';

export interface ProcessHealth {
	id: string;
	host: string;
	pid: number;
	worker: number | null;
	startedAt: string;
	/** Seconds since its last heartbeat. */
	silentS: number;
	alive: boolean;
	relayCursor: number;
	/** Events in the log its relay had not emitted, at its last heartbeat (null: it could not read the log). */
	relayBehind: number | null;
	/** How long the oldest of them had waited. */
	relayLagMs: number | null;
	sockets: number;
	broker: 'off' | 'up' | 'down';
	duties: boolean;
}

export interface SystemHealth {
	/** The newest event id in the log. */
	head: number;
	aliveWithinS: number;
	processes: ProcessHealth[];
}

export async function systemHealth(ctx: AppContext, actor: Actor): Promise<SystemHealth> {
	if (actor.kind !== 'admin') throw forbidden();
	const [[last], rows] = await Promise.all([
		ctx.db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1),
		ctx.db
			.select({
				id: appProcesses.id,
				host: appProcesses.host,
				pid: appProcesses.pid,
				worker: appProcesses.worker,
				startedAt: appProcesses.startedAt,
				// The database's clock on both sides: no skew between hosts.
				silentS: sql<number>`extract(epoch from now() - ${appProcesses.seenAt})::float8`,
				relayCursor: appProcesses.relayCursor,
				relayBehind: appProcesses.relayBehind,
				relayLagMs: appProcesses.relayLagMs,
				sockets: appProcesses.sockets,
				broker: appProcesses.broker,
				duties: appProcesses.duties
			})
			.from(appProcesses)
			.orderBy(asc(appProcesses.worker), asc(appProcesses.startedAt))
			.limit(200)
	]);
	const head = last?.id ?? 0;
	return {
		head,
		aliveWithinS: ALIVE_WITHIN_S,
		processes: rows.map((r) => {
			const silentS = Math.max(0, Number(r.silentS));
			return {
				...r,
				startedAt: r.startedAt.toISOString(),
				silentS: Math.round(silentS),
				alive: silentS <= ALIVE_WITHIN_S
			};
		})
	};
}
