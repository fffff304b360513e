import { apiAnswer, queryOf } from '$lib/server/exchange/http';
import { listPublicStations } from '$lib/server/services/exchange';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// Public facts, but still behind a token: the API is for known partners, and the token is what rate-limits.
export const GET: RequestHandler = async ({ request, url }) => apiAnswer((await getRuntime()).ctx, request, (ctx) => listPublicStations(ctx, queryOf(url)));
