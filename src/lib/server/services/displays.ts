/**
 * Wall displays: registering one for a station (its device token is shown once and stored hashed),
 * revoking it (its screen blanks within seconds, on every app process, because the revocation is an event
 * each process's relay acts on), listing them with health, and the display's own heartbeat. A display
 * beats every DISPLAY_HEARTBEAT_SECONDS while connected; two missed beats raise a display_offline alert
 * (server/alerts), and the next beat clears it at once.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { version as buildId } from '$app/environment';
import { version } from '../../../../package.json';
import { topic } from '$lib/realtime/topics';
import type { Actor } from '../actor';
import { alertRules, alertSettings } from '../alerts/rules';
import { settleAlerts } from '../alerts/engine';
import type { AppContext } from '../context';
import { displays, stations } from '../db/schema';
import { forbidden, notFound } from '../errors';
import { write } from '../events/write';
import { id, parse, requiredText } from '../validation';
import { sha256 } from './auth';
import { getStation, stationTopics } from './stations';

const registerInput = z.object({ stationId: id, label: requiredText(60), bilingual: z.boolean().default(false) });
const revokeInput = z.object({ displayId: id });

/** A display is online when it beat within two heartbeat periods — the same rule the display_offline alert uses. */
export const displayOnlineWindowMs = () => 2 * alertSettings().heartbeatSeconds * 1000;

export type DisplayHealth = 'online' | 'offline' | 'never' | 'revoked';

export function displayHealth(d: { lastHeartbeatAt: Date | null; revokedAt: Date | null }, now: Date): DisplayHealth {
	if (d.revokedAt) return 'revoked';
	if (!d.lastHeartbeatAt) return 'never';
	return now.getTime() - d.lastHeartbeatAt.getTime() <= displayOnlineWindowMs() ? 'online' : 'offline';
}

/** Admins, and staff of the station itself, manage its screens. */
function mayManage(actor: Actor, stationId: number) {
	return actor.kind === 'admin' || (actor.kind === 'staff' && actor.stationId === stationId);
}

/** Registers a screen; the answer carries the device token, which is never shown again. */
export async function registerDisplay(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(registerInput, input);
	if (!mayManage(actor, data.stationId)) throw forbidden();
	const station = await getStation(ctx, actor, data.stationId);
	const token = randomBytes(24).toString('base64url');
	const display = await write(ctx, async (tx, publish) => {
		const [row] = await tx.insert(displays).values({ stationId: station.id, label: data.label, bilingual: data.bilingual, tokenHash: sha256(token) }).returning();
		publish({ type: 'display.registered', topics: [...stationTopics(station), topic.display(station.id)], payload: { displayId: row.id, stationId: station.id, label: row.label } });
		return row;
	});
	return { displayId: display.id, stationId: station.id, label: display.label, token };
}

/** Revokes a screen: its token stops working, its open sockets are ended, its offline alert is settled. */
export async function revokeDisplay(ctx: AppContext, actor: Actor, input: unknown) {
	const { displayId } = parse(revokeInput, input);
	const [current] = await ctx.db.select({ stationId: displays.stationId, revokedAt: displays.revokedAt }).from(displays).where(eq(displays.id, displayId));
	if (!current) throw notFound('display');
	if (!mayManage(actor, current.stationId)) throw forbidden();
	const station = await getStation(ctx, actor, current.stationId);
	if (current.revokedAt) return { displayId, revokedAt: current.revokedAt.toISOString() };
	const now = ctx.now();
	await write(ctx, async (tx, publish) => {
		const [row] = await tx.update(displays).set({ revokedAt: now }).where(and(eq(displays.id, displayId), isNull(displays.revokedAt))).returning({ id: displays.id });
		if (!row) return;
		await settleAlerts(tx, publish, alertRules.display_offline, [displayId], now, alertSettings());
		publish({ type: 'display.revoked', topics: [...stationTopics(station), topic.display(station.id)], payload: { displayId, stationId: station.id } });
	});
	return { displayId, revokedAt: now.toISOString() };
}

/** Screens of the stations the actor manages (all for an admin), newest first, with their health. */
export async function listDisplays(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'admin' && actor.kind !== 'staff') throw forbidden();
	const now = ctx.now();
	const rows = await ctx.db
		.select({
			id: displays.id,
			stationId: displays.stationId,
			station: stations.name,
			label: displays.label,
			bilingual: displays.bilingual,
			lastHeartbeatAt: displays.lastHeartbeatAt,
			revokedAt: displays.revokedAt,
			createdAt: displays.createdAt
		})
		.from(displays)
		.innerJoin(stations, eq(stations.id, displays.stationId))
		.where(actor.kind === 'staff' ? eq(displays.stationId, actor.stationId) : undefined)
		.orderBy(desc(displays.id))
		.limit(500);
	return rows.map((r) => ({ ...r, health: displayHealth(r, now) }));
}

export interface HeartbeatAnswer {
	/** The app's version and build: a screen left running across a deploy can tell it should reload. */
	version: string;
	build: string;
	/** How often the server expects a beat, in seconds. */
	everySeconds: number;
}

/** Nothing to say yet but "alive"; an object so fields can be added without breaking old screens. */
const heartbeatInput = z.object({});

/**
 * The display behind the socket is alive. No event for the beat itself (it would flood the log every 30 s
 * per screen); the alert it clears is announced as usual.
 */
export async function displayHeartbeat(ctx: AppContext, actor: Actor, input: unknown): Promise<HeartbeatAnswer> {
	parse(heartbeatInput, input);
	if (actor.kind !== 'display') throw forbidden();
	const now = ctx.now();
	const settings = alertSettings();
	await write(ctx, async (tx, publish) => {
		const [beat] = await tx
			.update(displays)
			.set({ lastHeartbeatAt: now })
			.where(and(eq(displays.id, actor.displayId), isNull(displays.revokedAt)))
			.returning({ id: displays.id });
		if (!beat) throw forbidden('display_revoked');
		await settleAlerts(tx, publish, alertRules.display_offline, [actor.displayId], now, settings);
	});
	return { version, build: buildId, everySeconds: settings.heartbeatSeconds };
}
