/**
 * Supervisor alerts (issue 3, item 5): raised and cleared by the alert engine (server/alerts/engine.ts),
 * listed and acknowledged by supervisors. Acknowledgements are shared: every supervisor of the region sees
 * who acknowledged and when.
 *
 * Raise and clear are idempotent and say something only when a row really changed: raising inserts
 * `on conflict do nothing` against the partial unique index (one open alert per kind and subject, however
 * many processes run the engine), clearing is a conditional update of an open row.
 */
import { and, desc, eq, getTableColumns, inArray, isNull, like, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ALERT_EVENTS, type AlertAcknowledgedPayload, type AlertClearedPayload, type AlertKind, type AlertView } from '$lib/alerts';
import { regionTopics, topic } from '$lib/realtime/topics';
import { type Actor, regionCovers } from '../actor';
import type { AppContext } from '../context';
import type { Executor, Tx } from '../db';
import { alerts, users } from '../db/schema';
import { conflict, forbidden, notFound } from '../errors';
import { type Publish, write } from '../events/write';
import { id, parse } from '../validation';

export type AlertRow = typeof alerts.$inferSelect;

/** A condition the engine found true now: an alert about it should be open. */
export interface AlertCondition {
	kind: AlertKind;
	subject: string;
	regionCode: string;
	stationId: number | null;
	title: string;
	detail: Record<string, number | string>;
}

/** The most an open-alert list or region snapshot carries. */
export const OPEN_ALERTS_LIMIT = 200;

export function alertView(row: AlertRow, acknowledgedBy: string | null): AlertView {
	return {
		id: row.id,
		kind: row.kind,
		subject: row.subject,
		regionCode: row.regionCode,
		stationId: row.stationId,
		title: row.title,
		detail: row.detail,
		raisedAt: row.raisedAt.toISOString(),
		acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
		acknowledgedBy: row.acknowledgedAt ? acknowledgedBy : null
	};
}

/** Every region above the alert's (supervisors at any level see it), plus its station's topic when it has one. */
export function alertTopics(a: { regionCode: string; stationId: number | null }) {
	const list = regionTopics(a.regionCode);
	if (a.stationId) list.push(topic.station(a.stationId));
	return list;
}

/** Two-key advisory locks live in their own key space; 74 marks alert subjects (73 is check-out taps). */
const ALERT_LOCK_SPACE = 74;

/** FNV-1a, as a signed 32-bit int: a lock key for one alert subject. */
function lockKey(kind: AlertKind, subject: string) {
	let h = 0x811c9dc5;
	const s = `${kind}|${subject}`;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h | 0;
}

/**
 * Serialise everybody deciding about these subjects until the transaction ends, so a decision is always
 * taken on state read after the previous decision committed (an engine that read "full" just before a
 * check-out cannot raise after the check-out's own evaluation found nothing to do). Keys are taken in one
 * statement in ascending order (a select list is evaluated left to right), so two processes locking
 * overlapping sets cannot deadlock.
 */
export async function lockAlertSubjects(tx: Tx, kind: AlertKind, subjects: string[]) {
	const keys = [...new Set(subjects.map((s) => lockKey(kind, s)))].sort((a, b) => a - b);
	if (!keys.length) return;
	const calls = keys.map((k) => `pg_advisory_xact_lock(${ALERT_LOCK_SPACE}, ${k})`).join(', ');
	// Only integers computed above go into the statement.
	await tx.execute(sql.raw(`select ${calls}`));
}

/** Raise unless an alert of this kind and subject is open. Returns the new row, or null when one was. */
export async function raiseAlert(tx: Executor, publish: Publish, c: AlertCondition, now: Date): Promise<AlertRow | null> {
	const [row] = await tx
		.insert(alerts)
		.values({ kind: c.kind, subject: c.subject, regionCode: c.regionCode, stationId: c.stationId, title: c.title, detail: c.detail, raisedAt: now })
		.onConflictDoNothing({ target: [alerts.kind, alerts.subject], where: isNull(alerts.clearedAt) })
		.returning();
	if (!row) return null;
	publish({ type: ALERT_EVENTS.raised, topics: alertTopics(row), payload: alertView(row, null) });
	return row;
}

