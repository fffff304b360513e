import { error, fail} from '@sveltejs/kit';
import { echo, positionFromForm, valuesOf } from '$lib/forms/position-form';
import { requireRole } from '$lib/server/auth/guard';
import { failed } from '$lib/server/auth/failed';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { regionChoices } from '$lib/server/queries/position-form';
import { getRuntime } from '$lib/server/runtime';
import { closePosition, fillPosition, getPosition, submitPosition, updatePosition } from '$lib/server/services/positions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'employer');
	const { ctx } = await getRuntime();
	const position = await orHttpError(getPosition(ctx, locals.actor, params.id));
	// Open positions are public, but this page manages one: only the organisation's own.
	if (locals.actor.kind !== 'employer' || position.employerOrganisationId !== locals.actor.organisationId) {
		error(404, { message: 'No such position', reason: 'position_not_found' });
	}
	const regions = await orHttpError(regionChoices(ctx, locals.actor, [position.regionCode]));
	return { position, values: valuesOf(position), regions, organisationId: locals.actor.organisationId };
};

/** One lifecycle step (submit, close, mark filled) as the form's answer. */
async function step(locals: App.Locals, positionId: string, action: 'submit' | 'close' | 'fill') {
	requireRole(locals, 'employer');
	const { ctx } = await getRuntime();
	const run = { submit: submitPosition, close: closePosition, fill: fillPosition }[action];
	const answer = await actionOrFail(() => run(ctx, locals.actor, { positionId }));
	if (failed(answer)) return fail(answer.status, { ...answer.data, action });
	return { done: action };
}

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		requireRole(locals, 'employer');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const saved = await actionOrFail(() => updatePosition(ctx, locals.actor, { ...positionFromForm(form), positionId: params.id }));
		if (failed(saved)) return fail(saved.status, { ...saved.data, action: 'save', values: echo(form) });
		if (form.get('intent') !== 'submit') return { done: 'saved' };
		const submitted = await actionOrFail(() => submitPosition(ctx, locals.actor, { positionId: saved.id }));
		if (failed(submitted)) return fail(submitted.status, { ...submitted.data, action: 'submit' });
		return { done: 'submit' };
	},
	submit: ({ locals, params }) => step(locals, params.id, 'submit'),
	close: ({ locals, params }) => step(locals, params.id, 'close'),
	fill: ({ locals, params }) => step(locals, params.id, 'fill')
};
