/**
 * Wall displays' own commands. A display beats every DISPLAY_HEARTBEAT_SECONDS while connected; two missed
 * beats raise a display_offline alert (server/alerts), and the next beat clears it at once.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { version as buildId } from '$app/environment';
import { version } from '../../../../package.json';
import type { Actor } from '../actor';
import { alertRules, alertSettings } from '../alerts/rules';
import { settleAlerts } from '../alerts/engine';
import type { AppContext } from '../context';
import { displays } from '../db/schema';
import { forbidden } from '../errors';
import { write } from '../events/write';
import { parse } from '../validation';

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
