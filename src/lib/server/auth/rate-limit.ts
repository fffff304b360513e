/**
 * Login throttling (DESIGN.md "Security"): failed attempts are counted per client address and per
 * username over 15 minutes; either running out refuses further attempts until the window passes.
 * Only failures count, so people who sign in and out all day are never locked out.
 * In memory per process: with several processes an attacker gets N× the budget, which is acceptable
 * for this threat (argon2id keeps each guess expensive); a shared store can replace it later.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config';

const WINDOW_S = 15 * 60;

function limiter(keyPrefix: string) {
	return new RateLimiterMemory({ keyPrefix, points: config.loginAttempts, duration: WINDOW_S });
}

const byAddress = limiter('login_ip');
const byUsername = limiter('login_user');

const userKey = (username: string) => username.trim().toLowerCase().slice(0, 64);

/** Seconds until another attempt is allowed, or 0 when the attempt may go ahead. */
export async function loginBlockedFor(address: string, username: string): Promise<number> {
	const [a, u] = await Promise.all([byAddress.get(address), username ? byUsername.get(userKey(username)) : null]);
	const blocked = [a, u].filter((r): r is RateLimiterRes => !!r && r.consumedPoints >= config.loginAttempts);
	if (!blocked.length) return 0;
	return Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000);
}

/** Count a failed attempt against both keys. */
export async function recordLoginFailure(address: string, username: string) {
	// consume() rejects once the points are gone; the rejection carries the same information as get().
	await Promise.allSettled([byAddress.consume(address), username ? byUsername.consume(userKey(username)) : null]);
}

/** A successful sign-in clears the account's failures (not the address's: one good account must not reset a spray). */
export async function recordLoginSuccess(username: string) {
	await byUsername.delete(userKey(username));
}

/**
 * Self-registration per client address: each account costs an argon2id hash and a row, so a script must
 * not create them by the thousand. Ten an hour is more than a family sharing one phone network needs.
 */
const registrations = new RateLimiterMemory({ keyPrefix: 'register_ip', points: 10, duration: 60 * 60 });

/** Seconds until this address may register again, or 0 after taking one of its registrations. */
export async function takeRegistration(address: string): Promise<number> {
	try {
		await registrations.consume(address);
		return 0;
	} catch (res) {
		if (res instanceof RateLimiterRes) return Math.ceil(res.msBeforeNext / 1000);
		throw res;
	}
}
