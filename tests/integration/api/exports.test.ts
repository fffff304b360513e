/** The positions CSV: BOM, localised headers, only the actor's scope, refused for seekers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import { positionsCsv } from '../../../src/lib/server/exports/positions';
import { type TestApp, startTestApp } from '../../helpers/app';
import { makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

let app: TestApp;
let empA: Actor;

beforeAll(async () => {
	app = await startTestApp();
	const db = app.db.database.db;
	await seedRegions(db);
	const orgA = await makeOrganisation(db, { kind: 'employer' });
	const orgB = await makeOrganisation(db, { kind: 'employer' });
	empA = (await signIn(db, 'employer', { organisationId: orgA.id })).actor;
	const empB = (await signIn(db, 'employer', { organisationId: orgB.id })).actor;
	await openPosition(app.ctx, empA, { title: '甲, "分拣" 员' });
	await openPosition(app.ctx, empB, { title: '乙司机' });
});
afterAll(async () => app?.close());

describe('positions CSV', () => {
	it("holds the employer's own positions only, with a BOM and Chinese headers", async () => {
		const { filename, body } = await positionsCsv(app.ctx, empA, 'zh-CN');
		expect(filename).toMatch(/^positions-\d{4}-\d{2}-\d{2}\.csv$/);
		expect(body.startsWith('\uFEFF编号,岗位名称,')).toBe(true);
		expect(body).toContain('"甲, ""分拣"" 员"');
		expect(body).not.toContain('乙司机');
		expect(body.trim().split('\r\n')).toHaveLength(2);
	});

	it('speaks English when asked, and an admin sees everything', async () => {
		const { body } = await positionsCsv(app.ctx, { kind: 'admin', userId: 1 }, 'en');
		expect(body.startsWith('\uFEFFID,Title,')).toBe(true);
		expect(body).toContain('乙司机');
	});

	it('is refused to seekers', async () => {
		await expect(positionsCsv(app.ctx, { kind: 'seeker', userId: 1, seekerId: 1 }, 'zh-CN')).rejects.toMatchObject({ code: 'forbidden' });
	});
});
