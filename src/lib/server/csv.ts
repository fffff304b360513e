/**
 * CSV for spreadsheets (RFC 4180), written by hand: quoting is a few lines, and a dependency for it would be
 * more to keep than the code. What Excel needs on top of the RFC: a UTF-8 byte-order mark, without which it
 * reads Chinese as mojibake, and CRLF line ends.
 */
export const BOM = '\uFEFF';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One cell. Quoted when it holds a comma, quote or line break (quotes doubled). Text that a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: names come from users and admins,
 * and an export must not become a way to run a formula on a supervisor's machine. Numbers stay numbers.
 */
export function csvCell(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: BOM, one line per row, CRLF after every line. */
export function toCsv(rows: CsvValue[][]): string {
	return BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A CSV download. `filename` must be ASCII (callers build it from codes and dates). */
export function csvResponse(body: string, filename: string): Response {
	if (!/^[\w.-]+$/.test(filename)) throw new Error(`CSV filename must be plain ASCII, got "${filename}"`);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
}
