import { randomUUID } from 'node:crypto';
import { actionOrFail, orHttpError } from '$lib/server/auth/http';
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

export const actions: Actions = {
	apply: async ({ locals, params, request }) => {
		const form = await request.formData();
		const { ctx } = await getRuntime();
		const { channel, source } = channelOfSource(String(form.get('source') ?? '') || null);
		return actionOrFail(async () => ({ applied: await apply(ctx, locals.actor, { positionId: params.id, clientKey: form.get('clientKey'), channel, source }) }));
	}
};
