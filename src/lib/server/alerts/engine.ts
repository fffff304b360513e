/**
 * The alert engine: compares what the rules find true with the open alerts and raises or clears the
 * difference. Two ways in:
 *  - right after events: the relay hands this process every committed event; visit.* and station.* mark
 *    their station (and a station's county) for re-evaluation, position.* their position, and a short
 *    coalescing delay turns a burst of events into one evaluation;
 *  - a periodic sweep (background.ts) for what time alone changes (silent stations, displays without
 *    heartbeat, overdue reviews) and as a safety net for the rest.
 *
 * Every process may run it. The comparison is a cheap read; only differences are written, each inside a
 * transaction that first locks the subjects and then re-reads the rule, so a decision is always made on
 * the latest committed state, and the partial unique index keeps one open alert per subject whatever
 * happens. Exported functions take `now` so tests drive time.
 */
import type { AlertKind } from '$lib/alerts';
import { ALERT_KINDS } from '$lib/alerts';
import type { LiveEvent } from '$lib/realtime/protocol';
import type { AppContext } from '../context';
import type { Tx } from '../db';
import { type Publish, write } from '../events/write';
import { clearAlert, lockAlertSubjects, openAlertsOf, raiseAlert } from '../services/alerts';
import { type AlertRule, type AlertSettings, alertRules, alertSettings } from './rules';

export interface EvaluateOptions {
	now?: Date;
	settings?: Partial<AlertSettings>;
}

export interface Outcome {
	raised: number;
	cleared: number;
}

/** Subjects written per transaction (and locked at once). */
const CHUNK = 100;

/**
 * Inside a transaction: lock the subjects, re-read the rule for them, and raise or clear what differs.
 * Also used by writers that change a condition themselves (a display's heartbeat clears its alert).
 */
export async function settleAlerts<K extends number | string>(
	tx: Tx,
	publish: Publish,
	rule: AlertRule<K>,
	keys: K[],
	now: Date,
	settings: AlertSettings
): Promise<Outcome> {
	const subjects = keys.map((k) => rule.subject(k));
	await lockAlertSubjects(tx, rule.kind, subjects);
	const found = await rule.find(tx, now, settings, keys);
	const open = await openAlertsOf(tx, rule.kind, subjects);
	const want = new Set(found.map((c) => c.subject));
	const have = new Set(open.map((a) => a.subject));
	const outcome = { raised: 0, cleared: 0 };
	for (const condition of found) {
		if (!have.has(condition.subject) && (await raiseAlert(tx, publish, condition, now))) outcome.raised++;
	}
	for (const alert of open) {
		if (!want.has(alert.subject) && (await clearAlert(tx, publish, alert.id, now))) outcome.cleared++;
	}
	return outcome;
}

/** One rule over some keys (all subjects when `keys` is undefined). */
async function reconcile<K extends number | string>(ctx: AppContext, rule: AlertRule<K>, keys: K[] | undefined, now: Date, settings: AlertSettings): Promise<Outcome> {
	if (keys && !keys.length) return { raised: 0, cleared: 0 };
	const found = await rule.find(ctx.db, now, settings, keys);
	const open = await openAlertsOf(ctx.db, rule.kind, keys?.map((k) => rule.subject(k)));
	const want = new Set(found.map((c) => c.subject));
	const have = new Set(open.map((a) => a.subject));
	const changed = [...found.filter((c) => !have.has(c.subject)), ...open.filter((a) => !want.has(a.subject))].map((x) => rule.keyOf(x.subject));
	const outcome = { raised: 0, cleared: 0 };
	for (let i = 0; i < changed.length; i += CHUNK) {
		const chunk = changed.slice(i, i + CHUNK);
		const done = await write(ctx, (tx, publish) => settleAlerts(tx, publish, rule, chunk, now, settings));
		outcome.raised += done.raised;
		outcome.cleared += done.cleared;
	}
	return outcome;
}

function add(total: Outcome, part: Outcome) {
	total.raised += part.raised;
	total.cleared += part.cleared;
}

