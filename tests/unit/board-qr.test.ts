import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { qrPath } from '../../src/lib/components/board/qr';

/** The dark modules a path paints: each `M x y h n v1 h-n z` is one row run of n modules. */
function painted(d: string) {
	const cells = new Set<string>();
	for (const [, x, y, n] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) for (let i = 0; i < Number(n); i++) cells.add(`${Number(x) + i},${y}`);
	return cells;
}

describe('board QR path', () => {
	it('paints exactly the dark modules of the code, in row runs', () => {
		const text = 'http://127.0.0.1:4173/jobs/123456?source=display:42';
		const { data, size } = encode(text, { ecc: 'M', border: 1 });
		const dark = new Set<string>();
		data.forEach((row, y) => row.forEach((on, x) => on && dark.add(`${x},${y}`)));
		const qr = qrPath(text);
		expect(qr.size).toBe(size);
		expect(painted(qr.d)).toEqual(dark);
		// Runs, not one square per module.
		expect(qr.d.match(/M/g)!.length).toBeLessThan(dark.size);
	});

	it('hands back the cached path for the same text', () => {
		expect(qrPath('https://example.org/a')).toBe(qrPath('https://example.org/a'));
	});
});
