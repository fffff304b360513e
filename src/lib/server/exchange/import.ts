/**
 * POST /api/v1/positions/import: the body is the file (a JSON array, or CSV with `Content-Type: text/csv`),
 * the mode a query parameter. The answer is the import report; a refused `all` also carries the error
 * fields (`code`, `reason`, `message`), so it reads as an error body and as a report.
 */
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { importPositions } from '../services/position-import';

function formatOf(contentType: string | null) {
	if (/\b(text\/csv|text\/plain)\b/i.test(contentType ?? '')) return 'csv';
	if (/\bjson\b/i.test(contentType ?? '')) return 'json';
	return undefined;
}

export async function importAnswer(ctx: AppContext, actor: Actor, request: Request, url: URL) {
	const input = { mode: url.searchParams.get('mode') ?? 'all', format: formatOf(request.headers.get('content-type')) };
	const report = await importPositions(ctx, actor, input, new Uint8Array(await request.arrayBuffer()));
	if (!report.refused) return report;
	return { code: 'invalid' as const, reason: 'rows_invalid', message: `${report.invalid} of ${report.total} rows fail; nothing was imported`, ...report };
}
