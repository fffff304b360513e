import { orHttpError } from '$lib/server/auth/http';
import { openJobsPage } from '$lib/server/queries/jobs';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const { ctx } = await getRuntime();
	return orHttpError(openJobsPage(ctx, url.searchParams.get('after')));
};
