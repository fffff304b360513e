/**
 * Who this process is, for the heartbeat rows (/ops system health), the `process` label of /metrics and
 * the presence shares other processes hear. Held on globalThis: the realtime module can be loaded twice
 * in one process (see runtime.ts) and must not become two processes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface ProcessIdentity {
	/** host:pid:random — unique even when a pid is reused after a restart. */
	id: string;
	host: string;
	pid: number;
	/** APP_WORKER: its place among APP_PROCESSES (1…N, kept when server.js restarts it); null standalone. */
	worker: number | null;
	startedAt: Date;
}

const KEY = Symbol.for('jobcircle.process');

export function processIdentity(): ProcessIdentity {
	const holder = globalThis as { [KEY]?: ProcessIdentity };
	if (!holder[KEY]) {
		const host = hostname().slice(0, 40);
		const worker = Number(process.env.APP_WORKER);
		holder[KEY] = {
			id: `${host}:${process.pid}:${randomBytes(3).toString('hex')}`,
			host,
			pid: process.pid,
			worker: Number.isInteger(worker) && worker > 0 ? worker : null,
			startedAt: new Date()
		};
	}
	return holder[KEY];
}
