/**
 * Property-based fuzz of the HTTP surface against the production server (fast-check): every form action,
 * every endpoint's body and query, every route parameter and the pages' query strings get malformed input —
 * wrong types, huge strings, prototype keys, number spellings, unicode, bodies that are not what their
 * Content-Type says. Every answer is a 4xx (or a normal page), never a 5xx; the process stays up; no row is
 * written. A failure prints fast-check's seed and the shrunk request (`FUZZ_SEED=…` replays it).
 */
import { desc } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/lib/server/context';
import { events } from '../../../src/lib/server/db/schema';
import { seedDemo } from '../../../src/lib/server/db/seed';
import { createTestContext } from '../../helpers/app';
import { type AppProcess, startAppProcess } from '../../helpers/app-process';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../helpers/db';
import { personalDataIn } from '../../helpers/personal-data';
import { type RowCounts, rowCounts } from '../../helpers/row-counts';
import { actionsByRoute, discoverRoutes, methodsByRoute } from '../../helpers/routes';
import { LOGINS, ROLES, type Role } from './access-matrix';
import { type FuzzAction, actions, endpoints, pageQueries, params } from './fuzz-surface';
import { TRICKY, anyText, assertProperty, deepJsonText, huge, invalidFor, junkKey, jsonish, runs, seed, validId } from './hostile';
import { SMALL_PROVINCE, type Targets, fill, setUpTargets } from './targets';

const pageServerModules = import.meta.glob('/src/routes/**/+page.server.ts');
const endpointModules = import.meta.glob('/src/routes/**/+server.ts');

type Who = Role | 'bearer';

interface Sent {
	method: string;
	path: string;
	who: Who;
	headers: Record<string, string>;
	body?: BodyInit;
	/** For the failure message: what was sent, shortened. */
	label: string;
}

const short = (v: unknown) => {
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return s && s.length > 60 ? `${s.slice(0, 40)}…(${s.length})` : s;
};

