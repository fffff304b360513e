import { randomUUID } from 'node:crypto';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { quickRegister } from '$lib/server/auth/quick-register';
import { channelOfSource, jobDetail } from '$lib/server/queries/jobs';
import { getRuntime } from '$lib/server/runtime';
import { apply } from '$lib/server/services/applications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { ctx } = await getRuntime();
	const detail = await orHttpError(jobDetail(ctx, locals.actor, params.id));
	return {
		...detail,
		source: channelOfSource(url.searchParams.get('source')).source,
		// One key per page view: a double tap or a resubmitted form is the same application.
		clientKey: randomUUID(),
		signedInAs: locals.user?.role ?? null
	};
};

async function applyFrom(form: FormData, actor: App.Locals['actor'], positionId: string) {
	const { ctx } = await getRuntime();
	const { channel, source } = channelOfSource(String(form.get('source') ?? '') || null);
	return actionOrFail(async () => ({ applied: await apply(ctx, actor, { positionId, clientKey: form.get('clientKey'), channel, source }) }));
}

export const actions: Actions = {
	apply: async ({ locals, params, request }) => applyFrom(await formOf(request), locals.actor, params.id),
	/** No account yet: register by phone, sign in, and apply, in one tap. */
	register: async (event) => {
		const form = await formOf(event.request);
		const registered = await quickRegister(event, form);
		if (!registered.ok) return registered.failure;
		return applyFrom(form, event.locals.actor, event.params.id);
	}
};
