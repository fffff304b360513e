import { requireUser } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { roomSummary } from '$lib/server/services/rooms';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireUser(locals);
	const { ctx } = await getRuntime();
	return orHttpError(roomSummary(ctx, locals.actor, params.room));
};
