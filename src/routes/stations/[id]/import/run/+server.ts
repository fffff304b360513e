import { requireApiRole } from '$lib/server/auth/guard';
import { importStream } from '$lib/server/imports/stream';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Staff import what their station collected; the service refuses another station's staff. */
export const POST: RequestHandler = async ({ locals, request, params }) => {
	requireApiRole(locals, 'staff');
	const { ctx } = await getRuntime();
	return importStream(ctx, locals.actor, await request.formData().catch(() => null), { stationId: Number(params.id) });
};
