import { liveRoomsOverview } from '$lib/server/queries/live';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { ctx } = await getRuntime();
	return liveRoomsOverview(ctx);
};
