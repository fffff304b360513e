import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { asServiceError } from '$lib/server/errors';
import { coverageFiltersFrom, coverageOptions, coverageQuery, coverageReport } from '$lib/server/queries/coverage';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'supervisor', 'admin');
	const { ctx } = await getRuntime();
	try {
		const filters = coverageFiltersFrom(url.searchParams);
		const [report, options] = await Promise.all([coverageReport(ctx, locals.actor, filters), coverageOptions(ctx, locals.actor)]);
		return { report, options, query: coverageQuery(filters) };
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		// The fields travel with the error so this route's error page can say which filter was wrong.
		const body: App.Error & { fields?: Record<string, string> } = { message: e.message, reason: e.reason, fields: e.fields };
		error(e.status, body);
	}
};
