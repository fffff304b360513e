import { error, fail, redirect } from '@sveltejs/kit';
import { blankPosition, echo, positionFromForm, valuesOf } from '$lib/forms/position-form';
import { requireRole } from '$lib/server/auth/guard';
import { failed } from '$lib/server/auth/failed';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { regionChoices, walkInEmployers } from '$lib/server/queries/position-form';
import { getRuntime } from '$lib/server/runtime';
import { createPosition, getPosition, reviewPosition, submitPosition } from '$lib/server/services/positions';
import { getStation } from '$lib/server/services/stations';
import { serviceDateKey } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	// Staff only: the service files what they post under their own station.
	requireRole(locals, 'staff');
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	// Most walk-ins at a station bring an odd job for today: start the form there.
	let values = blankPosition({
		kind: 'odd_job',
		payUnit: 'day',
		workDate: serviceDateKey(ctx.now()),
		startTime: '08:00',
		endTime: '17:00',
		regionCode: station.regionCode,
		address: station.address
	});
	let duplicateOf: { id: number; title: string } | null = null;
	const from = url.searchParams.get('from');
	if (from) {
		const p = await orHttpError(getPosition(ctx, locals.actor, from));
		if (p.stationId !== station.id) error(404, { message: 'No such position', reason: 'position_not_found' });
		values = { ...valuesOf(p, { duplicate: true }), workDate: values.workDate };
		duplicateOf = { id: p.id, title: p.title };
	}
	const [employers, regions] = await Promise.all([
		orHttpError(walkInEmployers(ctx, locals.actor, station.id, Number(values.employerOrganisationId) || null)),
		orHttpError(regionChoices(ctx, locals.actor, [station.regionCode, values.regionCode]))
	]);
	return { station: { id: station.id, name: station.name }, values, employers, regions, duplicateOf };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		requireRole(locals, 'staff');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const created = await actionOrFail(() => createPosition(ctx, locals.actor, positionFromForm(form)));
		if (failed(created)) return fail(created.status, { ...created.data, values: echo(form) });
		let done = 'created';
		// "Publish now": staff are the reviewers of what their station posts, so it goes straight up.
		if (form.get('intent') === 'publish') {
			const published = await actionOrFail(async () => {
				await submitPosition(ctx, locals.actor, { positionId: created.id });
				return reviewPosition(ctx, locals.actor, { positionId: created.id, decision: 'approve' });
			});
			if (!failed(published)) done = 'published';
		}
		redirect(303, `/stations/${params.id}/positions?done=${done}`);
	}
};
