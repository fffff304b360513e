import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { matchSeekersForPosition } from '$lib/server/services/matching';
import { getPosition } from '$lib/server/services/positions';
import { getStation } from '$lib/server/services/stations';
import type { PageServerLoad } from './$types';

/** Seekers at this station who fit a position: staff of the station and admins only (matching.ts decides). */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	requireRole(locals, 'staff', 'admin');
	// People's names and phones: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	const seekers = await orHttpError(matchSeekersForPosition(ctx, locals.actor, { positionId: params.positionId, stationId: station.id, limit: 20 }));
	const position = await orHttpError(getPosition(ctx, locals.actor, params.positionId));
	return {
		station: { id: station.id, name: station.name },
		position: { id: position.id, title: position.title, state: position.state },
		seekers
	};
};
