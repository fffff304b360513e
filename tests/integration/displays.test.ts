/**
 * Registering and revoking wall displays: who may, the token shown once and stored hashed, and a revoked
 * screen's socket ended at once (through the relayed event, as on every process) and refused afterwards.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displays } from '../../src/lib/server/db/schema';
import { sha256 } from '../../src/lib/server/services/auth';
import { listDisplays, registerDisplay, revokeDisplay } from '../../src/lib/server/services/displays';
import { type TestApp, startTestApp } from '../helpers/app';
import { connect, until } from '../helpers/clients';
import { makeStation, seedRegions, signIn } from '../helpers/fixtures';

let app: TestApp;

beforeAll(async () => {
	app = await startTestApp();
	await seedRegions(app.db.database.db);
});
afterAll(async () => app?.close());

describe('wall displays', () => {
	it('admins and the station’s staff register screens; others may not; bad input names the field', async () => {
		const d = app.db.database.db;
		const station = await makeStation(d);
		const other = await makeStation(d);
		const admin = (await signIn(d, 'admin')).actor;
		const staff = (await signIn(d, 'staff', { stationId: station.id })).actor;
		const supervisor = (await signIn(d, 'supervisor', { regionCode: '44' })).actor;

		const mine = await registerDisplay(app.ctx, staff, { stationId: station.id, label: '大厅' });
		expect(mine.token.length).toBeGreaterThanOrEqual(32);
		const [row] = await d.select().from(displays).where(eq(displays.id, mine.displayId));
		expect(row.tokenHash).toBe(sha256(mine.token));
		expect(JSON.stringify(row)).not.toContain(mine.token);

		await expect(registerDisplay(app.ctx, staff, { stationId: other.id, label: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(registerDisplay(app.ctx, supervisor, { stationId: station.id, label: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(registerDisplay(app.ctx, admin, { stationId: station.id, label: '' })).rejects.toMatchObject({ code: 'invalid', fields: { label: 'required' } });
		await expect(registerDisplay(app.ctx, admin, { stationId: 'x', label: 'ok' })).rejects.toMatchObject({ code: 'invalid', fields: { stationId: expect.any(String) } });

		expect((await listDisplays(app.ctx, staff)).map((x) => x.id)).toEqual([mine.displayId]);
		expect((await listDisplays(app.ctx, admin)).map((x) => x.id)).toContain(mine.displayId);
		await expect(listDisplays(app.ctx, supervisor)).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('revoking ends the screen’s socket within moments and its token stops working', async () => {
		const d = app.db.database.db;
		const station = await makeStation(d);
		const admin = (await signIn(d, 'admin')).actor;
		const otherStaff = (await signIn(d, 'staff', { stationId: (await makeStation(d)).id })).actor;
		const screen = await registerDisplay(app.ctx, admin, { stationId: station.id, label: '门口' });

		const client = connect(app.url, { displayToken: screen.token });
		await until(() => client.state === 'live', 5000, 'screen connected');
		await expect(revokeDisplay(app.ctx, otherStaff, { displayId: screen.displayId })).rejects.toMatchObject({ code: 'forbidden' });
		expect(client.state).toBe('live');

		const started = Date.now();
		await revokeDisplay(app.ctx, admin, { displayId: screen.displayId });
		await until(() => client.state === 'ended', 5000, 'screen ended');
		expect(Date.now() - started).toBeLessThan(3000);
		client.close();

		// Revoking twice answers the first revocation; the token no longer opens a display socket.
		const again = await revokeDisplay(app.ctx, admin, { displayId: screen.displayId });
		expect(again.displayId).toBe(screen.displayId);
		const retry = connect(app.url, { displayToken: screen.token });
		await until(() => retry.state === 'live', 5000, 'anonymous connection');
		const subscribe = await retry.command('display:heartbeat', {});
		expect(subscribe).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		retry.close();
	});
});
