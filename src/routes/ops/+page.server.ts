import { eq } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { regions } from '$lib/server/db/schema';
import { opsOverview } from '$lib/server/queries/ops';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireRole(locals, 'supervisor', 'admin');
	const { ctx } = await getRuntime();
	const overview = await orHttpError(opsOverview(ctx, locals.actor));
	// Live region topics: the supervisor's own region; for an administrator, every province.
	const liveRegions =
		user.role === 'supervisor' ? [user.regionCode!] : (await ctx.db.select({ code: regions.code }).from(regions).where(eq(regions.level, 'province'))).map((r) => r.code);
	return { ...overview, liveRegions };
};
