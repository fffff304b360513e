import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { positionPipeline } from '$lib/server/queries/pipeline';
import { getRuntime } from '$lib/server/runtime';
import { setApplicationStatus } from '$lib/server/services/applications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	requireRole(locals, 'employer');
	if (locals.actor.kind !== 'employer') error(403, { message: 'Not allowed for your role', reason: 'wrong_role' });
	// Applicants' names and phones are on this page: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const pipeline = await orHttpError(positionPipeline(ctx, locals.actor, params.id));
	return { ...pipeline, organisationId: locals.actor.organisationId };
};

export const actions: Actions = {
	move: async ({ locals, request }) => {
		requireRole(locals, 'employer');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({
			moved: await setApplicationStatus(ctx, locals.actor, { applicationId: form.get('applicationId'), status: form.get('status') })
		}));
	}
};