// PostgreSQL only: the production server runs as a process of its own, and an in-memory PGlite cannot be shared with it.
describe.skipIf(!onPostgres)('hostile HTTP input against the production server', () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let app: AppProcess;
	let targets: Targets;
	let before: RowCounts;
	const cookies = new Map<Role, string | null>();

	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedDemo(ctx, SMALL_PROVINCE);
		targets = await setUpTargets(ctx);
		app = await startAppProcess(db.url!, { ALERT_SWEEP_SECONDS: '3600' });
		for (const role of ROLES) cookies.set(role, role === 'anonymous' || role === 'display' ? null : await app.signInAs(LOGINS[role]));
		before = await rowCounts(ctx.db);
	}, 120_000);

	afterAll(async () => {
		await app?.stop();
		await db?.drop();
	});

	function headersFor(who: Who): Record<string, string> {
		const h: Record<string, string> = { origin: app.url };
		if (who === 'bearer') h.authorization = `Bearer ${targets.apiToken}`;
		else if (cookies.get(who)) h.cookie = cookies.get(who)!;
		return h;
	}

	/** Send, and check the answer: not a 5xx, the server alive, nothing written. */
	async function check(sent: Sent) {
		const res = await fetch(`${app.url}${sent.path}`, { method: sent.method, headers: sent.headers, body: sent.body, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
		const text = await res.text();
		const what = `${sent.method} ${short(sent.path)} as ${sent.who}: ${sent.label}`;
		expect(res.status, `${what} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
		// The import pages' stream answers 200 and reports failure in its last line: a bug reads `import_failed`.
		if (/ndjson/.test(res.headers.get('content-type') ?? '')) expect(text, what).not.toMatch(/"reason":"import_failed"/);
		expect(app.alive(), `${what}: the server died`).toBe(true);
		const now = await rowCounts(ctx.db);
		if (now.events !== before.events) {
			const recent = await ctx.db.select({ type: events.type, payload: events.payload }).from(events).orderBy(desc(events.id)).limit(now.events - before.events);
			expect.fail(`${what} wrote events: ${JSON.stringify(recent).slice(0, 600)}`);
		}
		expect(now, `${what} wrote rows`).toEqual(before);
	}

	// ── form actions ───────────────────────────────────────────────────────────────────────────────
	const fuzzable = Object.entries(actions).flatMap(([route, list]) =>
		Object.entries(list)
			.filter(([, a]) => !a.skip && Object.keys(a.refuse).length > 0)
			.map(([name, a]) => ({ route, name, a }))
	);

	/** A form for this action: one field it refuses spoilt, the others anything, plus junk keys. */
	const formFor = (a: FuzzAction) =>
		fc
			.record({
				spoilt: fc.constantFrom(...Object.keys(a.refuse)),
				others: fc.dictionary(fc.constantFrom(...Object.keys(a.refuse), ...(a.fields ?? ['x'])), anyText, { maxKeys: 6 }),
				junk: fc.array(fc.tuple(junkKey, anyText), { maxLength: 3 }),
				repeat: fc.boolean()
			})
			.chain((f) => invalidFor(a.refuse[f.spoilt]).map((bad) => ({ ...f, bad })))
			.map(({ spoilt, others, junk, repeat, bad }) => {
				const entries: Array<[string, string]> = Object.entries(others).filter(([k]) => k !== spoilt);
				entries.push([spoilt, bad]);
				// A repeated field: form.get() takes the first, so the spoilt one goes first.
				if (repeat) entries.push([spoilt, 'valid-looking-0001']);
				entries.push(...junk);
				return entries;
			});

	const encodings = fc.constantFrom('urlencoded', 'multipart', 'multipart-files');
	const accepts = fc.constantFrom('text/html', 'application/json');

	function formBody(entries: Array<[string, string]>, encoding: string): { body: BodyInit; type?: string } {
		if (encoding === 'urlencoded') return { body: new URLSearchParams(entries), type: 'application/x-www-form-urlencoded' };
		const data = new FormData();
		// A file where text is expected: form.get() answers a File, and `String(file)` is not the text.
		for (const [k, v] of entries) data.append(k, encoding === 'multipart-files' ? new File([v], 'x.txt', { type: 'text/plain' }) : v);
		return { body: data };
	}

	it('refuses malformed input to every form action with a 4xx and writes nothing', async () => {
		await assertProperty(
			fc.asyncProperty(
				fc.constantFrom(...fuzzable).chain((t) => fc.record({ t: fc.constant(t), entries: formFor(t.a), encoding: encodings, accept: accepts })),
				async ({ t, entries, encoding, accept }) => {
					const { body, type } = formBody(entries, encoding);
					const headers = { ...headersFor(t.a.as), accept, ...(type ? { 'content-type': type } : {}) };
					const path = `${fill(t.a.path, targets)}${t.name === 'default' ? '' : `?/${t.name}`}`;
					await check({ method: 'POST', path, who: t.a.as, headers, body, label: `${encoding} ${short(entries)}` });
				}
			),
			{ numRuns: runs(240), seed }
		);
	}, 120_000);

	it('refuses bodies that are not what their Content-Type says, on every action', async () => {
		// Actions that read a form (the others act on their address alone, which the parameter fuzz covers).
		const all = fuzzable.map(({ name, a }) => ({ name, a }));
		const bodies = fc.oneof(
			fc.record({ type: fc.constant('multipart/form-data; boundary=jc-fuzz'), body: fc.oneof(anyText, fc.constant('--jc-fuzz\r\nContent-Disposition: form-data; name="x"\r\n\r\nunterminated')) }),
			fc.record({ type: fc.constant('multipart/form-data'), body: anyText }),
			fc.record({ type: fc.constant('text/plain'), body: fc.oneof(anyText, fc.constant('phone=13800138000\nclientKey=abcdefgh')) }),
			fc.record({ type: fc.constantFrom('application/json', 'application/xml', 'application/octet-stream', ''), body: fc.oneof(anyText, jsonish.map((v) => JSON.stringify(v) ?? 'null')) }),
			fc.record({ type: fc.constant('application/x-www-form-urlencoded'), body: fc.oneof(anyText, fc.constantFrom('%', '%zz=1', '&&&=', 'a=%E0%A4%A', '=&=')) })
		);
		await assertProperty(
			fc.asyncProperty(fc.constantFrom(...all), bodies, accepts, async (t, b, accept) => {
				const headers: Record<string, string> = { ...headersFor(t.a.as), accept };
				if (b.type) headers['content-type'] = b.type;
				const path = `${fill(t.a.path, targets)}${t.name === 'default' ? '' : `?/${t.name}`}`;
				await check({ method: 'POST', path, who: t.a.as, headers, body: b.body, label: `${b.type} ${short(b.body)}` });
			}),
			{ numRuns: runs(100), seed }
		);
	}, 120_000);

	// ── endpoints ──────────────────────────────────────────────────────────────────────────────────
	it('answers malformed bodies and queries of every endpoint with a 4xx and writes nothing', async () => {
		const list = Object.entries(endpoints).flatMap(([route, methods]) => Object.entries(methods).map(([method, e]) => ({ route, method, e })));
		const query = (keys: string[] | undefined) =>
			keys?.length ? fc.dictionary(fc.constantFrom(...keys), anyText, { maxKeys: keys.length }).map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '')) : fc.constant('');
		const rawBody = fc.oneof(
			anyText,
			jsonish.map((v) => JSON.stringify(v) ?? 'null'),
			deepJsonText,
			fc.array(fc.array(anyText, { maxLength: 12 }), { maxLength: 30 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
			fc.uint8Array({ maxLength: 2_000 }).map((b) => new Blob([b]))
		);
		await assertProperty(
			fc.asyncProperty(
				fc.constantFrom(...list).chain((t) =>
					fc.record({ t: fc.constant(t), q: query(t.e.query), body: rawBody, type: fc.constantFrom('application/json', 'text/csv', 'text/plain', 'application/octet-stream'), file: fc.record({ name: fc.oneof(fc.constantFrom('p.csv', 'p.json', 'p.xlsx', '../../p.csv', ''), anyText), mode: anyText }) })
				),
				async ({ t, q, body, type, file }) => {
					const headers: Record<string, string> = headersFor(t.e.as);
					let sentBody: BodyInit | undefined;
					if (t.method !== 'GET') {
						if (t.e.body === 'file') {
							const data = new FormData();
							data.set('file', new File([body as BlobPart], file.name || 'f', { type: type }));
							data.set('mode', file.mode);
							sentBody = data;
						} else {
							headers['content-type'] = type;
							sentBody = body as BodyInit;
						}
					}
					await check({ method: t.method, path: `${fill(t.e.path, targets)}${q}`, who: t.e.as, headers, body: sentBody, label: `${short(q)} ${t.method === 'GET' ? '' : short(typeof body === 'string' ? body : '[bytes]')}` });
				}
			),
			{ numRuns: runs(120), seed }
		);
	}, 120_000);

	// ── route parameters and query strings ─────────────────────────────────────────────────────────
	/** Path segments no route parameter accepts (a device token is checked by hash, so anything is "not found"). */
	const badSegment = fc.oneof(
		anyText.filter((v) => !validId(v)),
		fc.constantFrom('%', '%zz', '%2e%2e', '..', '%2F', '%00', '%E0%A4%A', '%ED%A0%80', '%FF%FE', '1%20OR%201=1', 'a'.repeat(5000), '1'.repeat(400))
	);
	/** Percent-escapes as given (the point is to send broken ones); anything else encoded (a lone surrogate as U+FFFD). */
	const encodeSegment = (s: string) => (/%/.test(s) && !/[^\x20-\x7e]/.test(s) ? s : encodeURIComponent(s.toWellFormed()));

	it('answers hostile route parameters, on pages, actions and endpoints, with a 4xx and writes nothing', async () => {
		const list = Object.entries(params).flatMap(([route, p]) => Object.keys(p.valid).map((param) => ({ route, param, p })));
		await assertProperty(
			fc.asyncProperty(fc.constantFrom(...list), badSegment, accepts, async ({ route, param, p }, bad, accept) => {
				const path = route.replace(/\[(\w+)\]/g, (_, name: string) => (name === param ? encodeSegment(bad) : String(fill(p.valid[name], targets))));
				const routeActions = Object.keys(actions[route] ?? {}).filter((n) => !actions[route][n].skip);
				const methods = Object.keys(endpoints[route] ?? {});
				const headers = { ...headersFor(p.as), accept };
				if (routeActions.length) {
					for (const name of routeActions) {
						await check({ method: 'POST', path: `${path}${name === 'default' ? '' : `?/${name}`}`, who: p.as, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'clientKey=fuzz-param-key', label: `[${param}]=${short(bad)}` });
					}
				}
				for (const method of methods.length ? methods : ['GET']) {
					await check({ method, path, who: p.as, headers, body: method === 'GET' ? undefined : new FormData(), label: `[${param}]=${short(bad)}` });
				}
				if (methods.length === 0 || !methods.includes('GET')) await check({ method: 'GET', path, who: p.as, headers, label: `[${param}]=${short(bad)}` });
			}),
			{ numRuns: runs(60), seed }
		);
	}, 120_000);

	it('answers hostile query strings on pages with a 4xx or the page, and writes nothing', async () => {
		const list = Object.entries(pageQueries).map(([route, q]) => ({ route, q }));
		await assertProperty(
			fc.asyncProperty(
				fc.constantFrom(...list).chain((t) => fc.record({ t: fc.constant(t), query: fc.array(fc.tuple(fc.constantFrom(...t.q.query), fc.oneof(anyText, fc.constantFrom(...TRICKY), huge)), { minLength: 1, maxLength: 4 }) })),
				async ({ t, query }) => {
					const path = `${fill(t.q.path, targets)}?${new URLSearchParams(query)}`;
					await check({ method: 'GET', path, who: t.q.as, headers: { ...headersFor(t.q.as), accept: 'text/html' }, label: short(query) });
				}
			),
			{ numRuns: runs(60), seed }
		);
	}, 120_000);

	// ── the table against the file tree ────────────────────────────────────────────────────────────
	it('fuzzes every form action, endpoint method and route parameter in src/routes', async () => {
		const fromCode = await actionsByRoute(pageServerModules);
		for (const [route, names] of fromCode) expect(Object.keys(actions[route] ?? {}).sort(), `actions of ${route}`).toEqual(names);
		expect(Object.keys(actions).filter((r) => !fromCode.has(r))).toEqual([]);
		const methods = await methodsByRoute(endpointModules);
		for (const [route, names] of methods) expect(Object.keys(endpoints[route] ?? {}).sort(), `methods of ${route}`).toEqual([...names].sort());
		const dynamic = discoverRoutes().filter((r) => r.id.includes('['));
		expect(dynamic.map((r) => r.id).sort()).toEqual(Object.keys(params).sort());
		for (const [route, p] of Object.entries(params)) expect(Object.keys(p.valid).sort(), route).toEqual([...route.matchAll(/\[(\w+)\]/g)].map((m) => m[1]).sort());
	});

	it('logged no phone number (the fuzz sends plenty)', () => {
		expect(personalDataIn(app.logs, { urls: false })).toEqual([]);
	});
});
