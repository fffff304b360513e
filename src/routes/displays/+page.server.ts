import { fail } from '@sveltejs/kit';
import { asc } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { orHttpError } from '$lib/server/auth/http';
import { stations } from '$lib/server/db/schema';
import { asServiceError } from '$lib/server/errors';
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

async function attempt<T>(work: () => Promise<T>) {
	try {
		return await work();
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return fail(e.status, { reason: e.reason, fields: e.fields ?? {} });
	}
}

export const actions: Actions = {
	register: async ({ locals, request }) => {
		const form = await request.formData();
		const { ctx } = await getRuntime();
		return attempt(async () => ({
			registered: await registerDisplay(ctx, locals.actor, {
				stationId: form.get('stationId'),
				label: form.get('label'),
				bilingual: form.get('bilingual') === 'on'
			})
		}));
	},
	revoke: async ({ locals, request }) => {
		const form = await request.formData();
		const { ctx } = await getRuntime();
		return attempt(async () => ({ revoked: await revokeDisplay(ctx, locals.actor, { displayId: form.get('displayId') }) }));
	}
};
