import { version } from '$app/environment';
import { boardContent } from '$lib/server/queries/board';
import { displayStation } from '$lib/server/queries/display';
import { getRuntime } from '$lib/server/runtime';
import { actorFromDisplayToken } from '$lib/server/services/auth';
import type { PageServerLoad } from './$types';

/** A wall screen: the device token in the URL is its identity (no keyboard, no login). */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const { ctx } = await getRuntime();
	const actor = await actorFromDisplayToken(ctx, params.token);
	const station = await displayStation(ctx, actor);
	return { station, board: station ? await boardContent(ctx, ctx.db, station.stationId) : null, build: version };
};
