import { redirect } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { SESSION_COOKIE, logout } from '$lib/server/services/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.sessionId) {
			const { ctx, realtime } = await getRuntime();
			await logout(ctx, locals.sessionId);
			// The session's open sockets must not outlive it.
			realtime?.endSession(locals.sessionId, 'logout');
		}
		// Same `secure` as when it was set: over plain http a Secure delete is ignored by browsers.
		cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
		redirect(303, '/');
	}
};
