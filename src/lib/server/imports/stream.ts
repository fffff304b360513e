/**
 * The import pages' endpoint: the uploaded file in, newline-delimited JSON out — progress lines while the
 * rows are checked and written, then the report (or the error). Ten thousand rows take seconds, and a
 * person watching a button for seconds wants to see it move.
 */
import type { ImportStreamLine } from '$lib/imports/report';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { asServiceError, invalid } from '../errors';
import { importPositions } from '../services/position-import';

export function importStream(ctx: AppContext, actor: Actor, form: FormData | null, target: { stationId?: number } = {}): Response {
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (line: ImportStreamLine) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
			try {
				const file = form?.get('file');
				if (!(file instanceof File) || file.size === 0) throw invalid({ file: 'no_file' });
				const input = { mode: form?.get('mode'), stationId: target.stationId, format: /\.json$/i.test(file.name) ? 'json' : undefined };
				const report = await importPositions(ctx, actor, input, new Uint8Array(await file.arrayBuffer()), (phase, done, total) =>
					send({ type: 'progress', phase, done, total })
				);
				send({ type: 'report', report });
			} catch (cause) {
				const e = asServiceError(cause);
				if (!e) ctx.log.error({ err: cause }, 'position import failed');
				// A bug's details stay in the log; the page says nothing was written, which the transaction guarantees.
				send({ type: 'error', ...(e?.toBody() ?? { code: 'unavailable', reason: 'import_failed', message: 'The import failed; nothing was written' }) });
			}
			controller.close();
		}
	});
	return new Response(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
}