/** Clear an open alert. A second clear changes nothing and announces nothing. */
export async function clearAlert(tx: Executor, publish: Publish, alertId: number, now: Date): Promise<boolean> {
	const [row] = await tx
		.update(alerts)
		.set({ clearedAt: now })
		.where(and(eq(alerts.id, alertId), isNull(alerts.clearedAt)))
		.returning();
	if (!row) return false;
	const payload: AlertClearedPayload = { alertId: row.id };
	publish({ type: ALERT_EVENTS.cleared, topics: alertTopics(row), payload });
	return true;
}

/** Open alerts of some kind (optionally only these subjects): what the engine compares its findings with. */
export async function openAlertsOf(db: Executor, kind: AlertKind, subjects?: string[]) {
	if (subjects && !subjects.length) return [];
	return db
		.select({ id: alerts.id, subject: alerts.subject })
		.from(alerts)
		.where(and(eq(alerts.kind, kind), isNull(alerts.clearedAt), subjects ? inArray(alerts.subject, subjects) : undefined));
}

const viewColumns = { ...getTableColumns(alerts), acknowledgedBy: users.displayName };

function toView(row: AlertRow & { acknowledgedBy: string | null }) {
	const { acknowledgedBy, ...alert } = row;
	return alertView(alert, acknowledgedBy);
}

/** Open alerts whose region is `regionPrefix` or below it, newest first. No scope check: callers check. */
export async function openAlertsIn(db: Executor, regionPrefix: string, limit = OPEN_ALERTS_LIMIT): Promise<AlertView[]> {
	const rows = await db
		.select(viewColumns)
		.from(alerts)
		.leftJoin(users, eq(users.id, alerts.acknowledgedByUserId))
		.where(and(isNull(alerts.clearedAt), like(alerts.regionCode, `${regionPrefix}%`)))
		.orderBy(desc(alerts.raisedAt), desc(alerts.id))
		.limit(limit);
	return rows.map(toView);
}

async function loadAlert(db: Executor, alertId: number) {
	const [row] = await db.select(viewColumns).from(alerts).leftJoin(users, eq(users.id, alerts.acknowledgedByUserId)).where(eq(alerts.id, alertId)).limit(1);
	if (!row) throw notFound('alert');
	return row;
}

const regionPrefix = z.string().regex(/^[0-9]{2,12}$/, 'region_code');

/** Open alerts of a region the actor supervises (an admin: any region), newest first, at most 200. */
export async function listOpenAlerts(ctx: AppContext, actor: Actor, input: unknown): Promise<AlertView[]> {
	if (actor.kind !== 'admin' && actor.kind !== 'supervisor') throw forbidden();
	const prefix = parse(regionPrefix, input);
	if (actor.kind === 'supervisor' && !regionCovers(actor.regionCode, prefix)) throw forbidden();
	return openAlertsIn(ctx.db, prefix);
}

const acknowledgeInput = z.object({ alertId: id });

/**
 * A supervisor of the alert's region (or an admin) takes it on. Acknowledging twice, or two supervisors at
 * once, answers with the first acknowledgement and announces only that one.
 */
export async function acknowledgeAlert(ctx: AppContext, actor: Actor, input: unknown): Promise<AlertView> {
	if (actor.kind !== 'admin' && actor.kind !== 'supervisor') throw forbidden();
	const { alertId } = parse(acknowledgeInput, input);
	const current = await loadAlert(ctx.db, alertId);
	if (actor.kind === 'supervisor' && !regionCovers(actor.regionCode, current.regionCode)) throw forbidden();
	if (current.acknowledgedAt) return toView(current);
	if (current.clearedAt) throw conflict('alert_cleared', 'The alert has already cleared');
	await write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(alerts)
			.set({ acknowledgedAt: ctx.now(), acknowledgedByUserId: actor.userId })
			.where(and(eq(alerts.id, alertId), isNull(alerts.acknowledgedAt), isNull(alerts.clearedAt)))
			.returning();
		if (!row) return; // somebody else got there first, or it cleared meanwhile: answered below
		const [user] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, actor.userId));
		const payload: AlertAcknowledgedPayload = { alertId, acknowledgedAt: row.acknowledgedAt!.toISOString(), acknowledgedBy: user?.name ?? '' };
		publish({ type: ALERT_EVENTS.acknowledged, topics: alertTopics(row), payload });
	});
	const after = await loadAlert(ctx.db, alertId);
	if (!after.acknowledgedAt) throw conflict('alert_cleared', 'The alert has already cleared');
	return toView(after);
}
