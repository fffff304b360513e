/** The session cookie, set the same way on sign-in, self-registration and sliding expiry. */
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from '../services/auth';

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date) {
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: expiresAt });
}
