/**
 * Rate limits (DESIGN.md "Security"): sign-in, self-registration, applications and chat.
 *
 * Login: failed attempts are counted per client address and per username over 15 minutes; either running
 * out refuses further attempts until the window passes. Only failures count, so people who sign in and out
 * all day are never locked out.
 *
 * In memory per process: with several processes an attacker gets N× the budget, which is acceptable for these
 * threats (argon2id keeps each guess expensive; a flood is slowed, not a quota kept); a shared store can
 * replace it later. A socket lives in one process, so its own limits are exact.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config';
import { rateLimited } from '../errors';

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

/** One point from `limiter` for `key`, or a `rate_limited` refusal saying how long to wait. */
async function take(limiter: RateLimiterMemory, key: string, reason: string, message: string) {
	try {
		await limiter.consume(key);
	} catch (res) {
		if (res instanceof RateLimiterRes) throw rateLimited(reason, res.msBeforeNext / 1000, message);
		throw res;
	}
}

/**
 * Applications per seeker, however they arrive (the job page, a live room, the socket): a person taps one
 * position at a time; a script applying to every open position would hand its contact details (or someone's)
 * to hundreds of employers. Checked before and spent only once an application was created: repeats of a tap,
 * taps on a position already applied to, and fifty identical double-taps in flight (one application) cost one
 * at most. Taps with different keys in flight at the same moment may go a little over; this slows floods, it
 * keeps no quota.
 */
export const APPLY_PER_MINUTE = 10;
const applicationsBySeeker = new RateLimiterMemory({ keyPrefix: 'apply_seeker', points: APPLY_PER_MINUTE, duration: 60 });

/** Throws `rate_limited` when this seeker has used the minute's applications. */
export async function checkApplicationBudget(seekerId: number) {
	const used = await applicationsBySeeker.get(String(seekerId));
	if (used && used.consumedPoints >= APPLY_PER_MINUTE) throw rateLimited('too_many_applications', used.msBeforeNext / 1000, `At most ${APPLY_PER_MINUTE} applications a minute`);
}

/** Counts an application that was created. */
export async function spendApplication(seekerId: number) {
	// Over the limit (by taps that were in flight together): counted all the same.
	await applicationsBySeeker.consume(String(seekerId)).catch((res) => {
		if (!(res instanceof RateLimiterRes)) throw res;
	});
}

/**
 * Per socket: the commands a person can fire as fast as they can tap. Chat is five lines in ten seconds (the
 * host's slow mode is the room's own, stricter tool); applying, twenty a minute per connection, on top of the
 * per-seeker limit.
 */
interface SocketLimit {
	limiter: RateLimiterMemory;
	reason: string;
	message: string;
}
const chatBySocket: SocketLimit = { limiter: new RateLimiterMemory({ keyPrefix: 'chat_socket', points: 5, duration: 10 }), reason: 'too_many_messages', message: 'At most 5 messages in 10 seconds' };
const applyBySocket: SocketLimit = { limiter: new RateLimiterMemory({ keyPrefix: 'apply_socket', points: 20, duration: 60 }), reason: 'too_many_applications', message: 'At most 20 applications a minute' };
const SOCKET_LIMITS: Record<string, SocketLimit> = { 'room:post': chatBySocket, 'application:apply': applyBySocket, 'room:apply': applyBySocket };

/** Count a command against its socket's limit (commands without one pass); throws `rate_limited`. */
export async function takeSocketCommand(socketId: string, command: string) {
	const limit = Object.hasOwn(SOCKET_LIMITS, command) ? SOCKET_LIMITS[command] : undefined;
	if (limit) await take(limit.limiter, socketId, limit.reason, limit.message);
}
