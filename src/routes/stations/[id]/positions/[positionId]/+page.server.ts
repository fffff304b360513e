import { error, fail, redirect } from '@sveltejs/kit';
import { echo, positionFromForm, valuesOf } from '$lib/forms/position-form';
import { requireRole } from '$lib/server/auth/guard';
import { failed } from '$lib/server/auth/failed';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { regionChoices } from '$lib/server/queries/position-form';
import { getRuntime } from '$lib/server/runtime';
import { getPosition, reviewPosition, submitPosition, updatePosition } from '$lib/server/services/positions';
import { getStation } from '$lib/server/services/stations';
import type { Actions, PageServerLoad } from './$types';

/** A draft the station collected (a walk-in's post, one sent back), edited by the station's staff. */
export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'staff');
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	const position = await orHttpError(getPosition(ctx, locals.actor, params.positionId));
	if (position.stationId !== station.id) error(404, { message: 'No such position', reason: 'position_not_found' });
	const regions = await orHttpError(regionChoices(ctx, locals.actor, [station.regionCode, position.regionCode]));
	return { station: { id: station.id, name: station.name }, position, values: valuesOf(position), regions };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		requireRole(locals, 'staff');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const saved = await actionOrFail(() => updatePosition(ctx, locals.actor, { ...positionFromForm(form), positionId: params.positionId }));
		if (failed(saved)) return fail(saved.status, { ...saved.data, values: echo(form) });
		let done = 'saved';
		if (form.get('intent') === 'publish' && saved.state === 'draft') {
			const published = await actionOrFail(async () => {
				await submitPosition(ctx, locals.actor, { positionId: saved.id });
				return reviewPosition(ctx, locals.actor, { positionId: saved.id, decision: 'approve' });
			});
			if (!failed(published)) done = 'published';
		}
		redirect(303, `/stations/${params.id}/positions?done=${done}`);
	}
};
