import { requireRole } from '$lib/server/auth/guard';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { adminOverview } from '$lib/server/queries/admin';
import { getRuntime } from '$lib/server/runtime';
import { createApiToken, listApiTokens, listTokenOrganisations, revokeApiToken } from '$lib/server/services/api-tokens';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	requireRole(locals, 'admin');
	// A freshly created API token is in the action's answer; never let a cache keep the page around it.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const [overview, apiTokens, tokenOrganisations] = await Promise.all([
		orHttpError(adminOverview(ctx, locals.actor)),
		orHttpError(listApiTokens(ctx, locals.actor)),
		orHttpError(listTokenOrganisations(ctx, locals.actor))
	]);
	return { ...overview, apiTokens, tokenOrganisations };
};


export const actions: Actions = {
	createToken: async ({ locals, request }) => {
		requireRole(locals, 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({
			createdToken: await createApiToken(ctx, locals.actor, { organisationId: form.get('organisationId'), label: form.get('label') })
		}));
	},
	revokeToken: async ({ locals, request }) => {
		requireRole(locals, 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ revokedToken: await revokeApiToken(ctx, locals.actor, { tokenId: form.get('tokenId') }) }));
	}
};
