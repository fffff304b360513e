import { requireApiRole } from '$lib/server/auth/guard';
import { jsonOrError } from '$lib/server/auth/http';
import { stationPanel } from '$lib/server/queries/station';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The /ops map's station card: covering supervisor, admin or the station's staff (403 otherwise, 404 unknown). */
export const GET: RequestHandler = async ({ locals, params }) => {
	requireApiRole(locals, 'supervisor', 'admin', 'staff');
	const { ctx } = await getRuntime();
	return jsonOrError(() => stationPanel(ctx, locals.actor, params.id), { headers: { 'cache-control': 'no-store' } });
};
