import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { employerOverview } from '$lib/server/queries/employer';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'employer');
	const { ctx } = await getRuntime();
	return orHttpError(employerOverview(ctx, locals.actor));
};
