/**
 * The production server's guards, from the outside: cross-site form posts, cross-origin JSON posts and
 * foreign socket handshakes are refused (with server.js supplying the protocol, as `npm start` runs it);
 * sign-in is throttled per address and per account, applications per seeker, chat and repeated commands per
 * socket; pages carry a nonce-based CSP. Client addresses are real: requests leave from 127.0.0.x.
 */
import http from 'node:http';
import { and, count, eq, notInArray } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/lib/server/context';
import { applications, positions, users } from '../../../src/lib/server/db/schema';
import { seedDemo } from '../../../src/lib/server/db/seed';
import { DEMO_PASSWORD } from '../../../src/lib/server/db/seed/demo-logins';
import { createTestContext } from '../../helpers/app';
import { type AppProcess, startAppProcess } from '../../helpers/app-process';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../helpers/db';
import { personalDataIn } from '../../helpers/personal-data';
import { endpoints } from './access-matrix';
import { SMALL_PROVINCE, type Targets, fill, setUpTargets } from './targets';

const EVIL = 'http://evil.example';

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** One request over node:http, leaving from `from` (any 127.0.0.x is this machine's loopback). */
function request(url: string, o: { method?: string; from?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const headers = { ...o.headers, ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}) };
		const req = http.request(url, { method: o.method ?? 'GET', localAddress: o.from ?? '127.0.0.1', headers }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end(o.body);
	});
}

