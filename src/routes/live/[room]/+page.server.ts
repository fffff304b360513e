import { randomUUID } from 'node:crypto';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { rtcSettingsFor } from '$lib/server/realtime/rtc-settings';
import { getRuntime } from '$lib/server/runtime';
import { applyInRoom, getRoom } from '$lib/server/services/rooms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { ctx } = await getRuntime();
	const room = await orHttpError(getRoom(ctx, locals.actor, params.room));
	return {
		...room,
		// One key per page view and position: a double tap, or a resubmitted form, is the same application.
		pageKey: randomUUID(),
		signedInAs: locals.user?.role ?? null,
		webrtc: rtcSettingsFor(room.room)
	};
};

export const actions: Actions = {
	apply: async ({ locals, params, request }) => {
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({
			applied: await applyInRoom(ctx, locals.actor, { roomId: params.room, positionId: form.get('positionId'), clientKey: form.get('clientKey') })
		}));
	}
};
