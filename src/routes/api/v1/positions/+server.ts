import { apiAnswer, jsonBodyOf, queryOf } from '$lib/server/exchange/http';
import { listOrganisationPositions, upsertPositionByRef } from '$lib/server/services/exchange';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request, url }) =>
	apiAnswer((await getRuntime()).ctx, request, (ctx, actor) => listOrganisationPositions(ctx, actor, queryOf(url)));

/** Upsert by `externalRef` in the body: 201 when the position was created, 200 when updated. */
export const POST: RequestHandler = async ({ request }) =>
	apiAnswer(
		(await getRuntime()).ctx,
		request,
		async (ctx, actor) => upsertPositionByRef(ctx, actor, await jsonBodyOf(request)),
		(answer) => (answer.created ? 201 : 200)
	);