// PostgreSQL only: the production server runs as a process of its own, and an in-memory PGlite cannot be shared with it.
describe.skipIf(!onPostgres)('guards of the production server', () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let app: AppProcess;
	let targets: Targets;
	let staff: string;

	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedDemo(ctx, SMALL_PROVINCE);
		targets = await setUpTargets(ctx);
		app = await startAppProcess(db.url!, { LOGIN_ATTEMPTS: '3', ALERT_SWEEP_SECONDS: '3600' });
		staff = await app.signInAs('staff');
	}, 120_000);

	afterAll(async () => {
		await app?.stop();
		await db?.drop();
	});

	const login = (username: string, password: string, o: { from?: string; origin?: string | null; headers?: Record<string, string> } = {}) =>
		request(`${app.url}/login`, {
			method: 'POST',
			from: o.from,
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(o.origin === null ? {} : { origin: o.origin ?? app.url }), ...o.headers },
			body: new URLSearchParams({ username, password }).toString()
		});

	// ── cross-site requests ────────────────────────────────────────────────────────────────────────
	it('refuses cross-site form posts, and accepts our own over plain http', async () => {
		expect((await login('supervisor', DEMO_PASSWORD, { origin: EVIL })).status).toBe(403);
		// A browser always names the origin of a form post; a post without one is not from our pages either.
		expect((await login('supervisor', DEMO_PASSWORD, { origin: null })).status).toBe(403);
		const find = (origin: string) =>
			request(`${app.url}/stations/${targets.station}/seekers?/find`, { method: 'POST', headers: { origin, cookie: staff, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: `phone=${targets.phoneAtStation}` });
		expect((await find(EVIL)).status).toBe(403);
		expect((await find(app.url)).status).toBe(200);
		// Signing out is a form post too: another site cannot sign people out.
		const out = await request(`${app.url}/logout`, { method: 'POST', headers: { origin: EVIL, cookie: staff, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
		expect(out.status).toBe(403);
		expect((await request(`${app.url}/stations/${targets.station}`, { headers: { cookie: staff } })).status).toBe(200);
	});

	it('takes the protocol from the connection, never from a header the client sent', async () => {
		// server.js overwrites x-jobcircle-proto: a client claiming https does not move our origin to https://…
		const ours = await login('supervisor', DEMO_PASSWORD, { headers: { 'x-jobcircle-proto': 'https' } });
		expect(ours.status).toBe(303);
		expect(ours.headers['set-cookie']?.join(';')).not.toMatch(/;\s*secure/i);
		const spoofed = await login('supervisor', DEMO_PASSWORD, { origin: app.url.replace('http:', 'https:'), headers: { 'x-jobcircle-proto': 'https' } });
		expect(spoofed.status).toBe(403);
	});

	it('refuses a cross-origin POST of any content type to every endpoint; cookies never authorise /api/v1', async () => {
		const writes = Object.values(endpoints).flatMap((cases) => cases.filter((c) => c.method !== 'GET'));
		expect(writes.length).toBeGreaterThan(0);
		for (const c of writes) {
			const path = fill(c.path, targets);
			for (const type of ['application/json', 'text/csv', 'application/octet-stream']) {
				const res = await request(`${app.url}${path}`, { method: c.method, headers: { origin: EVIL, cookie: staff, 'content-type': type }, body: '{}' });
				// /api/v1 never reads the cookie: without a token it is 401 from anywhere.
				expect(res.status, `${c.method} ${path} ${type}`).toBe(path.startsWith('/api/v1/') ? 401 : 403);
			}
			// Without an Origin header, a browser still says where the request came from.
			const fetchMeta = await request(`${app.url}${path}`, { method: c.method, headers: { 'sec-fetch-site': 'cross-site', cookie: staff, 'content-type': 'application/json' }, body: '{}' });
			expect(fetchMeta.status, `${c.method} ${path} sec-fetch-site`).toBe(path.startsWith('/api/v1/') ? 401 : 403);
		}
		// Other methods, on pages too.
		for (const method of ['PUT', 'PATCH', 'DELETE']) {
			const res = await request(`${app.url}/stations/${targets.station}/seekers`, { method, headers: { origin: EVIL, cookie: staff, 'content-type': 'application/json' }, body: '{}' });
			expect(res.status, method).toBe(403);
			expect(JSON.parse(res.body)).toMatchObject({ reason: 'cross_site' });
		}
		// Our own page's upload goes through (the import says there is no file).
		const own = await request(`${app.url}/stations/${targets.station}/import/run`, { method: 'POST', headers: { origin: app.url, cookie: staff, 'content-type': 'application/json' }, body: '{}' });
		expect(own.status).toBe(200);
		expect(own.body).toContain('no_file');
	});

	it('refuses socket handshakes from a foreign Origin', async () => {
		const attempt = (origin?: string) =>
			new Promise<boolean>((resolve) => {
				const s = io(app.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: staff, ...(origin ? { origin } : {}) } });
				s.once('connect', () => (s.disconnect(), resolve(true)));
				s.once('connect_error', () => (s.close(), resolve(false)));
			});
		expect(await attempt(EVIL)).toBe(false);
		expect(await attempt('null')).toBe(false);
		expect(await attempt(app.url.replace('127.0.0.1', 'localhost'))).toBe(false);
		expect(await attempt(app.url)).toBe(true);
		// Not a browser: it cannot have a victim's cookie, and displays and tools connect like this.
		expect(await attempt()).toBe(true);
	});

	// ── rate limits ────────────────────────────────────────────────────────────────────────────────
	it('throttles sign-in per account: failures from many addresses lock the account, not the others', async () => {
		for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) expect((await login('staff', 'wrong-password', { from })).status).toBe(400);
		const locked = await login('staff', DEMO_PASSWORD, { from: '127.0.0.5' });
		expect(locked.status).toBe(429);
		expect(locked.body).toMatch(/请 \d+ 秒后再试/);
		expect((await login('seeker', DEMO_PASSWORD, { from: '127.0.0.5' })).status).toBe(303);
	});

	it('throttles sign-in per address: failures over many names lock that address, not the others', async () => {
		for (const name of ['nobody-1', 'nobody-2', 'nobody-3']) expect((await login(name, 'wrong-password', { from: '127.0.0.6' })).status).toBe(400);
		expect((await login('employer', DEMO_PASSWORD, { from: '127.0.0.6' })).status).toBe(429);
		expect((await login('employer', DEMO_PASSWORD, { from: '127.0.0.7' })).status).toBe(303);
	});

	it('throttles applications per seeker with 429 and Retry-After, wherever they come from', async () => {
		const [account] = await ctx.db.select({ username: users.username, seekerId: users.seekerId }).from(users).where(and(eq(users.role, 'seeker'), notInArray(users.username, ['seeker'])));
		const cookie = await app.signInAs(account.username);
		const applied = ctx.db.select({ id: applications.positionId }).from(applications).where(eq(applications.seekerId, account.seekerId!));
		const before = await applicationsOf(account.seekerId!);
		const open = await ctx.db.select({ id: positions.id }).from(positions).where(and(eq(positions.state, 'open'), notInArray(positions.id, applied))).limit(12);
		const tap = (positionId: number, key: string, accept = 'application/json') =>
			request(`${app.url}/jobs/${positionId}?/apply`, { method: 'POST', headers: { origin: app.url, cookie, accept, 'content-type': 'application/x-www-form-urlencoded' }, body: `clientKey=${key}` });
		for (let i = 0; i < 10; i++) expect(JSON.parse((await tap(open[i].id, `guard-apply-${i}-key`)).body)).toMatchObject({ type: 'success' });
		// A repeat of a tap already answered is not a new application and is not refused.
		expect(JSON.parse((await tap(open[0].id, 'guard-apply-0-key')).body)).toMatchObject({ type: 'success' });
		const eleventh = await tap(open[10].id, 'guard-apply-10-key', 'text/html');
		expect(eleventh.status).toBe(429);
		expect(eleventh.body).toMatch(/申请太频繁，请 \d+ 秒后再试/);
		// Over the socket, the same person is refused the same way, with the seconds to wait.
		const socket = await socketWith(cookie);
		const ack = await socket.emitWithAck('command', { name: 'application:apply', input: { positionId: open[11].id, clientKey: 'guard-apply-11-key' } });
		socket.disconnect();
		expect(ack).toMatchObject({ ok: false, error: { code: 'rate_limited', reason: 'too_many_applications' } });
		expect(ack.error.retryAfter).toBeGreaterThan(0);
		expect(ack.error.retryAfter).toBeLessThanOrEqual(60);
		expect(await applicationsOf(account.seekerId!)).toBe(before + 10);
	});

	it('throttles chat and repeated commands per socket with a rate_limited ack', async () => {
		const cookie = await app.signInAs('seeker');
		const socket = await socketWith(cookie);
		const post = (i: number) => socket.emitWithAck('command', { name: 'room:post', input: { roomId: targets.roomLive, body: `第 ${i} 条`, clientKey: `guard-chat-${i}-key` } });
		const answers = [];
		for (let i = 0; i < 6; i++) answers.push(await post(i));
		expect(answers.slice(0, 5).filter((a) => !a.ok)).toEqual([]);
		expect(answers[5]).toMatchObject({ ok: false, error: { code: 'rate_limited', reason: 'too_many_messages' } });
		expect(answers[5].error.retryAfter).toBeGreaterThan(0);
		expect(answers[5].error.retryAfter).toBeLessThanOrEqual(10);
		// One tap fired again and again: the person applied long ago, so each is answered without a new
		// application (nothing counts against the seeker), but the connection's budget runs out.
		const repeat = () => socket.emitWithAck('command', { name: 'room:apply', input: { roomId: targets.roomLive, positionId: targets.roomPinned, clientKey: 'matrix-apply-room' } });
		const repeats = [];
		for (let i = 0; i < 21; i++) repeats.push(await repeat());
		expect(repeats.slice(0, 20).filter((a) => !a.ok)).toEqual([]);
		expect(repeats[20]).toMatchObject({ ok: false, error: { code: 'rate_limited', reason: 'too_many_applications' } });
		socket.disconnect();
		// Another connection of the same person has its own budget.
		const fresh = await socketWith(cookie);
		expect(await fresh.emitWithAck('command', { name: 'room:post', input: { roomId: targets.roomLive, body: '新连接', clientKey: 'guard-chat-fresh' } })).toMatchObject({ ok: true });
		fresh.disconnect();
	});

	// ── content security policy ────────────────────────────────────────────────────────────────────
	it('sends a nonce-based CSP on every page, a new nonce each time, and the scripts carry it', async () => {
		const supervisor = await app.signInAs('supervisor.gz');
		for (const [path, cookie] of [['/jobs', undefined], ['/ops', supervisor], [`/display/${targets.displayToken}`, undefined], [`/live/${targets.roomLive}`, undefined]] as const) {
			const seen = new Set<string>();
			for (let i = 0; i < 2; i++) {
				const res = await request(`${app.url}${path}`, { headers: cookie ? { cookie } : {} });
				expect(res.status, path).toBe(200);
				const csp = String(res.headers['content-security-policy'] ?? '');
				const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
				const nonce = /'nonce-([^']+)'/.exec(directives['script-src']?.join(' ') ?? '')?.[1];
				expect(nonce, `${path}: ${csp}`).toBeTruthy();
				expect(directives['script-src'], path).not.toContain("'unsafe-inline'");
				expect(directives['script-src'], path).not.toContain("'unsafe-eval'");
				expect(directives['object-src'], path).toEqual(["'none'"]);
				expect(directives['frame-ancestors'], path).toEqual(["'none'"]);
				expect(directives['base-uri'], path).toEqual(["'self'"]);
				// Every inline script SvelteKit wrote carries this response's nonce.
				const scripts = [...res.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
				expect(scripts.length, path).toBeGreaterThan(0);
				for (const [, attrs] of scripts) expect(attrs, path).toContain(`nonce="${nonce}"`);
				seen.add(nonce!);
			}
			expect(seen.size, `${path}: a fresh nonce per response`).toBe(2);
		}
	});

	it('logged no phone number', () => {
		expect(personalDataIn(app.logs)).toEqual([]);
	});

	async function applicationsOf(seekerId: number) {
		const [row] = await ctx.db.select({ n: count() }).from(applications).where(eq(applications.seekerId, seekerId));
		return row.n;
	}

	async function socketWith(cookie: string): Promise<Socket> {
		const socket = io(app.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: app.url, cookie } });
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return socket;
	}
});
