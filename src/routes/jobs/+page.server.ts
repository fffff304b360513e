import { orHttpError } from '$lib/server/auth/http';
import { tileConfig } from '$lib/server/map-tiles';
import { openJobsPage, parseJobSearch } from '$lib/server/queries/jobs';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const { ctx } = await getRuntime();
	const search = await orHttpError(Promise.resolve().then(() => parseJobSearch(url.searchParams)));
	return { ...(await orHttpError(openJobsPage(ctx, url.searchParams.get('after'), search))), search, tiles: tileConfig() };
};
