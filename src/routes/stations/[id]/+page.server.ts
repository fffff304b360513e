import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { stationOverview } from '$lib/server/queries/station';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'staff', 'supervisor', 'admin');
	const id = Number(params.id);
	if (!Number.isSafeInteger(id) || id < 1) error(404, { message: 'No such station', reason: 'station_not_found' });
	const { ctx } = await getRuntime();
	return orHttpError(stationOverview(ctx, locals.actor, id));
};
