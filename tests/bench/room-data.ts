/**
 * The room suite's data, set-based: the ops scope of a few stations (regions, organisations), an employer
 * with `positions` open positions, its live room with all of them in the queue (scheduled and started
 * through the rooms service, so the room and its events are the real ones), and `seekers` signed-in
 * seekers. Their sessions are stored as the auth service stores one (the SHA-256 of a random cookie token;
 * signing 500 people in through the argon2 login form would only measure argon2); the host signs in
 * through the /login form with the password made here.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import type { AppContext } from '../../src/lib/server/context';
import { SESSION_COOKIE, hashPassword, newToken, sha256 } from '../../src/lib/server/services/auth';
import { scheduleRoom, setRoomState } from '../../src/lib/server/services/rooms';
import { seedOpsScope } from './ops-data';
import type { Session } from './session';

export interface RoomData {
	roomId: number;
	positionIds: number[];
	host: { username: string; password: string };
	seekers: { seekerId: number; session: Session }[];
}

export async function seedRoom(sql: postgres.Sql, ctx: AppContext, counts: { positions: number; seekers: number }): Promise<RoomData> {
	await seedOpsScope(sql, 20);
	const [place] = await sql<{ region_code: string; lat: number; lng: number }[]>`select region_code, lat, lng from stations order by id limit 1`;
	const [org] = await sql<{ id: number }[]>`
		insert into organisations (name, kind, region_code) values ('基准直播招聘企业', 'employer', ${place.region_code.slice(0, 4)}) returning id`;
	const host = { username: 'bench-room-host', password: randomBytes(12).toString('base64url') };
	const [hostUser] = await sql<{ id: number }[]>`
		insert into users (username, display_name, password_hash, role, organisation_id)
		values (${host.username}, '直播主持（基准）', ${await hashPassword(host.password)}, 'employer', ${org.id})
		returning id`;
	const positions = await sql<{ id: number }[]>`
		insert into positions (title, category, kind, pay_min, pay_max, pay_unit, headcount, employer_organisation_id, region_code, address, lat, lng, state, submitted_at, published_at)
		select '直播岗位 ' || i, 'logistics', 'full_time', 5000 + i * 100, 7000 + i * 100, 'month', 10000, ${org.id}, ${place.region_code}, '基准路 ' || i || ' 号',
			${place.lat} + i * 0.001, ${place.lng}, 'open', now(), now()
		from generate_series(1, ${counts.positions}) i
		order by i
		returning id`;
	const positionIds = positions.map((p) => Number(p.id));

	const actor = { kind: 'employer', userId: hostUser.id, organisationId: org.id } as const;
	const room = await scheduleRoom(ctx, actor, { title: '基准直播间', scheduledAt: new Date().toISOString(), positionIds });
	await setRoomState(ctx, actor, { roomId: room.id, state: 'live' });

	// Seekers with consent (a phone needs it), each a user of role seeker with one session.
	const n = counts.seekers;
	const seekerRows = await sql<{ id: number }[]>`
		insert into seekers (name, phone, consent_at)
		select '观众' || i, '139' || lpad(i::text, 8, '0'), now() from generate_series(1, ${n}) i
		order by i
		returning id`;
	const seekerIds = seekerRows.map((s) => s.id);
	const passwordHash = await hashPassword(randomBytes(12).toString('base64url'));
	const userRows = await sql<{ id: number; seeker_id: number }[]>`
		insert into users (username, display_name, password_hash, role, seeker_id)
		select 'bench-room-seeker-' || k, '观众' || k, ${passwordHash}, 'seeker', s
		from unnest(${seekerIds}::int[]) with ordinality as x(s, k)
		returning id, seeker_id`;
	const userBySeeker = new Map(userRows.map((u) => [u.seeker_id, u.id]));
	const tokens = seekerIds.map(() => newToken());
	await sql`
		insert into sessions (id, user_id, expires_at)
		select t, u, now() + interval '14 days'
		from unnest(${tokens.map(sha256)}::text[], ${seekerIds.map((s) => userBySeeker.get(s)!)}::int[]) as x(t, u)`;
	return {
		roomId: room.id,
		positionIds,
		host,
		seekers: seekerIds.map((seekerId, i) => ({ seekerId, session: { name: SESSION_COOKIE, value: tokens[i] } }))
	};
}
