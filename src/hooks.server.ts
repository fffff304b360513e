import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { anonymous } from '$lib/server/actor';
import { asServiceError } from '$lib/server/errors';
import { attachRealtime, getRuntime, stopRuntime } from '$lib/server/runtime';
import { setSessionCookie } from '$lib/server/auth/session-cookie';
import { SESSION_COOKIE, actorOf, validateSession } from '$lib/server/services/auth';

export const init: ServerInit = async () => {
	// Servers outside SvelteKit's bundle (server.js, vite preview) attach socket.io through this.
	const g = globalThis as Record<symbol, unknown>;
	g[Symbol.for('jobcircle.attach')] = attachRealtime;
	g[Symbol.for('jobcircle.shutdown')] = stopRuntime;
	await getRuntime();
};

/** Paths that neither read the session nor depend on it (health checks must work when the database does not). */
const SESSIONLESS = new Set(['/healthz', '/metrics']);

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

const authentication: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.actor = anonymous;
	event.locals.sessionId = null;
	if (SESSIONLESS.has(event.url.pathname)) return resolve(event);

	const token = event.cookies.get(SESSION_COOKIE);
	let session: Awaited<ReturnType<typeof validateSession>> = null;
	if (token) {
		try {
			const { ctx } = await getRuntime();
			session = await validateSession(ctx, token);
		} catch (cause) {
			// Without the database we cannot tell who this is; say so rather than treat them as signed out.
			if (asServiceError(cause)?.code === 'unavailable') {
				return new Response('Service temporarily unavailable / 服务暂时不可用', { status: 503, headers: { 'retry-after': '5' } });
			}
			throw cause;
		}
	}
	if (session) {
		event.locals.user = session.user;
		event.locals.actor = actorOf(session.user);
		event.locals.sessionId = session.sessionId;
		// Sliding expiry: when the session was extended, the cookie follows (not on every response).
		if (session.slid) {
			setSessionCookie(event.cookies, event.url, token!, session.expiresAt);
		}
	} else if (token) {
		// `secure` must match the scheme: browsers ignore a Secure Set-Cookie over plain http, so the delete would not happen.
		event.cookies.delete(SESSION_COOKIE, { path: '/', secure: event.url.protocol === 'https:' });
	}
	return resolve(event);
};

/** Headers CSP does not cover. Display URLs carry a device token, so no page leaks its URL as a referrer. */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	if (event.url.pathname.startsWith('/display/')) response.headers.set('referrer-policy', 'no-referrer');
	return response;
};

export const handle: Handle = sequence(securityHeaders, i18n, authentication);
