import { fail} from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { failed } from '$lib/server/auth/failed';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { closePosition, fillPosition, listStationPositions, reviewPosition, submitPosition } from '$lib/server/services/positions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireRole(locals, 'staff', 'admin', 'supervisor');
	const { ctx } = await getRuntime();
	const { station, collected, awaiting } = await orHttpError(listStationPositions(ctx, locals.actor, { stationId: params.id }));
	return {
		station: { id: station.id, name: station.name },
		collected,
		awaiting,
		// Posting in the station's name is for its own staff (the service files the post under their station).
		canPost: user.role === 'staff' && user.stationId === station.id
	};
};

/** One lifecycle step on one of the listed positions, answered with which one, so the page shows it there. */
async function step(locals: App.Locals, request: Request, action: 'submit' | 'close' | 'fill') {
	requireRole(locals, 'staff', 'admin', 'supervisor');
	const form = await formOf(request);
	const positionId = String(form.get('positionId') ?? '');
	const { ctx } = await getRuntime();
	const run = { submit: submitPosition, close: closePosition, fill: fillPosition }[action];
	const answer = await actionOrFail(() => run(ctx, locals.actor, { positionId }));
	if (failed(answer)) return fail(answer.status, { ...answer.data, action, positionId });
	return { done: action, positionId };
}

export const actions: Actions = {
	review: async ({ locals, request }) => {
		requireRole(locals, 'staff', 'admin', 'supervisor');
		const form = await formOf(request);
		const positionId = String(form.get('positionId') ?? '');
		const decision = String(form.get('decision') ?? '');
		const reason = String(form.get('reason') ?? '');
		const { ctx } = await getRuntime();
		const answer = await actionOrFail(() => reviewPosition(ctx, locals.actor, { positionId, decision, reason }));
		if (failed(answer)) return fail(answer.status, { ...answer.data, action: 'review', positionId, text: reason.slice(0, 500) });
		return { done: decision === 'approve' ? 'approved' : 'rejected', positionId };
	},
	submit: ({ locals, request }) => step(locals, request, 'submit'),
	close: ({ locals, request }) => step(locals, request, 'close'),
	fill: ({ locals, request }) => step(locals, request, 'fill')
};
