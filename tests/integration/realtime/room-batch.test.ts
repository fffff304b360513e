/**
 * A busy live room through the real services and a real socket server: a burst of chat lines and
 * applications reaches every viewer in far fewer messages than events, each line once and in order, the
 * counts right, a pin at once; an applicant's own topic still gets the whole application event. And the
 * broadcaster on a bare socket.io server: a message to more sockets than a slice reaches every one of
 * them, once, in order, with other work running between the slices; an event on several feed topics
 * reaches a socket in more than one of them once.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectRaw, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationIds } from '../../../src/lib/realtime/batch';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { LiveEvent, RoomBatch } from '../../../src/lib/realtime/protocol';
import { RoomLiveStore } from '../../../src/lib/realtime/stores/room.svelte';
import { topic } from '../../../src/lib/realtime/topics';
import { Broadcaster, UNHURRIED_GAP_MS } from '../../../src/lib/server/realtime/broadcast';
import type { AppIo, AppSocket } from '../../../src/lib/server/realtime/server';
import { applyInRoom, getRoom, pinPosition, postMessage, scheduleRoom, setRoomState } from '../../../src/lib/server/services/rooms';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

const key = () => `k${Math.random().toString(36).slice(2, 12)}`;

describe(`a busy live room on ${driverName}`, () => {
	let app: TestApp;
	let employer: SignedIn;
	let seekers: SignedIn[];
	let p1: number;
	let p2: number;
	let roomId: number;
	const clients: RealtimeConnection[] = [];
	const raw: Socket[] = [];

	beforeAll(async () => {
		app = await startTestApp();
		await seedRegions(app.ctx.db);
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer', name: '顺达物流' });
		employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		seekers = await Promise.all(Array.from({ length: 6 }, () => signIn(app.ctx.db, 'seeker')));
		p1 = (await openPosition(app.ctx, employer.actor, { title: '分拣员' })).id;
		p2 = (await openPosition(app.ctx, employer.actor, { title: '叉车司机' })).id;
		roomId = (await scheduleRoom(app.ctx, employer.actor, { title: '直播', scheduledAt: new Date().toISOString(), positionIds: [p1, p2] })).id;
		await setRoomState(app.ctx, employer.actor, { roomId, state: 'live' });
	});
	afterAll(async () => {
		for (const c of clients) c.close();
		for (const s of raw) s.close();
		await app?.close();
	});

	it('batches a burst for every viewer: each line once and in order, counts right, the pin at once', async () => {
		const initial = await getRoom(app.ctx, { kind: 'anonymous' }, roomId);
		const viewers = Array.from({ length: 4 }, () => {
			const connection = connect(app.url);
			clients.push(connection);
			return new RoomLiveStore(connection, initial);
		});
		// One more viewer as a bare socket, to count the messages themselves.
		const socket = connectRaw(app.url, { transports: ['websocket'], forceNew: true, reconnection: false });
		raw.push(socket);
		const batches: RoomBatch[] = [];
		const singles: LiveEvent[] = [];
		socket.on('event:batch', (b: RoomBatch) => batches.push(b));
		socket.on('event:published', (e: LiveEvent) => singles.push(e));
		await until(() => socket.connected, 5_000, 'raw viewer');
		expect((await socket.emitWithAck('topic:subscribe', { topic: topic.room(roomId) })).ok).toBe(true);
		await until(() => viewers.every((v) => v.feed!.status === 'live'), 10_000, 'viewers live');

		const lines = Array.from({ length: 24 }, (_, i) => `第 ${i} 条`);
		await Promise.all([
			...lines.map((body, i) => postMessage(app.ctx, seekers[i % seekers.length].actor, { roomId, body, clientKey: key() })),
			...seekers.map((s, i) => applyInRoom(app.ctx, s.actor, { roomId, positionId: i % 2 ? p2 : p1, clientKey: key() }))
		]);
		await pinPosition(app.ctx, employer.actor, { roomId, positionId: p2 });

		for (const v of viewers) {
			await until(() => v.room.pinnedPositionId === p2 && v.chat.length === lines.length, 10_000, 'every line and the pin');
			expect(v.countFor(p1)).toBe(3);
			expect(v.countFor(p2)).toBe(3);
			expect(new Set(v.chat.map((m) => m.id)).size).toBe(lines.length);
			expect(v.feed!.stats.gaps).toBe(0);
		}
		// In commit order: what the log holds, as the feeds applied it.
		const ids = batches.flatMap((b) => [...b.events.map((e) => e.id), ...b.messages.map(([id]) => id), ...b.applications.flatMap(([, ...ids]) => applicationIds(ids))]).sort((a, b) => a - b);
		expect(ids).toHaveLength(lines.length + seekers.length + 1);
		expect(new Set(ids).size).toBe(ids.length);
		expect(batches.length).toBeLessThan(ids.length / 2);
		for (const b of batches) for (const list of [b.events.map((e) => e.id), b.messages.map(([id]) => id)]) expect(list).toEqual([...list].sort((x, y) => x - y));
		expect(singles).toEqual([]);
		expect(JSON.stringify(batches)).not.toContain('applicationId');
	});

	it('an applicant following their own topic gets the whole application event at once', async () => {
		const seeker = await signIn(app.ctx.db, 'seeker');
		const seekerId = (seeker.actor as { seekerId: number }).seekerId;
		const connection = connect(app.url, { cookie: seeker.cookie });
		clients.push(connection);
		const own: LiveEvent[] = [];
		const inRoom: LiveEvent[] = [];
		const mine = connection.subscribe(topic.seeker(seekerId), { snapshot: () => {}, event: (e) => own.push(e) });
		const room = connection.subscribe(topic.room(roomId), { snapshot: () => {}, event: (e) => inRoom.push(e) });
		await until(() => mine.status === 'live' && room.status === 'live', 10_000, 'both feeds');
		const answer = await applyInRoom(app.ctx, seeker.actor, { roomId, positionId: p1, clientKey: key() });
		await until(() => own.length === 1 && inRoom.length === 1, 5_000, 'the application on both feeds');
		expect(own[0]).toMatchObject({ type: 'application.created', payload: { applicationId: answer.applicationId, positionId: p1, source: topic.room(roomId) } });
		expect(own[0].topics).not.toContain(topic.room(roomId));
		expect(inRoom[0]).toMatchObject({ type: 'application.created', payload: { roomId, positionId: p1 } });
	});
});

/** A bare socket.io server on a free loopback port, placing each socket in its topics as it connects. */
async function bareServer(onConnection: (socket: AppSocket) => void) {
	const http = createServer();
	const io = new Server(http, { serveClient: false }) as unknown as AppIo;
	io.on('connection', onConnection);
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

describe('Broadcaster', () => {
	it('reaches every socket of a room larger than a slice, once and in order, yielding between slices', async () => {
		const { io, url } = await bareServer((s) => void s.join('room:1'));
		const sockets: Socket[] = [];
		const got: number[][] = [];
		try {
			for (let i = 0; i < 11; i++) {
				const s = connectRaw(url, { transports: ['websocket'], forceNew: true, reconnection: false });
				const mine: number[] = [];
				got.push(mine);
				s.on('room:viewers', (info: { viewers: number }) => mine.push(info.viewers));
				sockets.push(s);
			}
			await until(() => io.of('/').adapter.rooms.get('room:1')?.size === 11, 5_000, 'eleven in the room');
			let pauses = 0;
			const broadcaster = new Broadcaster(io, { room: 3, feeds: 3 }, () => new Promise<void>((resolve) => setImmediate(() => (pauses++, resolve()))));
			for (let n = 1; n <= 5; n++) broadcaster.emit('room:1', 'room:viewers', { roomId: 1, viewers: n });
			await broadcaster.drained();
			await until(() => got.every((g) => g.length === 5), 5_000, 'five messages everywhere');
			for (const g of got) expect(g).toEqual([1, 2, 3, 4, 5]);
			// 11 sockets in slices of 3: four slices, three pauses, for each of the five messages.
			expect(pauses).toBe(15);

			// Unhurried, alone: its slices spaced out. Followed by another message: hurried along, in order.
			const gaps: number[] = [];
			const unhurried = new Broadcaster(io, { room: 3, feeds: 3 }, () => new Promise<void>((resolve) => setImmediate(() => (pauses++, resolve()))), (ms) => {
				gaps.push(ms);
				return new Promise<void>((resolve) => setTimeout(resolve, ms));
			});
			pauses = 0;
			unhurried.emitUnhurried('room:1', 'room:viewers', { roomId: 1, viewers: 6 });
			await unhurried.drained();
			expect(gaps).toEqual([UNHURRIED_GAP_MS, UNHURRIED_GAP_MS, UNHURRIED_GAP_MS]);
			expect(pauses).toBe(0);
			// The first slice goes at once and the first gap starts before the next message is handed in; the
			// two gaps after it are turns of the event loop, and so are the next message's three.
			unhurried.emitUnhurried('room:1', 'room:viewers', { roomId: 1, viewers: 7 });
			unhurried.emit('room:1', 'room:viewers', { roomId: 1, viewers: 8 });
			await unhurried.drained();
			expect(gaps).toHaveLength(4);
			expect(pauses).toBe(5);
			await until(() => got.every((g) => g.length === 8), 5_000, 'eight messages everywhere');
			for (const g of got) expect(g).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		} finally {
			for (const s of sockets) s.close();
			await new Promise<void>((resolve) => io.close(() => resolve()));
		}
	});

	it('sends an event on several feed topics to each socket once, in publication order, in slices', async () => {
		// Half the sockets follow the station and the board feed, the rest only the board feed.
		const { io, url } = await bareServer((s) => void s.join(s.handshake.auth.station ? ['jobs', 'station:1'] : ['jobs']));
		const sockets: Socket[] = [];
		const got: number[][] = [];
		try {
			for (let i = 0; i < 10; i++) {
				const s = connectRaw(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { station: i % 2 === 0 } });
				const mine: number[] = [];
				got.push(mine);
				s.on('event:published', (event: LiveEvent) => mine.push(event.id));
				sockets.push(s);
			}
			await until(() => io.of('/').adapter.rooms.get('jobs')?.size === 10, 5_000, 'ten on the board feed');
			let pauses = 0;
			const broadcaster = new Broadcaster(io, { room: 3, feeds: 3 }, () => new Promise<void>((resolve) => setImmediate(() => (pauses++, resolve()))));
			const event = (id: number, topics: string[]): LiveEvent => ({ id, type: 'position.approved', topics, prev: {}, payload: {}, at: new Date().toISOString() });
			broadcaster.emitToFeeds(['jobs', 'station:1'], 'event:published', event(1, ['jobs', 'station:1']));
			broadcaster.emitToFeeds(['station:1'], 'event:published', event(2, ['station:1']));
			broadcaster.emitToFeeds(['jobs'], 'event:published', event(3, ['jobs']));
			await broadcaster.drained();
			await until(() => got.every((g, i) => g.length === (i % 2 ? 2 : 3)), 5_000, 'every event everywhere');
			for (const [i, g] of got.entries()) expect(g).toEqual(i % 2 ? [1, 3] : [1, 2, 3]);
			// Ten sockets in slices of 3 (four slices, three pauses) twice; the station's five in two slices.
			expect(pauses).toBe(7);
		} finally {
			for (const s of sockets) s.close();
			await new Promise<void>((resolve) => io.close(() => resolve()));
		}
	});
});