/** Every rule (or the given kinds) over every subject: the periodic sweep. */
export async function sweepAlerts(ctx: AppContext, options: EvaluateOptions & { kinds?: readonly AlertKind[] } = {}): Promise<Outcome> {
	const now = options.now ?? ctx.now();
	const settings = alertSettings(options.settings);
	const total = { raised: 0, cleared: 0 };
	for (const kind of options.kinds ?? ALERT_KINDS) {
		add(total, await reconcile(ctx, alertRules[kind] as AlertRule, undefined, now, settings));
	}
	return total;
}

export interface Touched {
	stations?: Iterable<number>;
	counties?: Iterable<string>;
	positions?: Iterable<number>;
	displays?: Iterable<number>;
}

/** The rules that depend on these subjects, for these subjects only: what events trigger. */
export async function evaluateTouched(ctx: AppContext, touched: Touched, options: EvaluateOptions = {}): Promise<Outcome> {
	const now = options.now ?? ctx.now();
	const settings = alertSettings(options.settings);
	const stations = [...(touched.stations ?? [])];
	const total = { raised: 0, cleared: 0 };
	add(total, await reconcile(ctx, alertRules.station_full, stations, now, settings));
	add(total, await reconcile(ctx, alertRules.station_silent, stations, now, settings));
	add(total, await reconcile(ctx, alertRules.county_below_quota, [...(touched.counties ?? [])], now, settings));
	add(total, await reconcile(ctx, alertRules.review_overdue, [...(touched.positions ?? [])], now, settings));
	add(total, await reconcile(ctx, alertRules.display_offline, [...(touched.displays ?? [])], now, settings));
	return total;
}

/** What an event may have changed, by the vocabulary of its type and its (non-personal) payload. */
export function touchedBy(event: Pick<LiveEvent, 'type' | 'payload'>, into: { stations: Set<number>; counties: Set<string>; positions: Set<number> }) {
	const p = event.payload;
	const [domain] = event.type.split('.', 1);
	if ((domain === 'visit' || domain === 'station') && typeof p.stationId === 'number') into.stations.add(p.stationId);
	// A station opening, going offline, being created or moved changes its county's count.
	if (domain === 'station' && typeof p.regionCode === 'string' && p.regionCode.length >= 6) into.counties.add(p.regionCode.slice(0, 6));
	if (domain === 'position' && typeof p.positionId === 'number') into.positions.add(p.positionId);
}

export interface EventSource {
	onEvent(listener: (event: LiveEvent) => void): () => void;
}

export interface AlertWatcher {
	/** Resolves once every event seen so far has been evaluated (tests). */
	idle(): Promise<void>;
	stop(): void;
}

/**
 * React to this process's relay: mark what each event touched and evaluate it `delayMs` later, one
 * evaluation at a time, so a stream of check-ins costs a few small queries per batch rather than per event.
 */
export function watchAlertEvents(ctx: AppContext, source: EventSource, options: { delayMs?: number; settings?: Partial<AlertSettings> } = {}): AlertWatcher {
	const delayMs = options.delayMs ?? 50;
	let pending = { stations: new Set<number>(), counties: new Set<string>(), positions: new Set<number>() };
	let timer: ReturnType<typeof setTimeout> | null = null;
	let running: Promise<void> | null = null;
	let stopped = false;

	const run = () => {
		timer = null;
		if (running || stopped) return;
		const batch = pending;
		pending = { stations: new Set(), counties: new Set(), positions: new Set() };
		running = evaluateTouched(ctx, batch, { settings: options.settings })
			.then(() => undefined)
			.catch((error) => ctx.log.warn({ err: error }, 'alert evaluation failed (the sweep will catch up)'))
			.finally(() => {
				running = null;
				if (hasPending()) schedule();
			});
	};
	const hasPending = () => pending.stations.size + pending.counties.size + pending.positions.size > 0;
	const schedule = () => {
		if (timer || running || stopped) return;
		timer = setTimeout(run, delayMs);
		timer.unref?.();
	};

	const off = source.onEvent((event) => {
		if (event.type.startsWith('alert.')) return;
		touchedBy(event, pending);
		if (hasPending()) schedule();
	});

	return {
		async idle() {
			while (timer || running || (hasPending() && !stopped)) {
				if (running) await running;
				else await new Promise((r) => setTimeout(r, delayMs));
			}
		},
		stop() {
			stopped = true;
			off();
			if (timer) clearTimeout(timer);
			timer = null;
		}
	};
}
