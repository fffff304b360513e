/**
 * The exchange API (/api/v1): tokens are admin-made, shown once, stored hashed; a token acts only within its
 * organisation (403 across), missing/unknown/revoked tokens get 401, bad queries 400 naming the field.
 * Requests go through the same wrapper the routes use (bearer auth → service → JSON error body).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import type { AppContext } from '../../../src/lib/server/context';
import { apiTokens, seekers } from '../../../src/lib/server/db/schema';
import { apiAnswer, queryOf } from '../../../src/lib/server/exchange/http';
import { openapi } from '../../../src/lib/server/exchange/openapi';
import { apply } from '../../../src/lib/server/services/applications';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../src/lib/server/services/api-tokens';
import { listOrganisationPositions, listPublicStations } from '../../../src/lib/server/services/exchange';
import { listApplicationsForPosition } from '../../../src/lib/server/services/applications';
import { sha256 } from '../../../src/lib/server/services/auth';
import { createPosition } from '../../../src/lib/server/services/positions';
import { type TestApp, startTestApp } from '../../helpers/app';
import { makeOrganisation, makeSeeker, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition, positionInput } from '../../helpers/positions';

let app: TestApp;
let ctx: AppContext;
let admin: Actor;
let tokenA: string;
let tokenB: string;
let positionA: number;
let positionB: number;
let draftA: number;

type Work = (ctx: AppContext, actor: Actor, url: URL) => Promise<unknown>;

async function call(pathAndQuery: string, token: string | null, work: Work) {
	const url = new URL(`http://api.test/api/v1${pathAndQuery}`);
	const request = new Request(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
	const res = await apiAnswer(ctx, request, (c, actor) => work(c, actor, url));
	return { status: res.status, cache: res.headers.get('cache-control'), body: await res.json() };
}
const positionsOf: Work = (c, a, url) => listOrganisationPositions(c, a, queryOf(url));
const applicationsOf = (positionId: string | number): Work => async (c, a, url) => ({
	applications: await listApplicationsForPosition(c, a, { ...queryOf(url), positionId })
});

beforeAll(async () => {
	app = await startTestApp();
	ctx = app.ctx;
	await seedRegions(app.db.database.db);
	const orgA = await makeOrganisation(app.db.database.db, { kind: 'employer', name: '甲公司' });
	const orgB = await makeOrganisation(app.db.database.db, { kind: 'employer', name: '乙公司' });
	const empA = await signIn(app.db.database.db, 'employer', { organisationId: orgA.id });
	const empB = await signIn(app.db.database.db, 'employer', { organisationId: orgB.id });
	admin = (await signIn(app.db.database.db, 'admin')).actor;
	positionA = (await openPosition(ctx, empA.actor, { title: '甲 分拣员' })).id;
	positionB = (await openPosition(ctx, empB.actor, { title: '乙 司机' })).id;
	draftA = (await createPosition(ctx, empA.actor, positionInput({ title: '甲 草稿' }))).id;
	tokenA = (await createApiToken(ctx, admin, { organisationId: orgA.id, label: '省平台' })).token;
	tokenB = (await createApiToken(ctx, admin, { organisationId: orgB.id, label: '乙 系统' })).token;
	// One applicant who consented and one who withdrew consent (name and phone removed).
	const kept = await makeSeeker(app.db.database.db, { name: '张三', phone: '13800138000' });
	const gone = await makeSeeker(app.db.database.db, { name: '李四', phone: '13900139000' });
	for (const s of [kept, gone]) {
		const seeker = await signIn(app.db.database.db, 'seeker', { seekerId: s.id });
		await apply(ctx, seeker.actor, { positionId: positionA, channel: 'web', clientKey: `apply-${s.id}-key` });
	}
	await app.db.database.db.update(seekers).set({ name: null, phone: null, consentAt: null }).where(eq(seekers.id, gone.id));
	await makeStation(app.db.database.db, { name: '一号站' });
	await makeStation(app.db.database.db, { name: '二号站' });
});
afterAll(async () => app?.close());

describe('API tokens', () => {
	it('are made by admins only, shown once, stored as SHA-256', async () => {
		const rows = await app.db.database.db.select().from(apiTokens);
		expect(rows.some((r) => r.tokenHash === sha256(tokenA))).toBe(true);
		expect(rows.some((r) => r.tokenHash === tokenA)).toBe(false);
		const listed = await listApiTokens(ctx, admin);
		expect(JSON.stringify(listed)).not.toContain(tokenA);
		expect(JSON.stringify(listed)).not.toContain(sha256(tokenA));
		const staff = { kind: 'staff', userId: 1, stationId: 1 } as const;
		await expect(createApiToken(ctx, staff, { organisationId: 1, label: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(createApiToken(ctx, admin, { organisationId: 99999, label: 'x' })).rejects.toMatchObject({ fields: { organisationId: 'unknown_organisation' } });
		await expect(createApiToken(ctx, admin, { organisationId: 1, label: '' })).rejects.toMatchObject({ fields: { label: 'required' } });
	});

	it('401 without a token, with an unknown one, and once revoked; last use is recorded', async () => {
		expect((await call('/positions', null, positionsOf)).status).toBe(401);
		expect((await call('/positions', 'jc_nope', positionsOf)).body).toMatchObject({ code: 'unauthenticated', reason: 'invalid_token' });
		const org = await makeOrganisation(app.db.database.db, { kind: 'employer' });
		const made = await createApiToken(ctx, admin, { organisationId: org.id, label: '临时' });
		expect((await call('/positions', made.token, positionsOf)).status).toBe(200);
		const [row] = await app.db.database.db.select().from(apiTokens).where(eq(apiTokens.id, made.tokenId));
		expect(row.lastUsedAt).not.toBeNull();
		await revokeApiToken(ctx, admin, { tokenId: made.tokenId });
		const after = await call('/positions', made.token, positionsOf);
		expect(after).toMatchObject({ status: 401, body: { code: 'unauthenticated', reason: 'revoked_token' } });
	});
});

describe('GET /api/v1/positions', () => {
	it("lists only the token organisation's positions, with filters and keyset pages", async () => {
		const all = await call('/positions', tokenA, positionsOf);
		expect(all.status).toBe(200);
		expect(all.cache).toBe('no-store');
		const ids = all.body.positions.map((p: { id: number }) => p.id);
		expect(ids).toEqual([positionA, draftA]);
		expect(ids).not.toContain(positionB);
		const open = await call('/positions?state=open', tokenA, positionsOf);
		expect(open.body.positions.map((p: { id: number }) => p.id)).toEqual([positionA]);
		const first = await call('/positions?limit=1', tokenA, positionsOf);
		expect(first.body).toMatchObject({ next: positionA });
		const second = await call(`/positions?limit=1&after=${first.body.next}`, tokenA, positionsOf);
		expect(second.body.positions.map((p: { id: number }) => p.id)).toEqual([draftA]);
		expect(second.body.next).toBeNull();
		const future = await call('/positions?updatedSince=2999-01-01T00:00:00Z', tokenA, positionsOf);
		expect(future.body.positions).toEqual([]);
	});

	it('400 naming the field for bad queries', async () => {
		for (const [query, field] of [
			['state=nope', 'state'],
			['limit=0', 'limit'],
			['limit=abc', 'limit'],
			['after=-3', 'after'],
			['updatedSince=yesterday', 'updatedSince']
		]) {
			const res = await call(`/positions?${query}`, tokenA, positionsOf);
			expect(res.status, query).toBe(400);
			expect(res.body.code).toBe('invalid');
			expect(Object.keys(res.body.fields), query).toContain(field);
		}
	});
});

describe('GET /api/v1/positions/{id}/applications', () => {
	it('403 for another organisation in both directions, 400 for a bad id, 404 for none', async () => {
		expect((await call(`/positions/${positionA}/applications`, tokenB, applicationsOf(positionA))).status).toBe(403);
		expect((await call(`/positions/${positionB}/applications`, tokenA, applicationsOf(positionB))).status).toBe(403);
		const bad = await call('/positions/abc/applications', tokenA, applicationsOf('abc'));
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.fields)).toContain('positionId');
		expect((await call('/positions/999999/applications', tokenA, applicationsOf(999999))).status).toBe(404);
	});

	it('gives contact details of consenting seekers only', async () => {
		const res = await call(`/positions/${positionA}/applications`, tokenA, applicationsOf(positionA));
		expect(res.status).toBe(200);
		const text = JSON.stringify(res.body);
		expect(text).toContain('13800138000');
		expect(text).toContain('张三');
		expect(text).not.toContain('13900139000');
		expect(text).not.toContain('李四');
		expect(res.body.applications).toHaveLength(2);
	});
});

describe('GET /api/v1/stations', () => {
	it('pages through public station facts by id', async () => {
		const list = (c: AppContext, _a: Actor, url: URL) => listPublicStations(c, queryOf(url));
		const first = await call('/stations?limit=1', tokenA, list);
		expect(first.status).toBe(200);
		expect(first.body.stations).toHaveLength(1);
		expect(first.body.stations[0]).not.toHaveProperty('occupancy');
		const rest = await call(`/stations?after=${first.body.next}`, tokenA, list);
		expect(rest.body.stations.map((s: { name: string }) => s.name)).toContain('二号站');
		expect((await call('/stations?limit=501', tokenA, list)).body.fields).toHaveProperty('limit');
	});
});

describe('OpenAPI document', () => {
	const root = path.resolve('src/routes/api/v1');
	function routes(dir: string, prefix = ''): string[] {
		return readdirSync(dir).flatMap((name) => {
			const full = path.join(dir, name);
			if (statSync(full).isDirectory()) return routes(full, `${prefix}/${name.replace(/^\[(\w+)\]$/, '{$1}')}`);
			return name === '+server.ts' ? [prefix] : [];
		});
	}

	it('is OpenAPI 3.1 with resolvable references and documented errors', () => {
		expect(openapi.openapi).toMatch(/^3\.1\./);
		expect(openapi.info.title && openapi.info.version).toBeTruthy();
		const text = JSON.stringify(openapi);
		for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
			let node: unknown = openapi;
			for (const part of ref.split('/')) node = (node as Record<string, unknown>)?.[part];
			expect(node, ref).toBeTruthy();
		}
		for (const [p, item] of Object.entries(openapi.paths)) {
			for (const op of Object.values(item)) {
				expect(op.operationId, p).toBeTruthy();
				expect(Object.keys(op.responses), p).toEqual(expect.arrayContaining(['200', '400', '401']));
				const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
				const params = op.parameters as readonly { in: string; name: string }[];
				const declared = params.filter((x) => x.in === 'path').map((x) => x.name);
				expect(declared.sort(), p).toEqual(inPath.sort());
			}
		}
	});

	it('documents every route under src/routes/api/v1 and nothing else', () => {
		const served = routes(root).filter((r) => r !== '/openapi.json');
		expect(served.sort()).toEqual(Object.keys(openapi.paths).sort());
	});
});
