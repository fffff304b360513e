import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { version } from '../../../package.json';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const startedAt = Date.now();

/** Liveness for load balancers and displays: database reachable, relay lag. No personal data, no auth. */
export const GET: RequestHandler = async () => {
	const { ctx, relay } = await getRuntime();
	let database: 'up' | 'down' = 'up';
	let relayLagMs: number | null = null;
	try {
		await ctx.db.execute(sql`select 1`);
		relayLagMs = await relay.lagMs();
	} catch {
		database = 'down';
	}
	const ok = database === 'up';
	return json(
		{ ok, database, relayLagMs, relayCursor: relay.cursor, relayHealthy: relay.healthy, version, uptimeS: Math.round((Date.now() - startedAt) / 1000) },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
