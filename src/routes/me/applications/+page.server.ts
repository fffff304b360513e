import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { listMyApplications } from '$lib/server/services/applications';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	requireRole(locals, 'seeker');
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const page = await orHttpError(listMyApplications(ctx, locals.actor));
	return { applications: page, seekerId: locals.actor.kind === 'seeker' ? locals.actor.seekerId : null };
};
