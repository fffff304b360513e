/**
 * Sliding sessions: a session past half its lifetime is extended (and the cookie must follow); a younger
 * one is left alone, so the hook does not re-send the cookie on every response. Expired or disabled: no one.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../../src/lib/server/config';
import { createAppContext } from '../../../src/lib/server/context';
import { sessions, users } from '../../../src/lib/server/db/schema';
import { validateSession } from '../../../src/lib/server/services/auth';
import { testLog } from '../../helpers/app';
import { type TestDatabase, createTestDatabase } from '../../helpers/db';
import { seedRegions, signIn } from '../../helpers/fixtures';

const DAY = 86_400_000;
let db: TestDatabase;

beforeAll(async () => {
	db = await createTestDatabase();
	await seedRegions(db.database.db);
});
afterAll(async () => db?.drop());

const at = (now: Date) => ({ ...createAppContext(db.database, { log: testLog }), now: () => now });

describe('validateSession', () => {
	it('slides only past half-life, and never for expired or disabled sessions', async () => {
		const user = await signIn(db.database.db, 'supervisor', { regionCode: '4401' });
		const lifetime = config.sessionDays * DAY;
		const start = new Date('2026-11-01T00:00:00Z');
		await db.database.db.update(sessions).set({ expiresAt: new Date(start.getTime() + lifetime) }).where(eq(sessions.id, user.sessionId));

		const young = await validateSession(at(new Date(start.getTime() + DAY)), user.token);
		expect(young).toMatchObject({ slid: false, expiresAt: new Date(start.getTime() + lifetime) });

		const later = new Date(start.getTime() + lifetime * 0.6);
		const old = await validateSession(at(later), user.token);
		expect(old).toMatchObject({ slid: true, expiresAt: new Date(later.getTime() + lifetime) });
		const [row] = await db.database.db.select().from(sessions).where(eq(sessions.id, user.sessionId));
		expect(row.expiresAt).toEqual(new Date(later.getTime() + lifetime));

		expect(await validateSession(at(new Date(later.getTime() + lifetime + 1)), user.token)).toBeNull();
		await db.database.db.update(users).set({ disabledAt: later }).where(eq(users.id, user.userId));
		expect(await validateSession(at(later), user.token)).toBeNull();
	});
});
