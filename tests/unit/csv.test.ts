import { describe, expect, it } from 'vitest';
import { BOM, csvCell, csvResponse, toCsv } from '../../src/lib/server/csv';
import { serviceDateKey } from '../../src/lib/time';

describe('csv', () => {
	it('quotes only what needs quoting, doubling quotes', () => {
		expect(csvCell('天河区')).toBe('天河区');
		expect(csvCell('a,b')).toBe('"a,b"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
		expect(csvCell(null)).toBe('');
		expect(csvCell(undefined)).toBe('');
		expect(csvCell(0)).toBe('0');
		expect(csvCell(-3)).toBe('-3');
		expect(csvCell(Number.NaN)).toBe('');
	});

	it('keeps text a spreadsheet would run as a formula inert', () => {
		expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
		expect(csvCell('+1')).toBe("'+1");
		expect(csvCell('-2')).toBe("'-2");
		expect(csvCell('@sum')).toBe("'@sum");
	});

	it('writes a BOM and CRLF after every row', () => {
		expect(toCsv([['a', 1], ['b,c', null]])).toBe(`${BOM}a,1\r\n"b,c",\r\n`);
	});

	it('answers as a download that is never cached, with a plain file name', async () => {
		const response = csvResponse(toCsv([['x']]), 'coverage-44-2026-11-22.csv');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="coverage-44-2026-11-22.csv"');
		expect(response.headers.get('cache-control')).toBe('no-store');
		// The bytes, not text(): decoding as UTF-8 drops a BOM, which is what Excel needs to see.
		expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0xef, 0xbb, 0xbf, 0x78, 0x0d, 0x0a]);
		expect(() => csvResponse('', 'a"b.csv')).toThrow();
		expect(() => csvResponse('', '天河.csv')).toThrow();
	});

	it('names the service day (Beijing) an instant falls in', () => {
		expect(serviceDateKey(new Date('2026-11-21T15:59:59Z'))).toBe('2026-11-21');
		expect(serviceDateKey(new Date('2026-11-21T16:00:00Z'))).toBe('2026-11-22');
		expect(serviceDateKey(new Date('2026-11-21T16:00:00Z'), 'UTC')).toBe('2026-11-21');
	});
});
