/**
 * Reading CSV files people made in a spreadsheet (RFC 4180, by hand like the writer in csv.ts: a reader is
 * one loop, a dependency would be more to keep). On top of the RFC, what real files bring: a UTF-8 BOM,
 * LF or CR line ends, tab-separated files saved as "CSV", and GB18030 from Excel on Chinese Windows.
 */
import { ServiceError } from './errors';

/** Bytes as text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK), the other encoding Excel writes here. */
export function decodeText(bytes: Uint8Array): string {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		try {
			text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
		} catch {
			throw new ServiceError('invalid', 'file_encoding', 'The file is neither UTF-8 nor GB18030 text', { file: 'file_encoding' });
		}
	}
	return text.replace(/^\uFEFF/, '');
}

/** The separator of the header line: a comma unless the line has tabs (or semicolons) and no comma. */
function separatorOf(text: string): string {
	const firstLine = text.slice(0, text.search(/\r|\n|$/));
	if (firstLine.includes(',')) return ',';
	if (firstLine.includes('\t')) return '\t';
	if (firstLine.includes(';')) return ';';
	return ',';
}

/**
 * Records of cells. A quoted cell may hold separators, quotes ("" for one) and line breaks; a quote inside an
 * unquoted cell is kept as it is. Throws `csv_unclosed_quote` naming the record where the quote opened.
 */
export function parseCsv(input: string): string[][] {
	const text = input.replace(/^\uFEFF/, '');
	const sep = separatorOf(text);
	const records: string[][] = [];
	let record: string[] = [];
	let cell = '';
	let i = 0;
	const n = text.length;
	const stop = sep === '\t' ? /[\t\r\n]/g : sep === ';' ? /[;\r\n]/g : /[,\r\n]/g;
	const endCell = () => {
		record.push(cell);
		cell = '';
	};
	const endRecord = () => {
		endCell();
		records.push(record);
		record = [];
	};
	while (i < n) {
		const c = text[i];
		if (c === '"' && cell === '') {
			// A quoted cell: read to the closing quote.
			const openedAt = records.length + 1;
			i++;
			for (;;) {
				const q = text.indexOf('"', i);
				if (q < 0) throw new ServiceError('invalid', 'csv_unclosed_quote', `A quote opened in record ${openedAt} is never closed`, { file: 'csv_unclosed_quote' });
				cell += text.slice(i, q);
				if (text[q + 1] === '"') {
					cell += '"';
					i = q + 2;
				} else {
					i = q + 1;
					break;
				}
			}
			// Text after the closing quote up to the separator (not RFC, but spreadsheets keep it): keep it.
			while (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
			continue;
		}
		if (c === sep) {
			endCell();
			i++;
		} else if (c === '\r' || c === '\n') {
			endRecord();
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
		} else {
			// An unquoted cell runs to the next separator or line end (a regex from `i`, not a copy of the rest).
			stop.lastIndex = i;
			const end = stop.exec(text)?.index ?? n;
			cell += text.slice(i, end);
			i = end;
		}
	}
	// The last record when the file does not end with a line break.
	if (cell !== '' || record.length) endRecord();
	return records;
}
