/**
 * Hostile values for the fuzz tests (fast-check arbitraries): what a broken client, a script or an attacker
 * sends instead of a form or a command. `invalidFor(kind)` gives values that no field of that kind accepts,
 * so a payload holding one is refused by construction and the fuzz may insist that nothing was written.
 */
import fc from 'fast-check';

/** How many runs each property gets: small for CI, `FUZZ_RUNS=2000` for a long look on a laptop. */
export const runs = (n: number) => Number(process.env.FUZZ_RUNS ?? n);
/** Pin a run with `FUZZ_SEED=<seed printed by a failure>`. */
export const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Strings with meaning somewhere: number spellings, prototype keys, injection attempts, odd unicode. */
export const TRICKY = [
	'',
	' ',
	'\t\n',
	'NaN',
	'Infinity',
	'-Infinity',
	'-1',
	'0',
	'-0',
	'1.5',
	'1e400',
	'9007199254740993',
	'0x10',
	'0b11',
	'1_000',
	'１２３',
	'٣',
	'null',
	'undefined',
	'true',
	'[]',
	'{}',
	'__proto__',
	'constructor',
	'prototype',
	'hasOwnProperty',
	'toString',
	'%00',
	'\u0000',
	'\u202e\u0041',
	'\ud800',
	'😀👩‍👩‍👧',
	'../../etc/passwd',
	'<script>alert(1)</script>',
	"' or 1=1 --",
	'${7*7}{{7*7}}',
	'13800138000; drop table seekers',
	'=HYPERLINK("http://evil.example")'
];

/** A long run of one character: over every text limit in the app (the longest is 4,000). */
export const huge = fc.tuple(fc.constantFrom('x', '长', '😀', '0', ' '), fc.integer({ min: 4_100, max: 60_000 })).map(([c, n]) => c.repeat(n));

/** Any string a form field can carry. */
export const anyText = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
	{ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 1, arbitrary: huge },
	{ weight: 1, arbitrary: fc.integer().map(String) },
	{ weight: 1, arbitrary: fc.double().map(String) }
);

/** What zod's `z.coerce.number().int().positive()` would take: never generated as "invalid". */
export function validId(v: unknown) {
	const n = Number(v);
	return Number.isInteger(n) && n > 0 && n <= Number.MAX_SAFE_INTEGER;
}

export type FieldKind = 'id' | 'key' | 'phone' | 'state' | 'text' | 'date' | 'checkbox' | 'seconds';

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const PHONE = /^1[3-9]\d{9}$/;
/** Every enum value a form takes (states, decisions, statuses, kinds): a bad one is none of these. */
const ENUM_WORDS = new Set(['open', 'ended', 'live', 'scheduled', 'approve', 'reject', 'applied', 'contacted', 'interview', 'hired', 'rejected', 'withdrawn', 'closed', 'offline']);

/** Values a field of this kind refuses, whatever the rest of the form says. */
export function invalidFor(kind: FieldKind): fc.Arbitrary<string> {
	switch (kind) {
		case 'id':
			return anyText.filter((v) => !validId(v));
		case 'key':
			return anyText.filter((v) => !CLIENT_KEY.test(v));
		case 'phone':
			return anyText.filter((v) => !PHONE.test(v.trim()));
		case 'state':
			return anyText.filter((v) => !ENUM_WORDS.has(v));
		case 'text':
			// Required text: empty, blank, or over every limit.
			return fc.oneof(fc.constantFrom('', ' ', '\t\n', '\u3000'), huge);
		case 'date':
			return fc.oneof(fc.constantFrom('', 'not-a-date', '2026-13-45', '2026-02-30T25:61', '99999-01-01', 'NaN', '0000-00-00'), anyText.filter((v) => Number.isNaN(Date.parse(v))));
		case 'checkbox':
			return anyText.filter((v) => v !== 'on');
		case 'seconds':
			return anyText.filter((v) => {
				const n = Number(v);
				return !(Number.isInteger(n) && n >= 0 && n <= 600);
			});
	}
}

/** Extra keys a script adds: prototype keys, repeats of real ones, unicode names. */
export const junkKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor.prototype.polluted', 'a[b][c]', ''), fc.string({ unit: 'grapheme', maxLength: 12 }));

/**
 * JSON values of every shape: deep nesting, long arrays, prototype keys, numbers JSON cannot say. `big`
 * bounds long arrays and strings (a socket.io message over 64 kB closes the connection, by design).
 */
export function jsonValues(big = 50_000): fc.Arbitrary<unknown> {
	return fc.oneof(
		{ weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
		{ weight: 1, arbitrary: fc.integer({ min: 50, max: 500 }).map(deep) },
		{ weight: 1, arbitrary: fc.integer({ min: 100, max: big / 10 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
		{ weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}')) },
		{ weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, 2 ** 53 + 1) },
		{ weight: 1, arbitrary: huge.map((s) => s.slice(0, big / 5)) }
	);
}
export const jsonish = jsonValues();

/**
 * fc.assert, with the report cut short: a counterexample holding a 50,000-element array would otherwise fill
 * the terminal. The seed and the path stay in the message, so the run can be replayed.
 */
export async function assertProperty<T>(property: fc.IAsyncPropertyWithHooks<T>, params: fc.Parameters<T>) {
	try {
		await fc.assert(property, params);
	} catch (error) {
		const e = error as Error;
		if (e.message.length > 4_000) e.message = `${e.message.slice(0, 4_000)}… (report cut at 4,000 characters)`;
		throw e;
	}
}

/** JSON text nested deeper than any stringify would go: `{"a":{"a":…}}`, built as text. */
export const deepJsonText = fc.integer({ min: 1_000, max: 100_000 }).map((n) => `${'{"a":'.repeat(n)}0${'}'.repeat(n)}`);

/** `{a: {a: … }}`, `depth` levels (kept shallow enough for JSON.stringify and socket.io's encoder). */
export function deep(depth: number): unknown {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = { a: value };
	return value;
}
