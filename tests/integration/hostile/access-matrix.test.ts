/**
 * The access matrix (access-matrix.ts) against the production server: every role × every route, form action,
 * endpoint, socket topic and command gets the answer the table says, the table covers everything the file
 * tree and the socket server offer, and walking it writes nothing.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TopicKind, parseTopic } from '../../../src/lib/realtime/topics';
import { MOBILE_NUMBER } from '../../../src/lib/privacy';
import { seekers } from '../../../src/lib/server/db/schema';
import { seedDemo } from '../../../src/lib/server/db/seed';
import { commands as socketCommands } from '../../../src/lib/server/realtime/commands';
import { createTestContext } from '../../helpers/app';
import { type AppProcess, startAppProcess } from '../../helpers/app-process';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../helpers/db';
import { personalDataIn } from '../../helpers/personal-data';
import { type RowCounts, rowCounts } from '../../helpers/row-counts';
import { actionsByRoute, discoverRoutes, methodsByRoute } from '../../helpers/routes';
import { type Ack, type Answer, LOGINS, ROLES, type Role, commands, endpoints, pages, topics } from './access-matrix';
import { SMALL_PROVINCE, type Targets, fill, setUpTargets } from './targets';
import type { AppContext } from '../../../src/lib/server/context';

const pageServerModules = import.meta.glob('/src/routes/**/+page.server.ts');
const endpointModules = import.meta.glob('/src/routes/**/+server.ts');

/** Topic kinds the server accepts, from the one place that parses them. */
const TOPIC_KINDS: TopicKind[] = ['station', 'region', 'org', 'seeker', 'room', 'room_host', 'fair', 'display', 'jobs'];

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
	for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** A redirect as the table writes it. */
function redirectAnswer(location: string): Answer {
	return location.startsWith('/login') ? 'login' : `to:${location}`;
}

function same(actual: Answer, expected: Answer) {
	if (typeof expected === 'string' && expected.startsWith('to:')) return typeof actual === 'string' && actual.startsWith(expected);
	return actual === expected;
}

const STATUS_OF_CODE: Record<string, number> = { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429, unavailable: 503 };

