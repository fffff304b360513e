/**
 * One wrapper for every /api/v1 endpoint: authenticate the bearer token, run the service, answer JSON
 * with `Cache-Control: no-store` (answers can carry personal data), service errors as `{code, reason,
 * message, fields}` with their status.
 */
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { jsonOrError } from '../auth/http';
import { authenticateApiToken } from '../services/api-tokens';

const headers = { 'cache-control': 'no-store' };

/** Takes the context from the caller so integration tests drive the same path against their own database. */
export function apiAnswer<T>(ctx: AppContext, request: Request, work: (ctx: AppContext, actor: Actor) => Promise<T>): Promise<Response> {
	return jsonOrError(async () => {
		const actor = await authenticateApiToken(ctx, request.headers.get('authorization'));
		return work(ctx, actor);
	}, { headers });
}

/** Query parameters as a plain object (the service's zod schema coerces and names bad ones). */
export function queryOf(url: URL) {
	return Object.fromEntries(url.searchParams);
}
