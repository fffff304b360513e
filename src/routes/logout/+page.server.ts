import { redirect } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { SESSION_COOKIE, logout } from '$lib/server/services/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.sessionId) {
			const { ctx, realtime } = await getRuntime();
			await logout(ctx, locals.sessionId);
			// The session's open sockets must not outlive it.
			realtime?.endSession(locals.sessionId, 'logout');
		}
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/');
	}
};
