/**
 * Sign-in, sessions and the actor behind a request or socket.
 * Sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored; sliding expiry.
 * Passwords: argon2id. Displays authenticate with a device token, stored hashed the same way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { type Actor, anonymous } from '../actor';
import { config } from '../config';
import type { AppContext } from '../context';
import { displays, sessions, users } from '../db/schema';
import { ServiceError, fromZod } from '../errors';

export const SESSION_COOKIE = 'jc_session';
const DAY = 24 * 60 * 60 * 1000;

export function sha256(token: string) {
	return createHash('sha256').update(token).digest('hex');
}

export function newToken(bytes = 32) {
	return randomBytes(bytes).toString('base64url');
}

export function hashPassword(password: string) {
	// OWASP's argon2id baseline: 19 MiB, 2 passes.
	return argon2Hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 });
}

export interface SessionUser {
	id: number;
	username: string;
	displayName: string;
	role: 'admin' | 'supervisor' | 'staff' | 'employer' | 'seeker';
	locale: string | null;
	regionCode: string | null;
	stationId: number | null;
	organisationId: number | null;
	seekerId: number | null;
}

export function actorOf(user: SessionUser): Actor {
	switch (user.role) {
		case 'admin':
			return { kind: 'admin', userId: user.id };
		case 'supervisor':
			return { kind: 'supervisor', userId: user.id, regionCode: user.regionCode! };
		case 'staff':
			return { kind: 'staff', userId: user.id, stationId: user.stationId! };
		case 'employer':
			return { kind: 'employer', userId: user.id, organisationId: user.organisationId! };
		case 'seeker':
			return { kind: 'seeker', userId: user.id, seekerId: user.seekerId! };
	}
}

const userColumns = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	role: users.role,
	locale: users.locale,
	regionCode: users.regionCode,
	stationId: users.stationId,
	organisationId: users.organisationId,
	seekerId: users.seekerId
};

export const loginInput = z.object({
	username: z.string().trim().min(1, 'required').max(64, 'too_long'),
	password: z.string().min(1, 'required').max(256, 'too_long')
});

/** A fixed hash to verify against when the user does not exist, so timing does not reveal usernames. */
let decoyHash: Promise<string> | null = null;

export async function login(ctx: AppContext, input: unknown): Promise<{ token: string; user: SessionUser; expiresAt: Date }> {
	const parsed = loginInput.safeParse(input);
	if (!parsed.success) throw fromZod(parsed.error);
	const { username, password } = parsed.data;
	const [row] = await ctx.db
		.select({ ...userColumns, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.username, username))
		.limit(1);
	decoyHash ??= hashPassword('decoy-password-for-timing');
	const ok = await argon2Verify(row?.passwordHash ?? (await decoyHash), password).catch(() => false);
	if (!row || !ok || row.disabledAt) {
		throw new ServiceError('unauthenticated', 'bad_credentials', 'Wrong username or password');
	}
	const { passwordHash: _p, disabledAt: _d, ...user } = row;
	return { ...(await openSession(ctx, row.id)), user };
}

/** A new session for a user whose identity was just proven (password, or an account just created). */
export async function openSession(ctx: AppContext, userId: number): Promise<{ token: string; expiresAt: Date }> {
	const token = newToken();
	const expiresAt = new Date(ctx.now().getTime() + config.sessionDays * DAY);
	await ctx.db.insert(sessions).values({ id: sha256(token), userId, expiresAt });
	return { token, expiresAt };
}

export async function sessionUser(ctx: AppContext, userId: number): Promise<SessionUser> {
	const [row] = await ctx.db.select(userColumns).from(users).where(eq(users.id, userId)).limit(1);
	return row;
}

/**
 * The user behind a session token, sliding the expiry forward when it is past half-life (`slid`: the
 * cookie's expiry must follow).
 * Returns null for an unknown, expired or disabled session.
 */
export async function validateSession(
	ctx: AppContext,
	token: string | undefined | null
): Promise<{ sessionId: string; user: SessionUser; expiresAt: Date; slid: boolean } | null> {
	if (!token || token.length > 128) return null;
	const sessionId = sha256(token);
	const now = ctx.now();
	const [row] = await ctx.db
		.select({ ...userColumns, expiresAt: sessions.expiresAt })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
		.limit(1);
	if (!row) return null;
	let expiresAt = row.expiresAt;
	const lifetime = config.sessionDays * DAY;
	const slid = expiresAt.getTime() - now.getTime() < lifetime / 2;
	if (slid) {
		expiresAt = new Date(now.getTime() + lifetime);
		await ctx.db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
	}
	const { expiresAt: _e, ...user } = row;
	return { sessionId, user, expiresAt, slid };
}

export async function logout(ctx: AppContext, sessionId: string) {
	await ctx.db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** The display behind a device token; revoked tokens give nothing. */
export async function actorFromDisplayToken(ctx: AppContext, token: string | undefined | null): Promise<Actor> {
	if (!token || token.length > 128) return anonymous;
	const [row] = await ctx.db
		.select({ id: displays.id, stationId: displays.stationId })
		.from(displays)
		.where(and(eq(displays.tokenHash, sha256(token)), isNull(displays.revokedAt)))
		.limit(1);
	return row ? { kind: 'display', displayId: row.id, stationId: row.stationId } : anonymous;
}
