import { randomBytes } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { formOf, orHttpError } from '$lib/server/auth/http';
import { asServiceError } from '$lib/server/errors';
import { getRuntime } from '$lib/server/runtime';
import { matchPositionsForSeeker } from '$lib/server/services/matching';
import { recommendPosition } from '$lib/server/services/recommendations';
import { getSeekerForStation, updateSeeker, withdrawConsent } from '$lib/server/services/seekers';
import { getStation } from '$lib/server/services/stations';
import type { Actions, PageServerLoad } from './$types';
import { echo, profileFromForm } from '../seeker-form';

export const load: PageServerLoad = async ({ locals, params, url, setHeaders }) => {
	requireRole(locals, 'staff', 'admin');
	// A person's name and phone: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const station = await orHttpError(getStation(ctx, locals.actor, Number(params.id)));
	const seeker = await orHttpError(getSeekerForStation(ctx, locals.actor, { stationId: station.id, seekerId: params.seekerId }));
	const done = url.searchParams.get('done');
	// Matching uses the person's preferences: only while their consent stands.
	const matching = seeker.consentWithdrawnAt ? null : await orHttpError(matchPositionsForSeeker(ctx, locals.actor, { seekerId: seeker.id, stationId: station.id, limit: 10 }));
	return {
		station: { id: station.id, name: station.name },
		seeker,
		matching,
		// One key per page view and position: a second tap on the same button is the same recommendation.
		recommendKey: `rec-${randomBytes(8).toString('hex')}`,
		done: done === 'registered' || done === 'taken_on' ? done : null
	};
};

export const actions: Actions = {
	update: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		// The page's own scope first: this seeker must be one this station may see.
		await orHttpError(getSeekerForStation(ctx, locals.actor, { stationId: params.id, seekerId: params.seekerId }));
		try {
			await updateSeeker(ctx, locals.actor, { seekerId: params.seekerId, name: form.get('name'), phone: form.get('phone'), ...profileFromForm(form) });
			return { saved: true as const };
		} catch (cause) {
			const e = asServiceError(cause);
			if (!e) throw cause;
			// On a refusal, the form comes back as it was typed.
			return fail(e.status, { action: 'update', reason: e.reason, fields: e.fields ?? {}, values: echo(form) });
		}
	},
	withdraw: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		if (form.get('confirm') !== 'on') return fail(400, { action: 'withdraw', reason: 'confirm_required', fields: { confirm: 'confirm_required' } });
		const { ctx } = await getRuntime();
		await orHttpError(getSeekerForStation(ctx, locals.actor, { stationId: params.id, seekerId: params.seekerId }));
		try {
			await withdrawConsent(ctx, locals.actor, { seekerId: params.seekerId });
			return { withdrawn: true as const };
		} catch (cause) {
			const e = asServiceError(cause);
			if (!e) throw cause;
			return fail(e.status, { action: 'withdraw', reason: e.reason, fields: e.fields ?? {} });
		}
	},
	recommend: async ({ locals, params, request }) => {
		requireRole(locals, 'staff', 'admin');
		const form = await formOf(request);
		const positionId = Number(form.get('positionId'));
		const { ctx } = await getRuntime();
		try {
			const answer = await recommendPosition(ctx, locals.actor, { stationId: params.id, seekerId: params.seekerId, positionId: form.get('positionId'), clientKey: form.get('clientKey') });
			return { recommended: { positionId, alreadyApplied: answer.alreadyApplied } };
		} catch (cause) {
			const e = asServiceError(cause);
			if (!e) throw cause;
			return fail(e.status, { action: 'recommend', reason: e.reason, positionId });
		}
	}
};
