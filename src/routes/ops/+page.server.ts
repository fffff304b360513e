import { eq } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { regions } from '$lib/server/db/schema';
import { tileConfig } from '$lib/server/map-tiles';
import { systemHealth } from '$lib/server/queries/health';
import { opsBusiest, opsFilterOptions, opsRegionLabels, opsSummary, parseOpsFilters } from '$lib/server/queries/ops';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const user = requireRole(locals, 'supervisor', 'admin');
	depends('ops:filters');
	const { ctx } = await getRuntime();
	const filters = await orHttpError(Promise.resolve().then(() => parseOpsFilters(locals.actor, url.searchParams)));
	const [summary, options, busiest, labels, health] = await Promise.all([
		orHttpError(opsSummary(ctx, filters)),
		opsFilterOptions(ctx, filters),
		opsBusiest(ctx, filters),
		opsRegionLabels(ctx, locals.actor),
		// System health is the administrator's: supervisors watch stations, not machines.
		user.role === 'admin' ? systemHealth(ctx, locals.actor) : null
	]);
	// Live region topics: the supervisor's own region; for an administrator, every province.
	const liveRegions =
		user.role === 'supervisor' ? [user.regionCode!] : (await ctx.db.select({ code: regions.code }).from(regions).where(eq(regions.level, 'province'))).map((r) => r.code);
	return {
		filters: { region: filters.region ?? '', kind: filters.kind ?? '', org: filters.org ? String(filters.org) : '', state: filters.state ?? '' },
		scope: filters.scope,
		summary,
		options,
		busiest,
		labels,
		liveRegions,
		health,
		tiles: tileConfig()
	};
};
