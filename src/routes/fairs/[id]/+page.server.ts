import { requireUser } from '$lib/server/auth/guard';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { getRuntime } from '$lib/server/runtime';
import { boothCandidates } from '$lib/server/queries/fair-booths';
import { addBooth, applyAtBooth, getFair, recordOffer, setFairState, signInAtDoor } from '$lib/server/services/fairs';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	requireUser(locals);
	// Applicants' contact details are on this page: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const fair = await orHttpError(getFair(ctx, locals.actor, params.id));
	// Staff running the fair may add a booth: employers nearby that have none here yet.
	const boothCandidatesHere =
		fair.role === 'staff' && fair.fair.state !== 'ended'
			? await orHttpError(boothCandidates(ctx, locals.actor, fair.station.id, fair.booths.map((b) => b.organisationId)))
			: [];
	return { ...fair, boothCandidates: boothCandidatesHere };
};


export const actions: Actions = {
	setState: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ state: (await setFairState(ctx, locals.actor, { fairId: params.id, state: form.get('state') })).state }));
	},
	signIn: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const name = form.get('name');
		const walkIn = typeof name === 'string' && name.trim() ? { name, consent: form.get('consent') === 'on' } : null;
		return actionOrFail(async () => ({ signedIn: await signInAtDoor(ctx, locals.actor, { fairId: params.id, phone: form.get('phone'), walkIn }) }));
	},
	apply: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
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
	addBooth: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => {
			const fair = await getFair(ctx, locals.actor, params.id);
			// The employer's nearby positions come along; staff can say more at the booth itself.
			const [candidate] = await boothCandidates(ctx, locals.actor, fair.station.id).then((all) => all.filter((c) => String(c.organisationId) === form.get('organisationId')));
			const booth = await addBooth(ctx, locals.actor, {
				fairId: params.id,
				organisationId: form.get('organisationId'),
				label: String(form.get('label') ?? '').trim() || `A${fair.booths.length + 1}`,
				positionIds: candidate?.positions.map((p) => p.id) ?? []
			});
			return { boothAdded: booth.label };
		});
	},
	offer: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ offered: await recordOffer(ctx, locals.actor, { fairId: params.id, applicationId: form.get('applicationId') }) }));
	}
};