// PostgreSQL only: the production server runs as a process of its own, and an in-memory PGlite cannot be shared with it.
describe.skipIf(!onPostgres)('access matrix against the production server', () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let app: AppProcess;
	let targets: Targets;
	let before: RowCounts;
	const cookies = new Map<Role, string | null>();
	const problems: string[] = [];
	/** Every seeker's phone, and the demo seeker's own: who may see which is checked on every answer. */
	let seekerPhones = new Set<string>();
	let ownPhone: string | null = null;

	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedDemo(ctx, SMALL_PROVINCE);
		targets = await setUpTargets(ctx);
		app = await startAppProcess(db.url!, { LOGIN_ATTEMPTS: '1000', ALERT_SWEEP_SECONDS: '3600', METRICS_TOKEN: 'matrix-metrics-token' });
		for (const role of ROLES) cookies.set(role, role === 'anonymous' || role === 'display' ? null : await app.signInAs(LOGINS[role]));
		before = await rowCounts(ctx.db);
		const people = await ctx.db.select({ id: seekers.id, phone: seekers.phone }).from(seekers);
		seekerPhones = new Set(people.map((p) => p.phone).filter((p): p is string => !!p));
		ownPhone = people.find((p) => p.id === targets.seeker)?.phone ?? null;
	}, 120_000);

	afterAll(async () => {
		await app?.stop();
		await db?.drop();
	});

	it('has a row for every route, form action and endpoint method in src/routes', async () => {
		const routes = discoverRoutes();
		const tabled = new Set([...Object.keys(pages), ...Object.keys(endpoints)]);
		const missing = routes.filter((r) => !tabled.has(r.id)).map((r) => r.id);
		const stale = [...tabled].filter((id) => !routes.some((r) => r.id === id));
		expect({ missing, stale }).toEqual({ missing: [], stale: [] });
		for (const r of routes) {
			if (r.page) expect(pages[r.id], `${r.id} is a page`).toBeDefined();
			if (r.server) expect(endpoints[r.id], `${r.id} is an endpoint`).toBeDefined();
		}

		const actions = await actionsByRoute(pageServerModules);
		for (const [id, names] of actions) {
			const covered = new Set((pages[id] ?? []).flatMap((c) => Object.keys(c.actions ?? {})));
			expect([...covered].sort(), `actions of ${id}`).toEqual(names);
		}
		for (const [id, cases] of Object.entries(pages)) {
			if (cases.some((c) => c.actions)) expect(actions.has(id), `${id} has actions in the table but none in the code`).toBe(true);
		}
		const methods = await methodsByRoute(endpointModules);
		for (const [id, names] of methods) {
			const covered = new Set((endpoints[id] ?? []).map((c) => c.method));
			expect([...covered].sort(), `methods of ${id}`).toEqual([...names].sort());
		}
	});

	it('has a row for every topic kind and every socket command', () => {
		expect(Object.keys(topics).sort()).toEqual([...TOPIC_KINDS].sort());
		for (const [kind, cases] of Object.entries(topics)) for (const c of cases) expect(parseTopic(fill(c.topic, targets))?.kind, c.topic).toBe(kind);
		expect(Object.keys(commands).sort()).toEqual(Object.keys(socketCommands).sort());
	});

	it('answers every page and form action as the table says', async () => {
		const work: Array<() => Promise<void>> = [];
		for (const [id, cases] of Object.entries(pages)) {
			for (const c of cases) {
				const path = fill(c.path, targets);
				for (const role of ROLES) {
					work.push(async () => {
						const res = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html', ...(cookies.get(role) ? { cookie: cookies.get(role)! } : {}) }, redirect: 'manual' });
						const got: Answer = res.status >= 300 && res.status < 400 ? redirectAnswer(res.headers.get('location') ?? '') : res.status;
						if (!same(got, c.get[role])) problems.push(`GET ${id} (${path}) as ${role}: got ${got}, table says ${c.get[role]}`);
						noStore(res, role, `GET ${path}`);
						noPhones(await res.text(), role, `GET ${path}`);
					});
					for (const [name, action] of Object.entries(c.actions ?? {})) {
						work.push(async () => {
							const cookie = action.endsSession && cookies.get(role) ? await app.signInAs(LOGINS[role as keyof typeof LOGINS]) : cookies.get(role);
							const got = await postAction(`${path}${name === 'default' ? '' : `?/${name}`}`, cookie ?? null, fill(action.form ?? {}, targets));
							if (!same(got, action.expect[role])) problems.push(`POST ${id} ?/${name} (${path}) as ${role}: got ${got}, table says ${action.expect[role]}`);
						});
					}
				}
			}
		}
		await inBatches(work, 6, (w) => w());
		expect(problems.splice(0)).toEqual([]);
	}, 120_000);

	it('answers every endpoint as the table says; cookies never stand in for an API token', async () => {
		const work: Array<() => Promise<void>> = [];
		for (const [id, cases] of Object.entries(endpoints)) {
			for (const c of cases) {
				const path = fill(c.path, targets);
				for (const role of ROLES) {
					work.push(async () => {
						const got = await callEndpoint(c.method, path, { cookie: cookies.get(role) ?? null, json: c.json, form: c.form && fill(c.form, targets), who: role });
						if (!same(got, c.expect[role])) problems.push(`${c.method} ${id} (${path}) as ${role}: got ${got}, table says ${c.expect[role]}`);
					});
				}
				if (c.bearer !== undefined) {
					work.push(async () => {
						const got = await callEndpoint(c.method, path, { bearer: targets.apiToken, json: c.json, who: 'bearer' });
						if (!same(got, c.bearer!)) problems.push(`${c.method} ${id} (${path}) with the API token: got ${got}, table says ${c.bearer}`);
					});
				}
			}
		}
		await inBatches(work, 6, (w) => w());
		expect(problems.splice(0)).toEqual([]);
	}, 60_000);

	it('answers every subscription and command as the table says', async () => {
		for (const role of ROLES) {
			const socket = await connect(role);
			try {
				for (const [kind, cases] of Object.entries(topics)) {
					for (const c of cases) {
						const name = fill(c.topic, targets);
						const got = await ackOf(socket, 'topic:subscribe', { topic: name });
						if (got !== c.expect[role]) problems.push(`subscribe ${kind} (${name}) as ${role}: got ${got}, table says ${c.expect[role]}`);
						if (got === 'ok') await ackOf(socket, 'topic:unsubscribe', { topic: name });
					}
				}
				for (const [name, cases] of Object.entries(commands)) {
					for (const c of cases) {
						const input = fill(c.input, targets);
						const got = await ackOf(socket, 'command', { name, input });
						if (got !== c.expect[role]) problems.push(`command ${name} ${JSON.stringify(input)} as ${role}: got ${got}, table says ${c.expect[role]}`);
					}
				}
			} finally {
				socket.disconnect();
			}
		}
		expect(problems.splice(0)).toEqual([]);
	}, 60_000);

	it('wrote nothing while walking the table', async () => {
		expect(await rowCounts(ctx.db)).toEqual(before);
		expect(app.alive()).toBe(true);
	});

	it('logged no phone number', () => {
		expect(personalDataIn(app.logs)).toEqual([]);
	});

	/** A form action as an enhanced form sends it (JSON answer), read back as the table's answer. */
	async function postAction(path: string, cookie: string | null, form: Record<string, unknown>): Promise<Answer> {
		const res = await fetch(`${app.url}${path}`, {
			method: 'POST',
			headers: { origin: app.url, accept: 'application/json', 'x-sveltekit-action': 'true', ...(cookie ? { cookie } : {}) },
			body: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])),
			redirect: 'manual'
		});
		const text = await res.text();
		let body: { type?: string; status?: number; location?: string } = {};
		try {
			body = JSON.parse(text);
		} catch {
			return res.status;
		}
		if (body.type === 'redirect') return redirectAnswer(body.location ?? '');
		if (body.type === 'success') return 200;
		if (body.type === 'failure') return body.status ?? res.status;
		return res.status;
	}

	/**
	 * Whatever a signed-in person gets, and a wall display's board, must not be cached (names, phones, their own
	 * applications, a device token in the address): checked on every answer the matrix reads.
	 */
	function noStore(res: Response, who: Role | 'bearer', what: string) {
		const path = new URL(res.url).pathname;
		// The API's description is public and the same for everyone; every other API answer is the token's own.
		const personal = (ROLES.includes(who as Role) && who !== 'anonymous' && who !== 'display') || path.startsWith('/display/') || (path.startsWith('/api/v1/') && path !== '/api/v1/openapi.json');
		if (personal && res.status === 200 && !/\bno-store\b/.test(res.headers.get('cache-control') ?? '')) problems.push(`${what} as ${who}: Cache-Control is "${res.headers.get('cache-control')}", not no-store`);
	}

	/**
	 * A seeker's phone reaches only the staff of the station involved and the employer of the position applied
	 * to (and the administrator): never a visitor, a wall display, a supervisor, or another seeker.
	 */
	function noPhones(body: string, who: Role | 'bearer', what: string) {
		if (!['anonymous', 'display', 'supervisor', 'seeker'].includes(who)) return;
		const seen = [...body.matchAll(MOBILE_NUMBER)].map((m) => m[0]).filter((p) => seekerPhones.has(p) && !(who === 'seeker' && p === ownPhone));
		if (seen.length) problems.push(`${what} as ${who}: shows ${seen.length} seekers' phone numbers unmasked`);
	}

	async function callEndpoint(method: string, path: string, o: { cookie?: string | null; bearer?: string; json?: unknown; form?: Record<string, unknown>; who?: Role | 'bearer' }): Promise<Answer> {
		const headers: Record<string, string> = { origin: app.url, accept: '*/*' };
		if (o.cookie) headers.cookie = o.cookie;
		if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
		let body: BodyInit | undefined;
		if (o.json !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(o.json);
		} else if (o.form) {
			const data = new FormData();
			for (const [k, v] of Object.entries(o.form)) data.set(k, String(v));
			body = data;
		}
		const res = await fetch(`${app.url}${path}`, { method, headers, body: method === 'GET' ? undefined : body, redirect: 'manual' });
		if (res.status >= 300 && res.status < 400) {
			await res.body?.cancel();
			return redirectAnswer(res.headers.get('location') ?? '');
		}
		const text = await res.text();
		if (o.who) noStore(res, o.who, `${method} ${path}`);
		if (o.who && res.status === 200) noPhones(text, o.who, `${method} ${path}`);
		// The import pages' stream always answers 200; its verdict is the last line.
		if (/ndjson/.test(res.headers.get('content-type') ?? '')) {
			const last = JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as { type?: string; code?: string };
			if (last.type === 'error') return STATUS_OF_CODE[last.code ?? ''] ?? 500;
		}
		return res.status;
	}

	async function connect(role: Role): Promise<Socket> {
		const cookie = cookies.get(role);
		const socket = io(app.url, {
			transports: ['websocket'],
			reconnection: false,
			extraHeaders: { origin: app.url, ...(cookie ? { cookie } : {}) },
			auth: role === 'display' ? { displayToken: targets.displayToken } : {}
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return socket;
	}

});

export async function ackOf(socket: Socket, event: string, payload: unknown): Promise<Ack | 'timeout'> {
	try {
		const answer = (await socket.timeout(5000).emitWithAck(event as never, payload as never)) as { ok: boolean; error?: { code: Ack } };
		return answer.ok ? 'ok' : (answer.error?.code ?? 'unavailable');
	} catch {
		return 'timeout';
	}
}
