import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { version as buildId } from '$app/environment';
import { version } from '../../../package.json';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const startedAt = Date.now();
/** SvelteKit's default version name is the build's Date.now(). */
const builtAt = /^\d{12,}$/.test(buildId) ? new Date(Number(buildId)).toISOString() : buildId;
/** A health check that hangs is as bad as one that fails: load balancers time out and guess. */
const TIMEOUT_MS = 3000;

function within<T>(work: Promise<T>): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS);
	});
	return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness for load balancers and displays: 200 when the database answers `select 1`, 503 otherwise,
 * with the relay's position and lag. No personal data, no auth (hooks skip the session for this path).
 */
export const GET: RequestHandler = async () => {
	let database: 'up' | 'down' = 'down';
	let relayLagMs: number | null = null;
	let relayCursor: number | null = null;
	let relayHealthy: boolean | null = null;
	try {
		const { ctx, relay } = await within(getRuntime());
		relayCursor = relay.cursor;
		relayHealthy = relay.healthy;
		await within(ctx.db.execute(sql`select 1`));
		database = 'up';
		relayLagMs = await within(relay.lagMs()).catch(() => null);
	} catch {
		database = 'down';
	}
	const ok = database === 'up';
	return json(
		{ ok, database, relayLagMs, relayCursor, relayHealthy, version, builtAt, uptimeS: Math.round((Date.now() - startedAt) / 1000) },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
