/**
 * No user text is ever parsed as HTML: nothing in src uses `{@html}` or the DOM's HTML-parsing setters, and
 * Leaflet (which parses strings given as icon HTML, tooltips and popups) gets nodes or fixed markup only.
 * Every exception is listed here after review, with why it is safe; a new use fails until it is reviewed,
 * and a listed one that disappears fails until the list is updated.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PATTERNS: Array<[string, RegExp]> = [
	['{@html}', /\{@html\b/],
	['innerHTML / outerHTML', /\.(inner|outer)HTML\b/],
	['insertAdjacentHTML', /insertAdjacentHTML/],
	['document.write', /document\.write(ln)?\s*\(/],
	['DOMParser / createContextualFragment', /DOMParser|createContextualFragment/],
	// Leaflet parses a string given as tooltip or popup content, and an icon's `html`, as HTML.
	['Leaflet content from a string', /\.(bindTooltip|bindPopup|setTooltipContent|setPopupContent|setContent)\(\s*[`'"]/],
	['Leaflet icon HTML with interpolation', /\bhtml:\s*`[^`]*\$\{/]
];

/** `file:pattern` → why it is safe. */
const REVIEWED: Record<string, string> = {
	'src/lib/components/map/ops-map.ts:Leaflet icon HTML with interpolation': "a cluster icon shows supercluster's point_count, a number"
};

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return full === path.join('src', 'lib', 'paraglide') ? [] : sourceFiles(full);
		return /\.(svelte|ts|js)$/.test(name) ? [full] : [];
	});
}

describe('no user text rendered as HTML', () => {
	it('uses no HTML-parsing sink outside the reviewed exceptions', () => {
		const found = new Map<string, string[]>();
		for (const file of sourceFiles('src')) {
			const lines = readFileSync(file, 'utf8').split('\n');
			lines.forEach((line, i) => {
				for (const [name, re] of PATTERNS) {
					if (!re.test(line)) continue;
					const key = `${file}:${name}`;
					found.set(key, [...(found.get(key) ?? []), `${file}:${i + 1}: ${line.trim()}`]);
				}
			});
		}
		const unreviewed = [...found].filter(([key]) => !(key in REVIEWED)).flatMap(([, hits]) => hits);
		expect(unreviewed).toEqual([]);
		expect(Object.keys(REVIEWED).filter((key) => !found.has(key)), 'reviewed exceptions that no longer exist').toEqual([]);
	});
});
