/**
 * The form action half of quick registration (QuickRegister.svelte): throttle by address, create the account,
 * set the session cookie, and make the rest of this request (the apply, the page's load) run as the new seeker.
 */
import { type RequestEvent, fail } from '@sveltejs/kit';
import { asServiceError } from '../errors';
import { getRuntime } from '../runtime';
import { registerSeekerAccount } from '../services/accounts';
import { actorOf } from '../services/auth';
import { takeRegistration } from './rate-limit';
import { setSessionCookie } from './session-cookie';

export async function quickRegister(event: RequestEvent, form: FormData) {
	const values = { name: String(form.get('name') ?? '').slice(0, 40), phone: String(form.get('phone') ?? '').slice(0, 20) };
	const refuse = (status: number, reason: string, fields: Record<string, string>) => ({ ok: false as const, failure: fail(status, { quick: true, reason, fields, values }) });
	const wait = await takeRegistration(event.getClientAddress());
	if (wait > 0) return refuse(429, 'rate_limited', { phone: 'rate_limited' });
	const { ctx } = await getRuntime();
	try {
		const session = await registerSeekerAccount(ctx, {
			name: form.get('name'),
			phone: form.get('phone'),
			password: form.get('password'),
			consent: form.get('consent') === 'on'
		});
		setSessionCookie(event.cookies, event.url, session.token, session.expiresAt);
		event.locals.user = session.user;
		event.locals.actor = actorOf(session.user);
		return { ok: true as const };
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return refuse(e.status, e.reason, e.fields ?? {});
	}
}
