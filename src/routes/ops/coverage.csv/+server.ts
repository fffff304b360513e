import { json } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole } from '$lib/server/auth/guard';
import { csvResponse } from '$lib/server/csv';
import { asServiceError } from '$lib/server/errors';
import { coverageCsv } from '$lib/server/exports/coverage';
import { coverageFiltersFrom, coverageReport } from '$lib/server/queries/coverage';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The coverage table as a spreadsheet: same guard and filters as /ops/coverage. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireRole(locals, 'supervisor', 'admin');
	const { ctx } = await getRuntime();
	try {
		const report = await coverageReport(ctx, locals.actor, coverageFiltersFrom(url.searchParams));
		const { filename, body } = coverageCsv(report, getLocale(), ctx.now());
		return csvResponse(body, filename);
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return json(e.toBody(), { status: e.status, headers: { 'cache-control': 'no-store' } });
	}
};
