import { fail, redirect } from '@sveltejs/kit';
import { homeFor, safeNext } from '$lib/server/auth/homes';
import { formOf } from '$lib/server/auth/http';
import { setSessionCookie } from '$lib/server/auth/session-cookie';
import { loginBlockedFor, recordLoginFailure, recordLoginSuccess } from '$lib/server/auth/rate-limit';
import { asServiceError } from '$lib/server/errors';
import { getRuntime } from '$lib/server/runtime';
import { login } from '$lib/server/services/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? homeFor(locals.user));
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const form = await formOf(request);
		const username = String(form.get('username') ?? '');
		const password = String(form.get('password') ?? '');
		const address = getClientAddress();
		const wait = await loginBlockedFor(address, username);
		if (wait > 0) return fail(429, { username, reason: 'rate_limited', seconds: wait, fields: {} as Record<string, string> });
		const { ctx } = await getRuntime();
		try {
			const session = await login(ctx, { username, password });
			await recordLoginSuccess(username);
			setSessionCookie(cookies, url, session.token, session.expiresAt);
			redirect(303, safeNext(url.searchParams.get('next')) ?? homeFor(session.user));
		} catch (error) {
			const e = asServiceError(error);
			if (!e) throw error;
			if (e.code === 'invalid') return fail(400, { username, reason: 'invalid', seconds: 0, fields: e.fields ?? {} });
			if (e.code === 'unauthenticated') {
				await recordLoginFailure(address, username);
				return fail(400, { username, reason: 'bad_credentials', seconds: 0, fields: {} as Record<string, string> });
			}
			return fail(e.status, { username, reason: e.reason, seconds: 0, fields: {} as Record<string, string> });
		}
	}
};
