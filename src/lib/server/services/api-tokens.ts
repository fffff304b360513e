/**
 * Per-organisation API tokens for /api/v1 (issue 4, item 7): admins create and revoke them; the token is
 * shown once and only its SHA-256 is stored. A request bearing a live token acts as an employer of the
 * token's organisation, so every service's existing scope checks apply to the platform unchanged.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { apiTokens, organisations, users } from '../db/schema';
import { forbidden, notFound, rateLimited, ServiceError } from '../errors';
import { id, parse, requiredText } from '../validation';
import { sha256 } from './auth';

const createInput = z.object({ organisationId: id, label: requiredText(60) });
const revokeInput = z.object({ tokenId: id });

/** Tokens carry a prefix so a leaked one is recognisable in logs and secret scanners. */
const PREFIX = 'jc_';

export async function createApiToken(ctx: AppContext, actor: Actor, input: unknown) {
	if (actor.kind !== 'admin') throw forbidden();
	const data = parse(createInput, input);
	const [org] = await ctx.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, data.organisationId));
	if (!org) throw new ServiceError('invalid', 'unknown_organisation', 'Unknown organisation', { organisationId: 'unknown_organisation' });
	const token = PREFIX + randomBytes(32).toString('base64url');
	const [row] = await ctx.db
		.insert(apiTokens)
		.values({ organisationId: org.id, label: data.label, tokenHash: sha256(token), createdBy: actor.userId })
		.returning();
	// The only answer that ever carries the token.
	return { tokenId: row.id, organisationId: row.organisationId, label: row.label, token };
}

export async function revokeApiToken(ctx: AppContext, actor: Actor, input: unknown) {
	if (actor.kind !== 'admin') throw forbidden();
	const { tokenId } = parse(revokeInput, input);
	const [current] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
	if (!current) throw notFound('api_token');
	if (current.revokedAt) return { tokenId, revokedAt: current.revokedAt.toISOString() };
	const now = ctx.now();
	await ctx.db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)));
	return { tokenId, revokedAt: now.toISOString() };
}

/** All tokens, newest first, without their hashes. */
export async function listApiTokens(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'admin') throw forbidden();
	return ctx.db
		.select({
			id: apiTokens.id,
			label: apiTokens.label,
			organisationId: apiTokens.organisationId,
			organisationName: organisations.name,
			createdBy: users.username,
			createdAt: apiTokens.createdAt,
			lastUsedAt: apiTokens.lastUsedAt,
			revokedAt: apiTokens.revokedAt
		})
		.from(apiTokens)
		.innerJoin(organisations, eq(organisations.id, apiTokens.organisationId))
		.innerJoin(users, eq(users.id, apiTokens.createdBy))
		.orderBy(desc(apiTokens.id))
		.limit(500);
}

const unauthenticated = (reason: string) => new ServiceError('unauthenticated', reason, 'A valid API token is required');

/** Requests per token per minute; in memory per process (N processes give N× the budget, acceptable here). */
const PER_MINUTE = 600;
const limiter = new RateLimiterMemory({ keyPrefix: 'api_token', points: PER_MINUTE, duration: 60 });

/**
 * The actor behind an `Authorization: Bearer …` header: an employer of the token's organisation (userId is
 * the admin who created the token, for the record). Missing, unknown or revoked → 401; over the rate → 429.
 */
export async function authenticateApiToken(ctx: AppContext, authorization: string | null): Promise<Actor> {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	if (!match) throw unauthenticated('missing_token');
	const token = match[1];
	if (!token.startsWith(PREFIX) || token.length > 100) throw unauthenticated('invalid_token');
	const [row] = await ctx.db
		.select({ id: apiTokens.id, organisationId: apiTokens.organisationId, createdBy: apiTokens.createdBy, revokedAt: apiTokens.revokedAt })
		.from(apiTokens)
		.where(eq(apiTokens.tokenHash, sha256(token)));
	if (!row) throw unauthenticated('invalid_token');
	if (row.revokedAt) throw unauthenticated('revoked_token');
	try {
		await limiter.consume(String(row.id));
	} catch (cause) {
		if (cause instanceof RateLimiterRes) throw rateLimited('token_rate_limited', cause.msBeforeNext / 1000, `At most ${PER_MINUTE} requests a minute per token`);
		throw cause;
	}
	await ctx.db.update(apiTokens).set({ lastUsedAt: ctx.now() }).where(eq(apiTokens.id, row.id));
	return { kind: 'employer', userId: row.createdBy, organisationId: row.organisationId };
}

/** Organisations a token can be made for (the admin's picker). */
export async function listTokenOrganisations(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'admin') throw forbidden();
	return ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(asc(organisations.name)).limit(2000);
}
