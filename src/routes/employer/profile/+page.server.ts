import { requireRole } from '$lib/server/auth/guard';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { getOrganisationProfile, updateOrganisationProfile } from '$lib/server/services/organisations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'employer');
	const { ctx } = await getRuntime();
	return { profile: await orHttpError(getOrganisationProfile(ctx, locals.actor)) };
};

export const actions: Actions = {
	save: async ({ locals, request }) => {
		requireRole(locals, 'employer');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({
			saved: await updateOrganisationProfile(ctx, locals.actor, { name: form.get('name'), contactPhone: form.get('contactPhone') ?? '' })
		}));
	}
};
