/**
 * Camera-stream signalling (WebRTC) through the real socket server and real socket.io clients: only the
 * room's host broadcasts and offers; only sockets following a live camera room watch it; every signal is
 * relayed between the broadcaster and that room's watchers and nobody else, with the sender filled in by the
 * server; malformed signals are refused naming the field; a full stream says so; one socket cannot flood the
 * host; nothing reaches the event log.
 */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { Ack, ClientToServerEvents, RtcSignalled } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { events } from '../../../src/lib/server/db/schema';
import { scheduleRoom, setRoomState } from '../../../src/lib/server/services/rooms';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';

type Reply = Ack<Record<string, unknown>>;

interface Peer {
	conn: RealtimeConnection;
	id: string;
	joined: { roomId: number; viewerId: string }[];
	left: { roomId: number; viewerId: string }[];
	signals: RtcSignalled[];
	started: { roomId: number; hostId: string }[];
	ended: { roomId: number; reason: string }[];
	ask(event: keyof ClientToServerEvents, payload: unknown): Promise<Reply>;
	follow(roomId: number): Promise<void>;
}

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

describe(`camera-stream signalling on ${driverName}`, () => {
	let app: TestApp;
	let host: SignedIn;
	let otherEmployer: SignedIn;
	let seekers: SignedIn[];
	let camRoom: number;
	let hlsRoom: number;
	const open: RealtimeConnection[] = [];

	beforeAll(async () => {
		app = await startTestApp({ webrtcMaxViewers: 2 });
		const db = app.ctx.db;
		await seedRegions(db);
		const org = await makeOrganisation(db, { kind: 'employer', name: '顺达物流' });
		const org2 = await makeOrganisation(db, { kind: 'employer', name: '别家公司' });
		host = await signIn(db, 'employer', { organisationId: org.id });
		otherEmployer = await signIn(db, 'employer', { organisationId: org2.id });
		seekers = [await signIn(db, 'seeker'), await signIn(db, 'seeker'), await signIn(db, 'seeker')];
		const at = new Date(Date.now() + 3_600_000).toISOString();
		camRoom = (await scheduleRoom(app.ctx, host.actor, { title: '摄像头直播', scheduledAt: at, videoKind: 'webrtc', videoUrl: 'https://ignored.example/x' })).id;
		hlsRoom = (await scheduleRoom(app.ctx, host.actor, { title: '推流直播', scheduledAt: at, videoKind: 'hls', videoUrl: 'https://cdn.example.com/live.m3u8' })).id;
		await setRoomState(app.ctx, host.actor, { roomId: hlsRoom, state: 'live' });
	});
	afterAll(async () => {
		for (const c of open) c.close();
		await app?.close();
	});

	async function peer(cookie?: string): Promise<Peer> {
		const conn = connect(app.url, { cookie });
		open.push(conn);
		await until(() => conn.state === 'live' && conn.socket.id !== undefined, 10_000, 'socket connected');
		const p: Peer = {
			conn,
			id: conn.socket.id!,
			joined: [],
			left: [],
			signals: [],
			started: [],
			ended: [],
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			ask: (event, payload) => (conn.socket.timeout(5000) as any).emitWithAck(event, payload),
			async follow(roomId) {
				const feed = conn.subscribe(topic.room(roomId), { snapshot: () => {}, event: () => {} });
				await until(() => feed.status === 'live', 10_000, `following room ${roomId}`);
			}
		};
		conn.socket.on('rtc:viewer_joined', (i) => p.joined.push(i));
		conn.socket.on('rtc:viewer_left', (i) => p.left.push(i));
		conn.socket.on('rtc:signalled', (s) => p.signals.push(s));
		conn.socket.on('rtc:broadcast_started', (i) => p.started.push(i));
		conn.socket.on('rtc:broadcast_ended', (i) => p.ended.push(i));
		return p;
	}

	const refusal = (reply: Reply) => {
		expect(reply.ok, JSON.stringify(reply)).toBe(false);
		return (reply as { ok: false; error: { code: string; reason: string; fields?: Record<string, string> } }).error;
	};

	let hostPeer: Peer;
	let viewerA: Peer;
	let viewerB: Peer;
	let viewerC: Peer;

	it('refuses a room that is not live, or not a camera room, to host and viewer alike', async () => {
		hostPeer = await peer(host.cookie);
		viewerA = await peer(seekers[0].cookie);
		await viewerA.follow(camRoom);
		await viewerA.follow(hlsRoom);

		const early = refusal(await hostPeer.ask('rtc:broadcast', { roomId: camRoom }));
		expect(early).toMatchObject({ code: 'conflict', reason: 'room_not_live', fields: { roomId: 'not_live' } });
		expect(refusal(await viewerA.ask('rtc:watch', { roomId: camRoom }))).toMatchObject({ reason: 'room_not_live' });
		expect(refusal(await hostPeer.ask('rtc:broadcast', { roomId: hlsRoom }))).toMatchObject({ code: 'conflict', reason: 'not_webrtc', fields: { roomId: 'not_webrtc' } });
		expect(refusal(await viewerA.ask('rtc:watch', { roomId: hlsRoom }))).toMatchObject({ reason: 'not_webrtc' });
		expect(refusal(await hostPeer.ask('rtc:broadcast', { roomId: 999_999 }))).toMatchObject({ code: 'not_found' });
	});

	it('lets only the host broadcast, and only followers of the room watch', async () => {
		await setRoomState(app.ctx, host.actor, { roomId: camRoom, state: 'live' });
		for (const outsider of [otherEmployer, seekers[1]]) {
			const p = await peer(outsider.cookie);
			expect(refusal(await p.ask('rtc:broadcast', { roomId: camRoom })).code).toBe('forbidden');
		}
		// Nobody broadcasting yet: a viewer is told so, and takes no place.
		expect(await viewerA.ask('rtc:watch', { roomId: camRoom })).toEqual({ ok: true, data: { roomId: camRoom, hostId: null } });

		const on = await hostPeer.ask('rtc:broadcast', { roomId: camRoom });
		expect(on).toEqual({ ok: true, data: { roomId: camRoom, maxViewers: 2 } });
		await until(() => viewerA.started.some((s) => s.roomId === camRoom && s.hostId === hostPeer.id), 5_000, 'broadcast_started');

		const stranger = await peer(seekers[1].cookie);
		expect(refusal(await stranger.ask('rtc:watch', { roomId: camRoom }))).toMatchObject({ code: 'forbidden', reason: 'subscribe_first' });
		expect(refusal(await hostPeer.ask('rtc:watch', { roomId: camRoom }))).toMatchObject({ code: 'forbidden' }); // the console follows room_host only

		expect(await viewerA.ask('rtc:watch', { roomId: camRoom })).toEqual({ ok: true, data: { roomId: camRoom, hostId: hostPeer.id } });
		await until(() => hostPeer.joined.some((j) => j.viewerId === viewerA.id), 5_000, 'viewer_joined at the host');
		expect(hostPeer.joined.at(-1)).toEqual({ roomId: camRoom, viewerId: viewerA.id });
	});

	it('relays offers, answers and candidates between host and viewer, with the sender filled in, outside the event log', async () => {
		const before = (await app.ctx.db.select({ n: count() }).from(events))[0].n;
		expect(await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'offer', sdp: SDP, from: 'forged-sender-id-xxxx' })).toEqual({ ok: true, data: { delivered: true } });
		await until(() => viewerA.signals.length === 1, 5_000, 'offer at the viewer');
		expect(viewerA.signals[0]).toEqual({ roomId: camRoom, from: hostPeer.id, kind: 'offer', sdp: SDP });

		expect((await viewerA.ask('rtc:signal', { roomId: camRoom, to: hostPeer.id, kind: 'answer', sdp: SDP })).ok).toBe(true);
		expect((await viewerA.ask('rtc:signal', { roomId: camRoom, to: hostPeer.id, kind: 'candidate', candidate: CANDIDATE })).ok).toBe(true);
		expect((await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'candidate', candidate: { candidate: '' } })).ok).toBe(true);
		await until(() => hostPeer.signals.length === 2 && viewerA.signals.length === 2, 5_000, 'answer and candidates');
		expect(hostPeer.signals.map((s) => s.kind)).toEqual(['answer', 'candidate']);
		expect(hostPeer.signals[1]).toEqual({ roomId: camRoom, from: viewerA.id, kind: 'candidate', candidate: CANDIDATE });
		expect(viewerA.signals[1]).toMatchObject({ from: hostPeer.id, kind: 'candidate', candidate: { candidate: '' } });

		await new Promise((r) => setTimeout(r, 300)); // the relay's poll would have picked up anything written
		expect((await app.ctx.db.select({ n: count() }).from(events))[0].n).toBe(before);
	});

	it('refuses a viewer offering as host, signals to sockets outside the stream, and signals from outside it', async () => {
		viewerB = await peer(seekers[1].cookie);
		await viewerB.follow(camRoom);
		expect((await viewerB.ask('rtc:watch', { roomId: camRoom })).ok).toBe(true);
		viewerC = await peer(seekers[2].cookie);
		await viewerC.follow(camRoom); // follows the room, does not watch

		expect(refusal(await viewerA.ask('rtc:signal', { roomId: camRoom, to: hostPeer.id, kind: 'offer', sdp: SDP }))).toMatchObject({ code: 'forbidden', reason: 'only_host_offers' });
		// Viewers talk to the host only, never to each other.
		expect(refusal(await viewerA.ask('rtc:signal', { roomId: camRoom, to: viewerB.id, kind: 'candidate', candidate: CANDIDATE }))).toMatchObject({ code: 'forbidden', fields: { to: 'not_in_stream' } });
		// The host reaches watchers only: not a mere follower, not an unknown socket, not a watcher of another room.
		expect(refusal(await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerC.id, kind: 'offer', sdp: SDP }))).toMatchObject({ fields: { to: 'not_in_stream' } });
		expect(refusal(await hostPeer.ask('rtc:signal', { roomId: camRoom, to: 'AAAAAAAAAAAAAAAAAAAA', kind: 'offer', sdp: SDP }))).toMatchObject({ fields: { to: 'not_in_stream' } });
		expect(refusal(await hostPeer.ask('rtc:signal', { roomId: hlsRoom, to: viewerA.id, kind: 'offer', sdp: SDP }))).toMatchObject({ code: 'forbidden', reason: 'not_in_stream' });
		expect(refusal(await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'answer', sdp: SDP }))).toMatchObject({ code: 'invalid', fields: { kind: 'host_sends_offers' } });
		// Not in the stream at all: a follower, an outsider.
		expect(refusal(await viewerC.ask('rtc:signal', { roomId: camRoom, to: hostPeer.id, kind: 'answer', sdp: SDP }))).toMatchObject({ code: 'forbidden', reason: 'not_in_stream' });
		const outsider = await peer(otherEmployer.cookie);
		expect(refusal(await outsider.ask('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'offer', sdp: SDP }))).toMatchObject({ reason: 'not_in_stream' });

		await new Promise((r) => setTimeout(r, 200));
		expect(viewerB.signals).toEqual([]);
		expect(viewerC.signals).toEqual([]);
		expect(viewerA.signals).toHaveLength(2);
	});

	it('names the field of a malformed signal and keeps serving', async () => {
		const cases: Array<[unknown, string, string]> = [
			[{ roomId: camRoom, to: viewerA.id, kind: 'offer' }, 'sdp', 'required'],
			[{ roomId: camRoom, to: viewerA.id, kind: 'offer', sdp: 'x'.repeat(16 * 1024 + 1) }, 'sdp', 'too_long'],
			[{ roomId: camRoom, to: viewerA.id, kind: 'candidate' }, 'candidate', 'required'],
			[{ roomId: camRoom, to: viewerA.id, kind: 'candidate', candidate: { candidate: 'c'.repeat(1025) } }, 'candidate.candidate', 'too_long'],
			[{ roomId: camRoom, to: viewerA.id, kind: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } }, 'candidate.sdpMLineIndex', 'range'],
			[{ roomId: camRoom, to: 'room:1', kind: 'offer', sdp: SDP }, 'to', 'socket_id_format'],
			[{ roomId: camRoom, to: 'jobs', kind: 'offer', sdp: SDP }, 'to', 'socket_id_format'],
			[{ roomId: camRoom, to: viewerA.id, kind: 'bye' }, 'kind', 'unknown_kind'],
			[{ roomId: 'abc', to: viewerA.id, kind: 'offer', sdp: SDP }, 'roomId', ''],
			[{ roomId: camRoom, to: viewerA.id, kind: 'offer', sdp: 42 }, 'sdp', ''],
			[null, '_', ''],
			['offer', '_', '']
		];
		for (const [payload, field, reason] of cases) {
			const error = refusal(await hostPeer.ask('rtc:signal', payload));
			expect(error.code, JSON.stringify(payload)?.slice(0, 80)).toBe('invalid');
			expect(error.fields, JSON.stringify(payload)?.slice(0, 80)).toHaveProperty([field]);
			if (reason) expect(error.fields![field]).toBe(reason);
		}
		for (const event of ['rtc:watch', 'rtc:broadcast', 'rtc:stop', 'rtc:unwatch'] as const) {
			expect(refusal(await viewerA.ask(event, { roomId: -1 })).fields).toHaveProperty(['roomId']);
		}
		// No acknowledgement function at all: nothing breaks, the next request is answered.
		const untyped = hostPeer.conn.socket as unknown as { emit(event: string, payload: unknown): void };
		untyped.emit('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'offer', sdp: SDP });
		expect((await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'candidate', candidate: CANDIDATE })).ok).toBe(true);
		await until(() => viewerA.signals.length === 4, 5_000, 'both signals delivered');
	});

	it('tells a viewer beyond the limit that the stream is full', async () => {
		expect(refusal(await viewerC.ask('rtc:watch', { roomId: camRoom }))).toMatchObject({ code: 'conflict', reason: 'stream_full', fields: { roomId: 'stream_full' } });
		// Asking again while watching keeps one's place (a retry after a failed connection).
		expect((await viewerA.ask('rtc:watch', { roomId: camRoom })).ok).toBe(true);
		await viewerB.ask('rtc:unwatch', { roomId: camRoom });
		await until(() => hostPeer.left.some((l) => l.viewerId === viewerB.id), 5_000, 'viewer_left on unwatch');
		expect((await viewerC.ask('rtc:watch', { roomId: camRoom })).ok).toBe(true);
	});

	it('tells the host when a viewer goes, and the viewers when the host stops, moves or comes back', async () => {
		viewerC.conn.close();
		await until(() => hostPeer.left.some((l) => l.viewerId === viewerC.id), 5_000, 'viewer_left on disconnect');

		expect((await hostPeer.ask('rtc:stop', { roomId: camRoom })).ok).toBe(true);
		await until(() => viewerA.ended.some((e) => e.reason === 'host_stopped'), 5_000, 'host_stopped');
		expect(refusal(await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerA.id, kind: 'offer', sdp: SDP })).reason).toBe('not_in_stream');
		// Stopping took everyone out of the stream: watching again starts from nothing.
		expect(await viewerA.ask('rtc:watch', { roomId: camRoom })).toEqual({ ok: true, data: { roomId: camRoom, hostId: null } });

		const started = viewerA.started.length;
		expect((await hostPeer.ask('rtc:broadcast', { roomId: camRoom })).ok).toBe(true);
		await until(() => viewerA.started.length === started + 1, 5_000, 'broadcast_started again');
		expect((await viewerA.ask('rtc:watch', { roomId: camRoom })).ok).toBe(true);

		// The host opens the console in a second window and turns the camera on there: it takes over.
		const second = await peer(host.cookie);
		expect((await second.ask('rtc:broadcast', { roomId: camRoom })).ok).toBe(true);
		await until(() => hostPeer.ended.some((e) => e.reason === 'host_moved'), 5_000, 'first window told');
		await until(() => viewerA.ended.filter((e) => e.reason === 'host_moved').length === 1, 5_000, 'viewer told');
		expect(refusal(await viewerA.ask('rtc:signal', { roomId: camRoom, to: hostPeer.id, kind: 'answer', sdp: SDP })).reason).toBe('not_in_stream');
		expect((await viewerA.ask('rtc:watch', { roomId: camRoom })).ok).toBe(true);
		await until(() => second.joined.some((j) => j.viewerId === viewerA.id), 5_000, 'the new window hears of the viewer');

		second.conn.close();
		await until(() => viewerA.ended.some((e) => e.reason === 'host_left'), 5_000, 'host_left');
	});

	it('ends the stream for everyone when the room ends', async () => {
		const viewerD = await peer(seekers[0].cookie);
		await viewerD.follow(camRoom);
		expect((await hostPeer.ask('rtc:broadcast', { roomId: camRoom })).ok).toBe(true);
		expect((await viewerD.ask('rtc:watch', { roomId: camRoom })).ok).toBe(true);
		await setRoomState(app.ctx, host.actor, { roomId: camRoom, state: 'ended' });
		await until(() => viewerD.ended.some((e) => e.reason === 'room_ended') && hostPeer.ended.some((e) => e.reason === 'room_ended'), 5_000, 'room_ended');
		expect(refusal(await hostPeer.ask('rtc:signal', { roomId: camRoom, to: viewerD.id, kind: 'offer', sdp: SDP })).reason).toBe('not_in_stream');
		expect(refusal(await hostPeer.ask('rtc:broadcast', { roomId: camRoom })).reason).toBe('room_not_live');
		expect(refusal(await viewerD.ask('rtc:watch', { roomId: camRoom })).reason).toBe('room_not_live');
	});

	it('limits how often one socket may ask for the stream, so it cannot keep the host rebuilding connections', async () => {
		const eager = await peer();
		await eager.follow(camRoom);
		for (let i = 0; i < 10; i++) expect(refusal(await eager.ask('rtc:watch', { roomId: camRoom })).reason).toBe('room_not_live');
		expect(refusal(await eager.ask('rtc:watch', { roomId: camRoom }))).toMatchObject({ code: 'rate_limited' });
		// Another socket is not held back by it.
		const calm = await peer();
		await calm.follow(camRoom);
		expect(refusal(await calm.ask('rtc:watch', { roomId: camRoom })).reason).toBe('room_not_live');
	});
});
