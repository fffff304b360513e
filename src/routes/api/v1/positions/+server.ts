import { apiAnswer, queryOf } from '$lib/server/exchange/http';
import { listOrganisationPositions } from '$lib/server/services/exchange';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request, url }) =>
	apiAnswer((await getRuntime()).ctx, request, (ctx, actor) => listOrganisationPositions(ctx, actor, queryOf(url)));
