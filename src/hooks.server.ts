import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { anonymous } from '$lib/server/actor';
import { attachRealtime, getRuntime, stopRuntime } from '$lib/server/runtime';
import { SESSION_COOKIE, actorOf, validateSession } from '$lib/server/services/auth';

export const init: ServerInit = async () => {
	// Servers outside SvelteKit's bundle (server.js, vite preview) attach socket.io through this.
	const g = globalThis as Record<symbol, unknown>;
	g[Symbol.for('jobcircle.attach')] = attachRealtime;
	g[Symbol.for('jobcircle.shutdown')] = stopRuntime;
	await getRuntime();
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

const authentication: Handle = async ({ event, resolve }) => {
	const { ctx } = await getRuntime();
	const session = await validateSession(ctx, event.cookies.get(SESSION_COOKIE));
	if (session) {
		event.locals.user = session.user;
		event.locals.actor = actorOf(session.user);
		event.locals.sessionId = session.sessionId;
		event.cookies.set(SESSION_COOKIE, event.cookies.get(SESSION_COOKIE)!, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			expires: session.expiresAt
		});
	} else {
		event.locals.user = null;
		event.locals.actor = anonymous;
		event.locals.sessionId = null;
	}
	return resolve(event);
};

export const handle: Handle = sequence(i18n, authentication);
