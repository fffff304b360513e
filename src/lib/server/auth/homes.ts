/** Where each role lands after signing in (the demo logins' `home` mirrors this). */
import type { SessionUser } from '../services/auth';

export function homeFor(user: Pick<SessionUser, 'role' | 'stationId'>): string {
	switch (user.role) {
		case 'admin':
			return '/admin';
		case 'supervisor':
			return '/ops';
		case 'staff':
			return user.stationId ? `/stations/${user.stationId}` : '/';
		case 'employer':
			return '/employer';
		case 'seeker':
			return '/jobs';
	}
}

/**
 * A `next` target we are willing to redirect to: a path on this site only. `//evil.example` and
 * `/\evil.example` are protocol-relative in browsers, so they are refused along with absolute URLs.
 */
export function safeNext(next: string | null | undefined): string | null {
	if (!next || next.length > 512) return null;
	if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	// Control characters (CR/LF, NUL) in a redirect target are an injection attempt, so the class is the point.
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f]/.test(next)) return null;
	return next;
}
