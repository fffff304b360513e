import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { getStation } from '$lib/server/services/stations';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	// Staff of this station only: what they import is filed under it.
	const user = requireRole(locals, 'staff');
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	if (user.stationId !== station.id) error(403, { message: 'Not your station', reason: 'out_of_scope' });
	return { station: { id: station.id, name: station.name } };
};
