/**
 * Quick registration by phone: one seeker and one signed-in account per phone, in one transaction; a phone
 * already known (an account, or a person a station registered) is refused without touching that person;
 * bad input names its field and writes nothing.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/lib/server/context';
import { events, seekers, sessions, users } from '../../../src/lib/server/db/schema';
import { registerSeekerAccount } from '../../../src/lib/server/services/accounts';
import { login, validateSession } from '../../../src/lib/server/services/auth';
import { testLog } from '../../helpers/app';
import { type TestDatabase, createTestDatabase } from '../../helpers/db';
import { makeSeeker, seedRegions } from '../../helpers/fixtures';

let db: TestDatabase;
beforeAll(async () => {
	db = await createTestDatabase();
	await seedRegions(db.database.db);
});
afterAll(async () => db?.drop());
const ctx = () => createAppContext(db.database, { log: testLog });
const totals = async () => {
	const d = db.database.db;
	const [[s], [u], [e], [x]] = await Promise.all([d.select({ n: count() }).from(seekers), d.select({ n: count() }).from(users), d.select({ n: count() }).from(events), d.select({ n: count() }).from(sessions)]);
	return { seekers: s.n, users: u.n, events: e.n, sessions: x.n };
};

describe('registerSeekerAccount', () => {
	it('creates the seeker, its account and a session; the phone signs in with the password', async () => {
		const answer = await registerSeekerAccount(ctx(), { name: ' 陈小雨 ', phone: '13811112222', password: 'long enough', consent: true });
		expect(answer.user).toMatchObject({ role: 'seeker', username: '13811112222', displayName: '陈小雨' });
		const [seeker] = await db.database.db.select().from(seekers).where(eq(seekers.id, answer.user.seekerId!));
		expect(seeker).toMatchObject({ name: '陈小雨', phone: '13811112222' });
		expect(seeker.consentAt).toBeInstanceOf(Date);
		expect((await validateSession(ctx(), answer.token))?.user.seekerId).toBe(seeker.id);
		expect((await login(ctx(), { username: '13811112222', password: 'long enough' })).user.id).toBe(answer.user.id);
		const [event] = await db.database.db.select().from(events).where(eq(events.type, 'seeker.registered'));
		expect(JSON.stringify(event.payload)).not.toContain('13811112222');
	});

	it('refuses a known phone, whether it has an account or a station registered it, and writes nothing', async () => {
		await makeSeeker(db.database.db, { name: '站点登记', phone: '13933334444', consentAt: new Date() });
		const before = await totals();
		for (const phone of ['13811112222', '13933334444']) {
			await expect(registerSeekerAccount(ctx(), { name: '别人', phone, password: 'long enough', consent: true })).rejects.toMatchObject({
				reason: 'phone_taken',
				fields: { phone: 'phone_taken' }
			});
		}
		expect(await totals()).toEqual(before);
		const [kept] = await db.database.db.select().from(seekers).where(eq(seekers.phone, '13933334444'));
		expect(kept.name).toBe('站点登记');
	});

	it('names every field at fault and writes nothing', async () => {
		const before = await totals();
		await expect(registerSeekerAccount(ctx(), { name: '', phone: '12345', password: 'short', consent: false })).rejects.toMatchObject({
			code: 'invalid',
			fields: { name: 'required', phone: 'phone_format', password: 'password_short', consent: 'consent_required' }
		});
		await expect(registerSeekerAccount(ctx(), 'nonsense')).rejects.toMatchObject({ code: 'invalid' });
		expect(await totals()).toEqual(before);
	});
});
