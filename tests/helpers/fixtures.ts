/**
 * Small, explicit fixtures for service and realtime tests: a region tree, organisations, stations and
 * signed-in users of every role. Sessions are inserted directly (hashing a password per test is slow).
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../src/lib/server/actor';
import type { Db } from '../../src/lib/server/db';
import { organisations, regions, seekers, sessions, stations, users } from '../../src/lib/server/db/schema';
import { SESSION_COOKIE, actorOf, sha256 } from '../../src/lib/server/services/auth';

/** Province 44 > cities 4401, 4403 > counties 440106, 440305 > a street and a community under 440106. */
export async function seedRegions(db: Db) {
	await db.insert(regions).values([
		{ code: '44', parentCode: null, level: 'province', nameZh: '广东省', nameEn: 'Guangdong', lat: 23.13, lng: 113.26 },
		{ code: '4401', parentCode: '44', level: 'city', nameZh: '广州市', nameEn: 'Guangzhou', lat: 23.13, lng: 113.26 },
		{ code: '4403', parentCode: '44', level: 'city', nameZh: '深圳市', nameEn: 'Shenzhen', lat: 22.54, lng: 114.06 },
		{ code: '440106', parentCode: '4401', level: 'county', nameZh: '天河区', nameEn: 'Tianhe', lat: 23.12, lng: 113.36, stationQuota: 2 },
		{ code: '440305', parentCode: '4403', level: 'county', nameZh: '南山区', nameEn: 'Nanshan', lat: 22.53, lng: 113.93, stationQuota: 2 },
		{ code: '440106001', parentCode: '440106', level: 'street', nameZh: '五山街道', nameEn: 'Wushan', lat: 23.15, lng: 113.35 },
		{ code: '440106001001', parentCode: '440106001', level: 'community', nameZh: '华工社区', nameEn: 'Huagong', lat: 23.15, lng: 113.34 }
	]);
}

export async function makeOrganisation(db: Db, values: Partial<typeof organisations.$inferInsert> = {}) {
	const [row] = await db
		.insert(organisations)
		.values({ name: values.name ?? `机构 ${randomBytes(3).toString('hex')}`, kind: values.kind ?? 'hr_department', regionCode: values.regionCode ?? '4401', ...values })
		.returning();
	return row;
}

export async function makeStation(db: Db, values: Partial<typeof stations.$inferInsert> = {}) {
	const lead = values.leadOrganisationId ?? (await makeOrganisation(db)).id;
	const [row] = await db
		.insert(stations)
		.values({
			name: `驿站 ${randomBytes(3).toString('hex')}`,
			kind: 'community',
			regionCode: '440106001001',
			lat: 23.15,
			lng: 113.34,
			capacity: 20,
			...values,
			leadOrganisationId: lead
		})
		.returning();
	return row;
}

export async function makeSeeker(db: Db, values: Partial<typeof seekers.$inferInsert> = {}) {
	const phone = values.phone ?? `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
	const [row] = await db
		.insert(seekers)
		.values({ name: '测试求职者', phone, consentAt: new Date(), ...values })
		.returning();
	return row;
}

export interface SignedIn {
	userId: number;
	actor: Actor;
	token: string;
	sessionId: string;
	/** `Cookie` header value for HTTP and socket.io handshakes. */
	cookie: string;
}

type Role = 'admin' | 'supervisor' | 'staff' | 'employer' | 'seeker';

export async function signIn(
	db: Db,
	role: Role,
	scope: { regionCode?: string; stationId?: number; organisationId?: number; seekerId?: number } = {}
): Promise<SignedIn> {
	const username = `${role}-${randomBytes(4).toString('hex')}`;
	const seekerId = role === 'seeker' ? (scope.seekerId ?? (await makeSeeker(db)).id) : null;
	const [user] = await db
		.insert(users)
		.values({
			username,
			displayName: username,
			passwordHash: 'not-used-in-tests',
			role,
			regionCode: scope.regionCode ?? null,
			stationId: scope.stationId ?? null,
			organisationId: scope.organisationId ?? null,
			seekerId
		})
		.returning();
	const token = randomBytes(24).toString('base64url');
	const sessionId = sha256(token);
	await db.insert(sessions).values({ id: sessionId, userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) });
	return {
		userId: user.id,
		actor: actorOf({ ...user, role }),
		token,
		sessionId,
		cookie: `${SESSION_COOKIE}=${token}`
	};
}
