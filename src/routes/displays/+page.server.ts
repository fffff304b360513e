import { asc } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { stations } from '$lib/server/db/schema';
import { getRuntime } from '$lib/server/runtime';
import { listDisplays, registerDisplay, revokeDisplay } from '$lib/server/services/displays';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	const user = requireRole(locals, 'admin', 'staff');
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const displays = await orHttpError(listDisplays(ctx, locals.actor));
	// An administrator picks the station; staff register screens for their own.
	const choices =
		user.role === 'admin'
			? await ctx.db.select({ id: stations.id, name: stations.name }).from(stations).orderBy(asc(stations.name)).limit(2000)
			: null;
	return { displays, choices, ownStation: user.stationId };
};


export const actions: Actions = {
	register: async ({ locals, request }) => {
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({
			registered: await registerDisplay(ctx, locals.actor, {
				stationId: form.get('stationId'),
				label: form.get('label'),
				bilingual: form.get('bilingual') === 'on'
			})
		}));
	},
	revoke: async ({ locals, request }) => {
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ revoked: await revokeDisplay(ctx, locals.actor, { displayId: form.get('displayId') }) }));
	}
};
