/**
 * Page guards. A role-only page sends anonymous visitors to sign in (and back afterwards) and refuses
 * signed-in users of another role with 403.
 */
import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import type { SessionUser } from '../services/auth';

export type Role = SessionUser['role'];

export function requireUser(locals: App.Locals): SessionUser {
	if (locals.user) return locals.user;
	const { url } = getRequestEvent();
	redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

export function requireRole<R extends Role>(locals: App.Locals, ...roles: R[]): SessionUser & { role: R } {
	const user = requireUser(locals);
	if (!(roles as Role[]).includes(user.role)) error(403, { message: 'Not allowed for your role', reason: 'wrong_role' });
	return user as SessionUser & { role: R };
}

/** For JSON endpoints: 401 / 403 as errors instead of a redirect to the sign-in page. */
export function requireApiRole<R extends Role>(locals: App.Locals, ...roles: R[]): SessionUser & { role: R } {
	const user = locals.user;
	if (!user) error(401, { message: 'Sign in first', reason: 'unauthenticated' });
	if (!(roles as Role[]).includes(user.role)) error(403, { message: 'Not allowed for your role', reason: 'wrong_role' });
	return user as SessionUser & { role: R };
}
