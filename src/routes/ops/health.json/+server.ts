import { requireApiRole } from '$lib/server/auth/guard';
import { jsonOrError } from '$lib/server/auth/http';
import { systemHealth } from '$lib/server/queries/health';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The app processes and their relays, for the administrator's health panel on /ops (refetched every few seconds). */
export const GET: RequestHandler = async ({ locals }) => {
	requireApiRole(locals, 'admin');
	const { ctx } = await getRuntime();
	return jsonOrError(() => systemHealth(ctx, locals.actor), { headers: { 'cache-control': 'private, no-store' } });
};
