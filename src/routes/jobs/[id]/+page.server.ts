import { randomUUID } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { orHttpError } from '$lib/server/auth/http';
import { asServiceError } from '$lib/server/errors';
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
		try {
			const answer = await apply(ctx, locals.actor, { positionId: params.id, clientKey: form.get('clientKey'), channel, source });
			return { applied: answer };
		} catch (cause) {
			const e = asServiceError(cause);
			if (!e) throw cause;
			return fail(e.status, { reason: e.reason, fields: e.fields ?? {} });
		}
	}
};
