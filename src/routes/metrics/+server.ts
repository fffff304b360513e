import { error } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { bearerMatches, scrape } from '$lib/server/metrics/scrape';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Prometheus metrics of the app processes (figures only, no personal data). Only with METRICS_TOKEN set,
 * and only for `Authorization: Bearer <METRICS_TOKEN>`: without the setting the endpoint does not exist.
 */
export const GET: RequestHandler = async ({ request }) => {
	if (!config.metricsToken) error(404, 'Not found');
	if (!bearerMatches(request.headers.get('authorization'), config.metricsToken)) {
		return new Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' } });
	}
	await getRuntime();
	const { text, contentType } = await scrape();
	return new Response(text, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
};
