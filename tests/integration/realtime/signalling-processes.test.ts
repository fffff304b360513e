/**
 * Camera-stream signalling across two app servers on one database, joined by the socket.io Redis adapter on a
 * real Redis: a host on one and a viewer on the other find each other, signals cross in both directions, the
 * viewer limit counts both servers' watchers, and a host leaving one server ends the stream on the other.
 * This is what addressing sockets by id and keeping streams in socket.io rooms (never in a process's memory) buys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { Ack, ClientToServerEvents, RtcSignalled } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { type Broker, openBroker } from '../../../src/lib/server/realtime/broker';
import { scheduleRoom, setRoomState } from '../../../src/lib/server/services/rooms';
import { type TestApp, startTestApp, testLog } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';
import { redisPrefix, redisUrl } from '../../helpers/redis';

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

describe(`camera-stream signalling across two servers on ${driverName} and Redis`, () => {
	let db: TestDatabase;
	const apps: TestApp[] = [];
	const brokers: Broker[] = [];
	const open: RealtimeConnection[] = [];
	let host: SignedIn;
	let roomId: number;

	beforeAll(async () => {
		db = await createTestDatabase();
		// A prefix of our own: other test runs on the same Redis never hear these servers.
		const prefix = redisPrefix('rtc');
		for (let i = 0; i < 2; i++) {
			const broker = openBroker(redisUrl, { prefix, log: testLog });
			brokers.push(broker);
			apps.push(await startTestApp({ db, broker, webrtcMaxViewers: 2 }));
		}
		await until(() => brokers.every((b) => b.state === 'up'), 10_000, 'both brokers up');
		const data = apps[0].ctx.db;
		await seedRegions(data);
		const org = await makeOrganisation(data, { kind: 'employer', name: '顺达物流' });
		host = await signIn(data, 'employer', { organisationId: org.id });
		roomId = (await scheduleRoom(apps[0].ctx, host.actor, { title: '跨进程摄像头直播', scheduledAt: new Date(Date.now() + 60_000), videoKind: 'webrtc' })).id;
		await setRoomState(apps[0].ctx, host.actor, { roomId, state: 'live' });
	});
	afterAll(async () => {
		for (const c of open) c.close();
		for (const app of apps) await app.close();
		for (const b of brokers) b.close();
		await db?.drop();
	});

	async function peer(app: TestApp, cookie?: string) {
		const conn = connect(app.url, { cookie });
		open.push(conn);
		await until(() => conn.state === 'live' && conn.socket.id !== undefined, 10_000, 'socket connected');
		const got = { joined: [] as string[], left: [] as string[], signals: [] as RtcSignalled[], started: 0, ended: [] as string[] };
		conn.socket.on('rtc:viewer_joined', (i) => got.joined.push(i.viewerId));
		conn.socket.on('rtc:viewer_left', (i) => got.left.push(i.viewerId));
		conn.socket.on('rtc:signalled', (s) => got.signals.push(s));
		conn.socket.on('rtc:broadcast_started', () => got.started++);
		conn.socket.on('rtc:broadcast_ended', (i) => got.ended.push(i.reason));
		return {
			conn,
			id: conn.socket.id!,
			got,
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			ask: (event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<Record<string, unknown>>> => (conn.socket.timeout(5000) as any).emitWithAck(event, payload),
			async follow() {
				const feed = conn.subscribe(topic.room(roomId), { snapshot: () => {}, event: () => {} });
				await until(() => feed.status === 'live', 10_000, 'following the room');
			}
		};
	}

	it('connects a host on one server with viewers on the other, and counts the limit across both', async () => {
		const [one, two] = apps;
		const hostPeer = await peer(one, host.cookie);
		const viewers = [await peer(two), await peer(two), await peer(one)];
		for (const v of viewers) await v.follow();

		expect((await hostPeer.ask('rtc:broadcast', { roomId })).ok).toBe(true);
		// Announced to the room's followers on both servers.
		await until(() => viewers.every((v) => v.got.started === 1), 5_000, 'broadcast_started everywhere');

		// The viewer's server sees the host on the other one through the adapter.
		const [a, b, c] = viewers;
		expect(await a.ask('rtc:watch', { roomId })).toEqual({ ok: true, data: { roomId, hostId: hostPeer.id } });
		await until(() => hostPeer.got.joined.includes(a.id), 5_000, 'viewer_joined across servers');

		expect((await hostPeer.ask('rtc:signal', { roomId, to: a.id, kind: 'offer', sdp: SDP })).ok).toBe(true);
		await until(() => a.got.signals.length === 1, 5_000, 'offer across servers');
		expect(a.got.signals[0]).toEqual({ roomId, from: hostPeer.id, kind: 'offer', sdp: SDP });
		expect((await a.ask('rtc:signal', { roomId, to: hostPeer.id, kind: 'answer', sdp: SDP })).ok).toBe(true);
		await until(() => hostPeer.got.signals.length === 1, 5_000, 'answer across servers');
		expect(hostPeer.got.signals[0]).toMatchObject({ from: a.id, kind: 'answer' });

		// A follower on the host's server that does not watch is still out of reach from there.
		const refused = await hostPeer.ask('rtc:signal', { roomId, to: c.id, kind: 'offer', sdp: SDP });
		expect(refused).toMatchObject({ ok: false, error: { fields: { to: 'not_in_stream' } } });

		// Two places in all: one taken on server two, the second on server one, none left for a third.
		expect((await c.ask('rtc:watch', { roomId })).ok).toBe(true);
		expect(await b.ask('rtc:watch', { roomId })).toMatchObject({ ok: false, error: { reason: 'stream_full' } });

		// The viewer on server two goes away: the host on server one hears of it, and the place is free again.
		a.conn.close();
		await until(() => hostPeer.got.left.includes(a.id), 5_000, 'viewer_left across servers');
		expect((await b.ask('rtc:watch', { roomId })).ok).toBe(true);

		// The host turns the camera on in a window on server two: it takes over, on both servers.
		const second = await peer(two, host.cookie);
		expect((await second.ask('rtc:broadcast', { roomId })).ok).toBe(true);
		await until(() => hostPeer.got.ended.includes('host_moved') && b.got.ended.includes('host_moved') && c.got.ended.includes('host_moved'), 5_000, 'host_moved everywhere');
		for (const v of [b, c]) expect((await v.ask('rtc:watch', { roomId })).ok).toBe(true);
		await until(() => second.got.joined.includes(b.id) && second.got.joined.includes(c.id), 5_000, 'the new window hears of both viewers');
		const late = await hostPeer.ask('rtc:signal', { roomId, to: c.id, kind: 'offer', sdp: SDP });
		expect(late).toMatchObject({ ok: false, error: { reason: 'not_in_stream' } });
		hostPeer.conn.close();

		// The host goes away from server two: the viewers on both servers are told, and nobody is left watching.
		second.conn.close();
		await until(() => b.got.ended.includes('host_left') && c.got.ended.includes('host_left'), 5_000, 'host_left on both servers');
		expect(await b.ask('rtc:watch', { roomId })).toEqual({ ok: true, data: { roomId, hostId: null } });
	});
});
