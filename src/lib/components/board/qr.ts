/**
 * QR codes as one SVG path, from the `uqr` encoder. A board shows the same few dozen codes for days, so
 * paths are kept in a small bounded cache instead of being encoded again on every page turn.
 */
import { encode } from 'uqr';

const cache = new Map<string, { d: string; size: number }>();
const LIMIT = 200;

export function qrPath(text: string): { d: string; size: number } {
	const hit = cache.get(text);
	if (hit) return hit;
	const { data, size } = encode(text, { ecc: 'M', border: 1 });
	let d = '';
	data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
	const value = { d, size };
	if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
	cache.set(text, value);
	return value;
}
