import { requireUser } from '$lib/server/auth/guard';
import { actionOrFail, formOf, orHttpError } from '$lib/server/auth/http';
import { rtcSettingsFor } from '$lib/server/realtime/rtc-settings';
import { getRuntime } from '$lib/server/runtime';
import { addToQueue, getRoomHost, pinPosition, setRoomState, setSlowMode } from '$lib/server/services/rooms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	requireUser(locals);
	// Masked contacts are still nobody else's business: never cached.
	setHeaders({ 'cache-control': 'no-store' });
	const { ctx } = await getRuntime();
	const room = await orHttpError(getRoomHost(ctx, locals.actor, params.room));
	return { ...room, webrtc: rtcSettingsFor(room.room) };
};

/** The console's controls work as plain forms too; moderation and reveals go over the socket. */
export const actions: Actions = {
	setState: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ state: (await setRoomState(ctx, locals.actor, { roomId: params.room, state: form.get('state') })).state }));
	},
	pin: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ pinned: await pinPosition(ctx, locals.actor, { roomId: params.room, positionId: form.get('positionId') }) }));
	},
	add: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ added: await addToQueue(ctx, locals.actor, { roomId: params.room, positionId: form.get('positionId') }) }));
	},
	slowMode: async ({ locals, params, request }) => {
		requireUser(locals);
		const form = await formOf(request);
		const { ctx } = await getRuntime();
		return actionOrFail(async () => ({ slowMode: await setSlowMode(ctx, locals.actor, { roomId: params.room, seconds: Number(form.get('seconds')) }) }));
	}
};
