import { fail, redirect } from '@sveltejs/kit';
import { serviceDateKey } from '$lib/time';
import { requireRole } from '$lib/server/auth/guard';
import { formOf, orHttpError } from '$lib/server/auth/http';
import { asServiceError } from '$lib/server/errors';
import { getRuntime } from '$lib/server/runtime';
import { findSeekerForStation, recentSeekersAtStation, registerSeeker } from '$lib/server/services/seekers';
import { registerSeekerHere } from '$lib/server/services/service-records';
import { getStation } from '$lib/server/services/stations';
import type { Actions, PageServerLoad } from './$types';
import { echo, profileFromForm } from './seeker-form';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	requireRole(locals, 'staff', 'admin');
	// Names and phones of people registered here: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	const recent = await orHttpError(recentSeekersAtStation(ctx, locals.actor, { stationId: station.id }));
	return {
		station: { id: station.id, name: station.name, lat: station.lat, lng: station.lng },
		recent,
		today: serviceDateKey(ctx.now())
	};
};

/** A service refusal as the form's answer: its status, reason and fields, plus whatever the form needs back. */
function refused(cause: unknown, extra: Record<string, unknown> = {}) {
	const e = asServiceError(cause);
	if (!e) throw cause;
	return fail(e.status, { reason: e.reason, fields: e.fields ?? {}, ...extra });
}

export const actions: Actions = {
	// A POST, not ?phone= in the address: phone numbers stay out of URLs, history and access logs.
	find: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		const phone = String(form.get('phone') ?? '').trim();
		const { ctx } = await getRuntime();
		try {
			const match = await findSeekerForStation(ctx, locals.actor, { stationId: params.id, phone });
			return { find: { phone, match } };
		} catch (cause) {
			return refused(cause, { action: 'find', phone: phone.slice(0, 20) });
		}
	},
	register: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const input = { stationId: params.id, name: form.get('name'), phone: form.get('phone'), consent: form.get('consent') === 'on', ...profileFromForm(form) };
		let seekerId: number;
		try {
			seekerId = (await registerSeeker(ctx, locals.actor, input)).id;
		} catch (cause) {
			const e = asServiceError(cause);
			// The phone is registered already: say so, and lead to that person (masked if they are another station's).
			const existing = e?.reason === 'phone_taken' ? await findSeekerForStation(ctx, locals.actor, { stationId: params.id, phone: form.get('phone') }).catch(() => null) : null;
			return refused(cause, { action: 'register', values: echo(form), existing });
		}
		redirect(303, `/stations/${params.id}/seekers/${seekerId}?done=registered`);
	},
	takeOn: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		let seekerId: number | null;
		try {
			seekerId = (await registerSeekerHere(ctx, locals.actor, { stationId: params.id, phone: form.get('phone'), clientKey: form.get('clientKey') })).seekerId;
		} catch (cause) {
			return refused(cause, { action: 'takeOn' });
		}
		redirect(303, `/stations/${params.id}/seekers/${seekerId}?done=taken_on`);
	}
};
