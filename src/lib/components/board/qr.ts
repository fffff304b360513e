/**
 * QR codes as one SVG path, from the `uqr` encoder. A board shows the same few dozen codes for days, so
 * paths are kept in a small bounded cache instead of being encoded again on every page turn.
 *
 * A path is one rectangle per run of dark modules in a row, joined once into a flat string: built with
 * `+=` per module it was a rope of ~700 string pieces, and a full cache held 4 MB of them (the board's soak,
 * tests/bench/suites/board.ts, showed its heap nearly doubling until the cache was full).
 */
import { encode } from 'uqr';

const cache = new Map<string, { d: string; size: number }>();
/** A board holds at most 70 items (40 positions, 30 odd jobs: src/lib/server/queries/board.ts): room for all of them. */
const LIMIT = 80;

export function qrPath(text: string): { d: string; size: number } {
	const hit = cache.get(text);
	if (hit) return hit;
	const { data, size } = encode(text, { ecc: 'M', border: 1 });
	const parts: string[] = [];
	data.forEach((row, y) => {
		for (let x = 0; x < row.length; x++) {
			if (!row[x]) continue;
			let run = 1;
			while (row[x + run]) run++;
			parts.push(`M${x} ${y}h${run}v1h-${run}z`);
			x += run - 1;
		}
	});
	const value = { d: parts.join(''), size };
	if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
	cache.set(text, value);
	return value;
}
