import { type Handle, type HandleServerError, type ServerInit, json } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { hasMobileNumber } from '$lib/privacy';
import { anonymous } from '$lib/server/actor';
import { asServiceError } from '$lib/server/errors';
import { attachRealtime, getRuntime, stopRuntime } from '$lib/server/runtime';
import { setSessionCookie } from '$lib/server/auth/session-cookie';
import { log } from '$lib/server/log';
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing requests come from our own pages. SvelteKit refuses cross-site *form* posts (kit.csrf); this
 * refuses every other body as well — JSON, CSV, anything — so a session cookie never carries another site's
 * request into an endpoint, whatever its Content-Type. A browser names the page's origin in `Origin` (and, if
 * it sends no Origin, says `Sec-Fetch-Site: cross-site`); clients that send neither are not browsers and
 * cannot carry a victim's cookie. /api/v1 authenticates by Bearer token only and is called from partners' servers.
 */
const sameOriginWrites: Handle = ({ event, resolve }) => {
	if (SAFE_METHODS.has(event.request.method) || event.url.pathname.startsWith('/api/v1/')) return resolve(event);
	const origin = event.request.headers.get('origin');
	const foreign = origin ? origin !== event.url.origin : event.request.headers.get('sec-fetch-site') === 'cross-site';
	if (!foreign) return resolve(event);
	return json({ code: 'forbidden', reason: 'cross_site', message: 'Cross-site requests are refused' }, { status: 403 });
};

/**
 * What a signed-in person sees (names, phones, their own applications) and a wall display's board (its URL
 * holds the device token) is never kept by a browser or proxy cache: `Cache-Control: no-store` on every such
 * answer, pages and endpoints alike, unless the route chose a stricter value itself.
 */
const privateResponses: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const personal = Boolean(event.locals.user) || event.url.pathname.startsWith('/display/');
	if (personal && !/\bno-store\b/.test(response.headers.get('cache-control') ?? '')) response.headers.set('cache-control', 'private, no-store');
	return response;
};

/**
 * Phone numbers never travel in addresses: a URL ends up in browser history, proxy logs and referrers. Every
 * page that takes one posts it. Should a link or a client ever put one in a URL anyway, say so in the log
 * (the number itself masked, as in every log line), which the browser tests' log scan treats as a failure.
 */
const noPhonesInUrls: Handle = ({ event, resolve }) => {
	if (hasMobileNumber(event.url.pathname + event.url.search)) log.warn({ route: event.route.id, method: event.request.method }, 'phone number in a URL');
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

export const handle: Handle = sequence(securityHeaders, noPhonesInUrls, sameOriginWrites, i18n, privateResponses, authentication);

/**
 * Unexpected errors go to the app's log (JSON, phone numbers masked) with the route's pattern, never the
 * address: a path can hold a display's device token. Unknown paths (404) are not errors of ours.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404) log.error({ err: error, route: event.route.id, method: event.request.method, status }, 'request failed');
	return { message, reason: status === 404 ? 'not_found' : 'internal_error' };
};
