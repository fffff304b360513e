import { error, fail, redirect } from '@sveltejs/kit';
import { blankPosition, echo, positionFromForm, valuesOf } from '$lib/forms/position-form';
import { requireRole } from '$lib/server/auth/guard';
import { failed } from '$lib/server/auth/failed';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { ownOrganisation, regionChoices } from '$lib/server/queries/position-form';
import { getRuntime } from '$lib/server/runtime';
import { createPosition, getPosition, submitPosition } from '$lib/server/services/positions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'employer');
	const { ctx } = await getRuntime();
	const organisation = await orHttpError(ownOrganisation(ctx, locals.actor));
	let values = blankPosition({ regionCode: organisation.regionCode ?? '' });
	let duplicateOf: { id: number; title: string } | null = null;
	// "Duplicate as a new post": the form starts as a copy of one of the organisation's own positions.
	const from = url.searchParams.get('from');
	if (from) {
		const p = await orHttpError(getPosition(ctx, locals.actor, from));
		if (p.employerOrganisationId !== organisation.id) error(404, { message: 'No such position', reason: 'position_not_found' });
		values = valuesOf(p, { duplicate: true });
		duplicateOf = { id: p.id, title: p.title };
	}
	const regions = await orHttpError(regionChoices(ctx, locals.actor, [organisation.regionCode, values.regionCode]));
	return { organisation, values, regions, duplicateOf };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		requireRole(locals, 'employer');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const created = await actionOrFail(() => createPosition(ctx, locals.actor, positionFromForm(form)));
		if (failed(created)) return fail(created.status, { ...created.data, values: echo(form) });
		let done = 'created';
		if (form.get('intent') === 'submit') {
			// The draft is saved either way; if submitting fails, the position's page says what state it is in.
			const submitted = await actionOrFail(() => submitPosition(ctx, locals.actor, { positionId: created.id }));
			if (!failed(submitted)) done = 'submitted';
		}
		redirect(303, `/employer/positions/${created.id}?done=${done}`);
	}
};
