/**
 * Background duties exactly one app process runs, however many share the database: the demo traffic
 * (two simulators would double its pace), the sweeps (expiry, alerts, pruning) and the alert engine's
 * reaction to events — correct if doubled, thanks to conditional updates and the alerts' unique index,
 * but N times the work for nothing.
 *
 * The holder is whoever has a session-level advisory lock on a connection of its own. A process that dies
 * or loses that connection loses the lock with it; the others try every `retryMs`, so the duties move to
 * another process within a few seconds. The holder checks the lock as often: if its connection was lost
 * while the process lives on, it stops the duties at that check and competes again — so for up to
 * `retryMs` two processes may both run them, which the duties tolerate (that is why they are safe when
 * doubled). PGlite is one process by construction: it always holds.
 */
import type { Database, HeldLock } from '../db';
import type { Logger } from '../log';

export const DUTY_LOCK = 7_301_004;

export type StopDuties = () => Promise<void> | void;

export interface Duties {
	/** Whether this process runs the duties now. */
	readonly held: boolean;
	stop(): Promise<void>;
}

export function holdDuties(database: Database, log: Logger, start: () => Promise<StopDuties>, options: { retryMs?: number } = {}): Duties {
	const retryMs = options.retryMs ?? 5000;
	let lock: HeldLock | null = null;
	let stopDuties: StopDuties | null = null;
	let held = false;
	let stopped = false;
	let timer: NodeJS.Timeout | null = null;
	let warned = false;
	let turn: Promise<void> = Promise.resolve();

	const begin = async () => {
		held = true;
		try {
			stopDuties = await start();
		} catch (error) {
			log.error({ err: error }, 'background duties failed to start');
		}
	};
	const end = async () => {
		held = false;
		const stopping = stopDuties;
		stopDuties = null;
		await stopping?.();
	};

	const attempt = async () => {
		if (stopped) return;
		try {
			if (!lock) {
				lock = (await database.tryLock!(DUTY_LOCK)) ?? null;
				if (lock) {
					log.info('background duties: this process runs them');
					await begin();
				}
			} else if (!(await lock.held())) {
				throw new Error('advisory lock no longer held');
			}
			warned = false;
		} catch (error) {
			if (lock) {
				log.warn({ err: error }, 'background duties: lost the lock, stopping them here');
				const lost = lock;
				lock = null;
				await end();
				await lost.release().catch(() => {});
			} else if (!warned) {
				warned = true;
				log.warn({ err: error }, 'background duties: cannot reach the lock, retrying');
			}
		}
	};
	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(() => {
			turn = attempt().finally(schedule);
		}, retryMs);
		timer.unref?.();
	};

	if (!database.tryLock) turn = begin();
	else turn = attempt().finally(schedule);

	return {
		get held() {
			return held;
		},
		async stop() {
			stopped = true;
			if (timer) clearTimeout(timer);
			await turn;
			await end();
			if (lock) await lock.release().catch(() => {});
			lock = null;
		}
	};
}
