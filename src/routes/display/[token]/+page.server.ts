import { displayStation } from '$lib/server/queries/display';
import { getRuntime } from '$lib/server/runtime';
import { actorFromDisplayToken } from '$lib/server/services/auth';
import type { PageServerLoad } from './$types';

/** A wall screen: the device token in the URL is its identity (no keyboard, no login). */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const { ctx } = await getRuntime();
	const actor = await actorFromDisplayToken(ctx, params.token);
	return { station: await displayStation(ctx, actor) };
};
