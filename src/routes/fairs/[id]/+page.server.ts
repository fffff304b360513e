import { requireUser } from '$lib/server/auth/guard';
import { actionOrFail, orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { applyAtBooth, getFair, recordOffer, setFairState, signInAtDoor } from '$lib/server/services/fairs';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	requireUser(locals);
	// Applicants' contact details are on this page: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	return orHttpError(getFair(ctx, locals.actor, params.id));
};


export const actions: Actions = {
	setState: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await request.formData();
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ state: (await setFairState(ctx, locals.actor, { fairId: params.id, state: form.get('state') })).state }));
	},
	signIn: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await request.formData();
		const { ctx } = await getRuntime();
		const name = form.get('name');
		const walkIn = typeof name === 'string' && name.trim() ? { name, consent: form.get('consent') === 'on' } : null;
		return actionOrFail(async () => ({ signedIn: await signInAtDoor(ctx, locals.actor, { fairId: params.id, phone: form.get('phone'), walkIn }) }));
	},
	apply: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await request.formData();
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({
			applied: await applyAtBooth(ctx, locals.actor, {
				fairId: params.id,
				positionId: form.get('positionId'),
				phone: form.get('phone'),
				clientKey: form.get('clientKey')
			})
		}));
	},
	offer: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await request.formData();
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ offered: await recordOffer(ctx, locals.actor, { fairId: params.id, applicationId: form.get('applicationId') }) }));
	}
};
