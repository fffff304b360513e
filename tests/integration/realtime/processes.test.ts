/**
 * Two app "processes" on one database and one Redis (two relays, two socket.io servers with their own
 * Redis adapters, in this test process): a room's viewers spread over both see the total, its peak is the
 * total's; signing a user out on one process ends their sockets on the other; and when Redis goes away
 * both keep serving, events still arrive through the log, each shows what it can see, and the totals come
 * back with Redis. No unhandled rejection along the way (vitest would fail the run).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { liveRooms } from '../../../src/lib/server/db/schema';
import { type Broker, openBroker } from '../../../src/lib/server/realtime/broker';
import { postMessage, scheduleRoom, setRoomState } from '../../../src/lib/server/services/rooms';
import { type TestApp, startTestApp, testLog } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';
import { RedisGate, redisPrefix, redisReachable } from '../../helpers/redis';

const TICK_MS = 250;
const reachable = await redisReachable();

/** A viewer of the room: the last count it was told, and the events it got. */
interface Viewer {
	on: TestApp;
	connection: RealtimeConnection;
	count: number | null;
	snapshotViewers: number | null;
	events: LiveEvent[];
}

// Needs a real Redis: skipped on a developer machine without one, never in CI (there it fails loudly instead).
describe.runIf(reachable || process.env.CI)(`several processes through Redis on ${driverName}`, () => {
	let db: TestDatabase;
	const gate = new RedisGate();
	let brokerA: Broker;
	let brokerB: Broker;
	let a: TestApp;
	let b: TestApp;
	let seeker: SignedIn;
	let roomId: number;
	const viewers: Viewer[] = [];

	const watch = (app: TestApp, cookie?: string): Viewer => {
		const connection = connect(app.url, { cookie });
		const viewer: Viewer = { on: app, connection, count: null, snapshotViewers: null, events: [] };
		connection.socket.on('room:viewers', (info) => {
			if (info.roomId === roomId) viewer.count = info.viewers;
		});
		connection.subscribe(topic.room(roomId), {
			snapshot: (snapshot) => (viewer.snapshotViewers = (snapshot as { viewers: number }).viewers),
			event: (event) => viewer.events.push(event)
		});
		viewers.push(viewer);
		return viewer;
	};
	const counts = (list: Viewer[]) => list.map((v) => v.count);
	/** Connected and synced (ready() alone resolves at once before the socket connects). */
	const joined = async (v: Viewer) => {
		await until(() => v.connection.socket.connected, 5_000, 'connected');
		await v.connection.ready();
	};

	beforeAll(async () => {
		db = await createTestDatabase();
		await gate.open();
		const prefix = redisPrefix('processes');
		brokerA = openBroker(gate.url, { prefix, log: testLog });
		brokerB = openBroker(gate.url, { prefix, log: testLog });
		a = await startTestApp({ db, broker: brokerA, presenceEveryMs: TICK_MS });
		b = await startTestApp({ db, broker: brokerB, presenceEveryMs: TICK_MS });
		const d = a.ctx.db;
		await seedRegions(d);
		const org = await makeOrganisation(d, { kind: 'employer' });
		const employer = await signIn(d, 'employer', { organisationId: org.id });
		seeker = await signIn(d, 'seeker');
		const room = await scheduleRoom(a.ctx, employer.actor, { title: '跨进程直播', scheduledAt: new Date(Date.now() + 60_000).toISOString() });
		roomId = room.id;
		await setRoomState(a.ctx, employer.actor, { roomId, state: 'live' });
		await until(() => brokerA.state === 'up' && brokerB.state === 'up', 10_000, 'both brokers up');
	});

	afterAll(async () => {
		for (const v of viewers) v.connection.close();
		await a?.close();
		await b?.close();
		brokerA?.close();
		brokerB?.close();
		await gate.close();
		await db?.drop();
	});

	it('every viewer sees the total over both processes, and the peak is of the total', async () => {
		const onA = [watch(a), watch(a)];
		const onB = [watch(b)];
		await Promise.all([...onA, ...onB].map(joined));
		await until(() => [...onA, ...onB].every((v) => v.count === 3), 5_000, `all three see 3 (saw ${counts([...onA, ...onB])})`);

		// A late joiner's first figure is the total too (3, or 4 if a tick counted them before the snapshot),
		// never its own process's one or two.
		const late = watch(b);
		await joined(late);
		expect(late.snapshotViewers).toBeGreaterThanOrEqual(3);
		await until(() => viewers.every((v) => v.count === 4), 5_000, 'all four see 4');

		// Each process raises the peak to the total it sees (4), never to its own share (2).
		const room = async () => (await a.ctx.db.select().from(liveRooms).where(eq(liveRooms.id, roomId)))[0];
		for (let i = 0; i < 40 && (await room()).peakViewers < 4; i++) await new Promise((r) => setTimeout(r, 100));
		const { peakViewers, viewerSeconds } = await room();
		expect(peakViewers).toBe(4);
		expect(viewerSeconds).toBeGreaterThan(0);
	});

	it('signing a user out on one process ends their socket on the other', async () => {
		const own = watch(a, seeker.cookie);
		await joined(own);
		let ended = false;
		own.connection.socket.on('session:ended', () => (ended = true));
		b.realtime.endUser(seeker.userId, 'signed_out');
		await until(() => ended && own.connection.state === 'ended', 5_000, 'the socket on A ended by B');
		await until(() => viewers.filter((v) => v.connection.state !== 'ended').every((v) => v.count === 4), 5_000, 'back to 4 viewers');
	});

	it('without Redis both keep serving and events still flow; the totals come back with it', async () => {
		const live = viewers.filter((v) => v.connection.state !== 'ended');
		const onA = live.filter((v) => v.on === a);
		const onB = live.filter((v) => v.on === b);
		expect([onA.length, onB.length]).toEqual([2, 2]);
		const droppedBefore = brokerA.dropped;

		await gate.close();
		await until(() => brokerA.state === 'down' && brokerB.state === 'down', 10_000, 'both brokers down');
		// Each process now counts what it can see (the other one's share went stale).
		await until(() => live.every((v) => v.count === 2), 5_000, `each side sees its own 2 (saw ${counts(live)})`);
		// A new viewer still connects and gets its snapshot; an event written through B reaches A's sockets via the log.
		const newcomer = watch(a);
		await joined(newcomer);
		const message = await postMessage(b.ctx, seeker.actor, { roomId, body: 'Redis 不在也能收到', clientKey: `k-${Date.now()}` });
		await until(
			() => [...onA, newcomer].every((v) => v.events.some((e) => e.type === 'room.message_posted' && (e.payload.message as { id: number }).id === message.id)),
			5_000,
			'the message on A'
		);
		expect(brokerA.dropped).toBeGreaterThan(droppedBefore);

		await gate.open();
		await until(() => brokerA.state === 'up' && brokerB.state === 'up', 15_000, 'both brokers up again');
		await until(() => [...live, newcomer].every((v) => v.count === 5), 5_000, `all see 5 again (saw ${counts([...live, newcomer])})`);
	});
});
