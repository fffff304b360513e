import { requireApiRole } from '$lib/server/auth/guard';
import { importStream } from '$lib/server/imports/stream';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** An employer imports for its own organisation (the service files every row under it). */
export const POST: RequestHandler = async ({ locals, request }) => {
	requireApiRole(locals, 'employer');
	const { ctx } = await getRuntime();
	return importStream(ctx, locals.actor, await request.formData().catch(() => null));
};
