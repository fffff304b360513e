import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { formOf, orHttpError } from '$lib/server/auth/http';
import { config } from '$lib/server/config';
import { asServiceError } from '$lib/server/errors';
import { getRuntime } from '$lib/server/runtime';
import { schedulablePositions, scheduleRoom } from '$lib/server/services/rooms';
import { parseServiceLocal, toServiceLocalInput } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireRole(locals, 'employer', 'staff', 'admin');
	const { ctx } = await getRuntime();
	const positions = await orHttpError(schedulablePositions(ctx, locals.actor));
	// In an hour, on the quarter hour: a sensible default the host usually keeps or nudges.
	const inAnHour = new Date(Math.ceil((ctx.now().getTime() + 3_600_000) / 900_000) * 900_000);
	return { positions, role: user.role, defaults: { scheduledAt: toServiceLocalInput(inAnHour) }, webrtcMaxViewers: config.webrtcMaxViewers };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		requireRole(locals, 'employer', 'staff', 'admin');
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		const text = (name: string) => String(form.get(name) ?? '');
		const values = { title: text('title'), scheduledAt: text('scheduledAt'), videoKind: text('videoKind') || 'none', videoUrl: text('videoUrl'), hostOrganisationId: text('hostOrganisationId'), stationId: text('stationId') };
		const picked = form.getAll('positionId').map(String);
		let roomId: number;
		try {
			const room = await scheduleRoom(ctx, locals.actor, {
				title: values.title,
				scheduledAt: parseServiceLocal(values.scheduledAt),
				positionIds: picked,
				videoKind: values.videoKind,
				videoUrl: values.videoUrl.trim() || null,
				hostOrganisationId: values.hostOrganisationId || null,
				stationId: values.stationId || null
			});
			roomId = room.id;
		} catch (cause) {
			const e = asServiceError(cause);
			if (!e) throw cause;
			return fail(e.status, { reason: e.reason, fields: e.fields ?? {}, values, picked });
		}
		redirect(303, `/live/${roomId}/host`);
	}
};
