import { describe, expect, it } from 'vitest';
import { decodeText, parseCsv } from '../../src/lib/server/csv-read';
import { toCsv } from '../../src/lib/server/csv';

describe('parseCsv', () => {
	it('reads quoted cells with separators, doubled quotes and line breaks, CRLF or LF', () => {
		expect(parseCsv('a,"b,c","say ""hi"""\r\n"two\nlines",,x\ny')).toEqual([
			['a', 'b,c', 'say "hi"'],
			['two\nlines', '', 'x'],
			['y']
		]);
	});

	it('reads back what the writer writes, BOM included', () => {
		const rows = [['岗位名称', '备注'], ['搬运工，日结', '多行\r\n备注'], ['"引号"', '']];
		expect(parseCsv(toCsv(rows))).toEqual(rows);
	});

	it('takes tab-separated files and keeps a stray quote inside a cell', () => {
		expect(parseCsv('a\tb\n1 "x"\t2\n')).toEqual([['a', 'b'], ['1 "x"', '2']]);
	});

	it('names an unclosed quote', () => {
		expect(() => parseCsv('a\n"open')).toThrow(expect.objectContaining({ fields: { file: 'csv_unclosed_quote' } }));
	});
});

describe('decodeText', () => {
	it('drops a UTF-8 BOM and reads GB18030 when the bytes are not UTF-8', () => {
		expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
		expect(decodeText(new Uint8Array([0xb8, 0xda, 0xce, 0xbb]))).toBe('岗位');
	});
});
