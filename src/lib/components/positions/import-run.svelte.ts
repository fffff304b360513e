/**
 * One import on the page: posts the file to the page's endpoint and follows its stream of progress lines
 * to the report. The file stays in the browser between the check and the import, so "import" sends the
 * same file again rather than trusting anything kept on the server between two requests.
 */
import type { ImportMode, ImportPhase, ImportReport, ImportStreamLine } from '$lib/imports/report';

export interface ImportFailure {
	code?: string;
	reason: string;
	fields?: Record<string, string>;
}

export class ImportRun {
	busy = $state(false);
	progress = $state<{ phase: ImportPhase; done: number; total: number } | null>(null);
	/** The latest report: a check's, or the import's once it ran. */
	report = $state<ImportReport | null>(null);
	failure = $state<ImportFailure | null>(null);

	constructor(private readonly url: string) {}

	reset() {
		this.report = null;
		this.failure = null;
		this.progress = null;
	}

	async run(file: File | null, mode: ImportMode) {
		if (this.busy) return;
		this.failure = null;
		if (!file) {
			this.failure = { reason: 'invalid_input', fields: { file: 'no_file' } };
			return;
		}
		this.busy = true;
		this.progress = { phase: 'reading', done: 0, total: 0 };
		try {
			const body = new FormData();
			body.set('file', file);
			body.set('mode', mode);
			const response = await fetch(this.url, { method: 'POST', body, headers: { accept: 'application/x-ndjson' } });
			if (!response.ok || !response.body) {
				const answer = await response.json().catch(() => null);
				this.failure = { code: answer?.code, reason: answer?.reason ?? 'import_failed', fields: answer?.fields };
				return;
			}
			const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
			let buffer = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				buffer += value;
				for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
					this.apply(JSON.parse(buffer.slice(0, nl)) as ImportStreamLine);
					buffer = buffer.slice(nl + 1);
				}
			}
		} catch {
			// The connection dropped: the server's transaction either committed whole or not at all.
			this.failure = { reason: 'import_failed' };
		} finally {
			this.busy = false;
			this.progress = null;
		}
	}

	private apply(line: ImportStreamLine) {
		if (line.type === 'progress') this.progress = { phase: line.phase, done: line.done, total: line.total };
		else if (line.type === 'report') this.report = line.report;
		else this.failure = { code: line.code, reason: line.reason, fields: line.fields };
	}
}
