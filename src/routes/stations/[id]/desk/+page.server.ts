import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { deskOverview } from '$lib/server/queries/desk';
import { getRuntime } from '$lib/server/runtime';
import { getSeekerForStation } from '$lib/server/services/seekers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url, setHeaders }) => {
	requireRole(locals, 'staff', 'admin');
	// Live counter figures (and possibly a seeker's name): never from a cache.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const desk = await orHttpError(deskOverview(ctx, locals.actor, params.id));
	// ?seeker=ID (from the seeker's page): services recorded here are for that person.
	const seekerParam = url.searchParams.get('seeker');
	const seeker = seekerParam ? await orHttpError(getSeekerForStation(ctx, locals.actor, { stationId: desk.station.id, seekerId: seekerParam })) : null;
	return { desk, seeker: seeker ? { id: seeker.id, name: seeker.name } : null };
};
