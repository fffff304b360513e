import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { formOf, orHttpError } from '$lib/server/auth/http';
import { asServiceError } from '$lib/server/errors';
import { boothCandidates } from '$lib/server/queries/fair-booths';
import { getRuntime } from '$lib/server/runtime';
import { createFair } from '$lib/server/services/fairs';
import { getStation } from '$lib/server/services/stations';
import { parseServiceLocal, startOfServiceDay, toServiceLocalInput } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';
import { boothsFromForm } from './booths-form';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'staff', 'admin');
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	const candidates = await orHttpError(boothCandidates(ctx, locals.actor, station.id));
	// A fair is usually planned for another day: tomorrow morning, 9 to 12, service time.
	const tomorrow = startOfServiceDay(new Date(ctx.now().getTime() + 86_400_000));
	return {
		station: { id: station.id, name: station.name },
		candidates,
		defaults: {
			startsAt: toServiceLocalInput(new Date(tomorrow.getTime() + 9 * 3_600_000)),
			endsAt: toServiceLocalInput(new Date(tomorrow.getTime() + 12 * 3_600_000))
		}
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const values = { title: String(form.get('title') ?? ''), startsAt: String(form.get('startsAt') ?? ''), endsAt: String(form.get('endsAt') ?? '') };
		let fairId: number;
		try {
			const fair = await createFair(ctx, locals.actor, {
				stationId: params.id,
				title: values.title,
				startsAt: parseServiceLocal(values.startsAt),
				endsAt: parseServiceLocal(values.endsAt),
				booths: boothsFromForm(form)
			});
			fairId = fair.id;
		} catch (cause) {
			const e = asServiceError(cause);
			if (!e) throw cause;
			return fail(e.status, { reason: e.reason, fields: e.fields ?? {}, values, picked: form.getAll('booth').map(String) });
		}
		redirect(303, `/fairs/${fairId}`);
	}
};
