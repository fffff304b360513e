import { apiAnswer, queryOf } from '$lib/server/exchange/http';
import { listApplicationsForPosition } from '$lib/server/services/applications';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The applications service decides scope (403 for another organisation's position) and what personal data shows.
export const GET: RequestHandler = async ({ request, params, url }) =>
	apiAnswer((await getRuntime()).ctx, request, async (ctx, actor) => ({
		applications: await listApplicationsForPosition(ctx, actor, {
			...queryOf(url),
			// The service takes a number for limit; a query string gives text.
			...(url.searchParams.has('limit') ? { limit: Number(url.searchParams.get('limit')) } : {}),
			positionId: params.id
		})
	}));
