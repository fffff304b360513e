import { json } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole } from '$lib/server/auth/guard';
import { csvResponse } from '$lib/server/csv';
import { asServiceError } from '$lib/server/errors';
import { stationStatsCsv } from '$lib/server/exports/station-stats';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** ?from=YYYY-MM-DD&to=YYYY-MM-DD (service days, inclusive); 400 naming the field for a bad range. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireRole(locals, 'admin', 'supervisor', 'staff');
	const { ctx } = await getRuntime();
	try {
		const { filename, body } = await stationStatsCsv(ctx, locals.actor, Object.fromEntries(url.searchParams), getLocale());
		return csvResponse(body, filename);
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return json(e.toBody(), { status: e.status, headers: { 'cache-control': 'no-store' } });
	}
};
