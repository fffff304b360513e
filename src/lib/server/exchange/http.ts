/**
 * One wrapper for every /api/v1 endpoint: authenticate the bearer token, run the service, answer JSON
 * with `Cache-Control: no-store` (answers can carry personal data), service errors as `{code, reason,
 * message, fields}` with their status.
 */
import { json } from '@sveltejs/kit';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { retryAfterHeader } from '../auth/http';
import { asServiceError, invalid } from '../errors';
import { authenticateApiToken } from '../services/api-tokens';

const headers = { 'cache-control': 'no-store' };

/**
 * Takes the context from the caller so integration tests drive the same path against their own database.
 * `statusOf` picks a success status from the answer (201 for a created position, 422 for a refused import).
 */
export async function apiAnswer<T>(
	ctx: AppContext,
	request: Request,
	work: (ctx: AppContext, actor: Actor) => Promise<T>,
	statusOf: (value: T) => number = () => 200
): Promise<Response> {
	try {
		const actor = await authenticateApiToken(ctx, request.headers.get('authorization'));
		const value = await work(ctx, actor);
		return json(value, { status: statusOf(value), headers });
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return json(e.toBody(), { status: e.status, headers: { ...headers, ...retryAfterHeader(e) } });
	}
}

/** Query parameters as a plain object (the service's zod schema coerces and names bad ones). */
export function queryOf(url: URL) {
	return Object.fromEntries(url.searchParams);
}

/** A JSON request body (a BOM tolerated); malformed JSON is the client's 400 naming `body`, not our 500. */
export async function jsonBodyOf(request: Request): Promise<unknown> {
	const text = (await request.text()).replace(/^\uFEFF/, '');
	try {
		return JSON.parse(text);
	} catch {
		throw invalid({ body: 'json_syntax' });
	}
}
