import { json } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole } from '$lib/server/auth/guard';
import { csvResponse } from '$lib/server/csv';
import { asServiceError } from '$lib/server/errors';
import { positionsCsv } from '$lib/server/exports/positions';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Positions of the signed-in user's scope as a spreadsheet (UTF-8 BOM, headers in the reader's language, no-store). */
export const GET: RequestHandler = async ({ locals }) => {
	requireRole(locals, 'admin', 'supervisor', 'staff', 'employer');
	const { ctx } = await getRuntime();
	try {
		const { filename, body } = await positionsCsv(ctx, locals.actor, getLocale());
		return csvResponse(body, filename);
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return json(e.toBody(), { status: e.status, headers: { 'cache-control': 'no-store' } });
	}
};
