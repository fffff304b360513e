import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { adminOverview } from '$lib/server/queries/admin';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	const { ctx } = await getRuntime();
	return orHttpError(adminOverview(ctx, locals.actor));
};
