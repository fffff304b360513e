import { requireApiRole } from '$lib/server/auth/guard';
import { jsonOrError } from '$lib/server/auth/http';
import { opsSummary, parseOpsFilters } from '$lib/server/queries/ops';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The live numbers and chart series for the current filters; the page refetches it as events arrive. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireApiRole(locals, 'supervisor', 'admin');
	const { ctx } = await getRuntime();
	return jsonOrError(() => opsSummary(ctx, parseOpsFilters(locals.actor, url.searchParams)), { headers: { 'cache-control': 'private, no-store' } });
};
