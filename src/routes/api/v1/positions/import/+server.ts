import { apiAnswer } from '$lib/server/exchange/http';
import { importAnswer } from '$lib/server/exchange/import';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Bulk import (JSON array or text/csv body), `?mode=check|all|valid`; 422 with the report when `all` was refused. */
export const POST: RequestHandler = async ({ request, url }) =>
	apiAnswer((await getRuntime()).ctx, request, (ctx, actor) => importAnswer(ctx, actor, request, url), (answer) => (answer.refused ? 422 : 200));
