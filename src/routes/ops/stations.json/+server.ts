import { requireApiRole } from '$lib/server/auth/guard';
import { jsonOrError } from '$lib/server/auth/http';
import { opsMapStations } from '$lib/server/queries/ops';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Every station in the supervisor's scope, for the map (filters are applied in the browser). */
export const GET: RequestHandler = async ({ locals }) => {
	requireApiRole(locals, 'supervisor', 'admin');
	const { ctx } = await getRuntime();
	return jsonOrError(() => opsMapStations(ctx, locals.actor), { headers: { 'cache-control': 'private, no-store' } });
};
