/**
 * POST /api/v1/positions: the platform upserts an organisation's position by its own reference, through the
 * route's own wrapper (bearer token → createPosition / updatePosition → JSON). Created is 201, updated 200,
 * another organisation is never found nor named, a bad field is a 400 naming it, never a 500.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/lib/server/context';
import { events, positions } from '../../../src/lib/server/db/schema';
import { apiAnswer, jsonBodyOf } from '../../../src/lib/server/exchange/http';
import { createApiToken } from '../../../src/lib/server/services/api-tokens';
import { upsertPositionByRef } from '../../../src/lib/server/services/exchange';
import { reviewPosition } from '../../../src/lib/server/services/positions';
import { type TestApp, startTestApp } from '../../helpers/app';
import { makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';
import { positionInput } from '../../helpers/positions';

let app: TestApp;
let ctx: AppContext;
let orgA: number;
let orgB: number;
let tokenA: string;
let tokenB: string;

/** The route's handler body, on this test's database. */
async function upsert(token: string, body: unknown, raw?: string) {
	const request = new Request('http://api.test/api/v1/positions', {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: raw ?? JSON.stringify(body)
	});
	const res = await apiAnswer(ctx, request, async (c, actor) => upsertPositionByRef(c, actor, await jsonBodyOf(request)), (a) => (a.created ? 201 : 200));
	return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
	app = await startTestApp();
	ctx = app.ctx;
	const db = app.db.database.db;
	await seedRegions(db);
	orgA = (await makeOrganisation(db, { kind: 'employer', name: '甲公司', regionCode: '440106' })).id;
	orgB = (await makeOrganisation(db, { kind: 'employer', name: '乙公司' })).id;
	const admin = (await signIn(db, 'admin')).actor;
	tokenA = (await createApiToken(ctx, admin, { organisationId: orgA, label: '省平台' })).token;
	tokenB = (await createApiToken(ctx, admin, { organisationId: orgB, label: '乙 系统' })).token;
});
afterAll(async () => app?.close());

describe('POST /api/v1/positions (upsert by externalRef)', () => {
	it('creates a draft for the token organisation, announced like any new position (201)', async () => {
		const before = await app.db.database.db.select().from(events);
		const res = await upsert(tokenA, { ...positionInput({ title: '平台 分拣员' }), externalRef: 'P-001' });
		expect(res.status).toBe(201);
		expect(res.body.created).toBe(true);
		expect(res.body.position).toMatchObject({ title: '平台 分拣员', externalRef: 'P-001', employerOrganisationId: orgA, state: 'draft' });
		const after = await app.db.database.db.select().from(events);
		expect(after.slice(before.length).map((e) => e.type)).toEqual(['position.created']);
	});

	it('updates the same position when the reference comes again (200), only the fields sent', async () => {
		const res = await upsert(tokenA, { externalRef: 'P-001', payMax: 9000, headcount: 8 });
		expect(res.status).toBe(200);
		expect(res.body.created).toBe(false);
		expect(res.body.position).toMatchObject({ title: '平台 分拣员', payMax: 9000, headcount: 8 });
		const rows = await app.db.database.db.select().from(positions).where(and(eq(positions.employerOrganisationId, orgA), eq(positions.externalRef, 'P-001')));
		expect(rows).toHaveLength(1);
	});

	it('submits for review when asked, and an approved position edited goes back to review', async () => {
		const sent = await upsert(tokenA, { externalRef: 'P-001', submit: true });
		expect(sent.body.position.state).toBe('pending_review');
		await reviewPosition(ctx, { kind: 'admin', userId: 0 }, { positionId: sent.body.position.id, decision: 'approve' });
		const edited = await upsert(tokenA, { externalRef: 'P-001', title: '平台 分拣员（夜班）' });
		expect(edited.body.position).toMatchObject({ state: 'pending_review', title: '平台 分拣员（夜班）' });
	});

	it("keeps references per organisation: B's same reference is B's own position, A's is untouched", async () => {
		const res = await upsert(tokenB, { ...positionInput({ title: '乙 同号岗位' }), externalRef: 'P-001' });
		expect(res.status).toBe(201);
		expect(res.body.position.employerOrganisationId).toBe(orgB);
		const [a] = await app.db.database.db.select().from(positions).where(and(eq(positions.employerOrganisationId, orgA), eq(positions.externalRef, 'P-001')));
		expect(a.title).toBe('平台 分拣员（夜班）');
	});

	it('refuses to name another organisation, new or existing (403), writing nothing', async () => {
		const before = await app.db.database.db.select().from(positions);
		const created = await upsert(tokenB, { ...positionInput(), externalRef: 'B-NEW', employerOrganisationId: orgA });
		expect(created).toMatchObject({ status: 403, body: { code: 'forbidden', reason: 'not_your_organisation' } });
		const updated = await upsert(tokenB, { externalRef: 'P-001', employerOrganisationId: orgA, title: '抢占' });
		expect(updated.status).toBe(403);
		expect(await app.db.database.db.select().from(positions)).toHaveLength(before.length);
	});

	it('names the field at fault (400), for new and existing positions, and never answers 500', async () => {
		const cases: [unknown, string][] = [
			[{ ...positionInput() }, 'externalRef'],
			[{ ...positionInput(), externalRef: '' }, 'externalRef'],
			[{ ...positionInput(), externalRef: 'x'.repeat(101) }, 'externalRef'],
			[{ ...positionInput(), externalRef: 'bad\u0007ref' }, 'externalRef'],
			[{ ...positionInput({ payMin: 'lots' }), externalRef: 'N-1' }, 'payMin'],
			[{ ...positionInput({ payMin: 8000, payMax: 100 }), externalRef: 'N-2' }, 'payMax'],
			[{ ...positionInput({ kind: 'forever' }), externalRef: 'N-3' }, 'kind'],
			[{ ...positionInput({ regionCode: '999999' }), externalRef: 'N-4' }, 'regionCode'],
			[{ ...positionInput({ kind: 'odd_job' }), externalRef: 'N-5' }, 'startsAt'],
			[{ externalRef: 'N-6', title: '只有标题' }, 'category'],
			[{ externalRef: 'P-001', headcount: 0 }, 'headcount'],
			[{ externalRef: 'P-001', submit: 'yes' }, 'submit'],
			[[1, 2], '_']
		];
		for (const [body, field] of cases) {
			const res = await upsert(tokenA, body);
			expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(Object.keys(res.body.fields), JSON.stringify(body).slice(0, 80)).toContain(field);
		}
		const broken = await upsert(tokenA, null, '{"externalRef": ');
		expect(broken).toMatchObject({ status: 400, body: { fields: { body: 'json_syntax' } } });
		const none = await app.db.database.db.select().from(positions).where(eq(positions.externalRef, 'N-1'));
		expect(none).toHaveLength(0);
	});

	it('401 without a valid token', async () => {
		expect((await upsert('jc_nope', { ...positionInput(), externalRef: 'Z' })).status).toBe(401);
	});
});
