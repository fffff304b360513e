/**
 * DESIGN.md rule 3: clients resume by cursor. A client that was away gets exactly what it missed;
 * one whose cursor is older than the log can replay gets a snapshot equal to the database.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { StationLiveStore } from '../../../src/lib/realtime/stores/stations.svelte';
import { topic } from '../../../src/lib/realtime/topics';
import { events, stations } from '../../../src/lib/server/db/schema';
import { write } from '../../../src/lib/server/events/write';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { makeStation, seedRegions, signIn } from '../../helpers/fixtures';

/** Move a station's occupancy the way the visit service does, with its event. */
async function setOccupancy(app: TestApp, stationId: number, occupancy: number) {
	await write(app.ctx, async (tx, publish) => {
		await tx.update(stations).set({ occupancy }).where(eq(stations.id, stationId));
		publish({ type: 'visit.checked_in', topics: [topic.station(stationId), 'region:44'], payload: { stationId, occupancy } });
	});
}

describe(`resume by cursor on ${driverName}`, () => {
	let app: TestApp;
	let stationId: number;
	let cookie: string;
	beforeAll(async () => {
		app = await startTestApp({ replayWindow: 500 });
		await seedRegions(app.ctx.db);
		stationId = (await makeStation(app.ctx.db, { capacity: 1000 })).id;
		cookie = (await signIn(app.ctx.db, 'staff', { stationId })).cookie;
	});
	afterAll(async () => {
		await app?.close();
	});

	it('replays exactly the 100 events missed while disconnected', async () => {
		const client = connect(app.url, { cookie });
		const seen: LiveEvent[] = [];
		const store = new StationLiveStore(client, stationId);
		const original = store.event.bind(store);
		store.event = (e) => {
			seen.push(e);
			original(e);
		};
		await until(() => store.feed.status === 'live', 10_000, 'synced');
		expect(store.feed.stats.snapshots).toBe(1);
		await setOccupancy(app, stationId, 1);
		await until(() => seen.length === 1, 5000, 'first event');

		client.socket.disconnect(); // as if the network dropped; the feed keeps its cursor
		const cursorBefore = store.feed.cursor!;
		for (let i = 2; i <= 101; i++) await setOccupancy(app, stationId, i);
		// Unrelated traffic in between must not be replayed to this topic.
		await write(app.ctx, async (_tx, publish) => publish({ type: 'test.noise', topics: [topic.jobs], payload: {} }));
		await app.relay.flush();

		client.socket.connect();
		await until(() => seen.length === 101, 10_000, '100 replayed events');
		await new Promise((r) => setTimeout(r, 200));
		expect(seen.length).toBe(101);
		const replayed = seen.slice(1);
		expect(replayed.every((e) => e.id > cursorBefore)).toBe(true);
		expect(new Set(replayed.map((e) => e.id)).size).toBe(100);
		expect(replayed.map((e) => e.payload.occupancy)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
		expect(store.feed.stats.replays).toBe(1);
		expect(store.station?.occupancy).toBe(101);
		client.close();
	});

	it('sends a snapshot equal to the database when the cursor is older than the log keeps', async () => {
		const client = connect(app.url, { cookie });
		const store = new StationLiveStore(client, stationId);
		await until(() => store.feed.status === 'live', 10_000, 'synced');
		client.socket.disconnect();
		const stale = store.feed.cursor!;
		for (let i = 0; i < 20; i++) await setOccupancy(app, stationId, 500 + i);
		// The log forgets everything up to now (retention), so the cursor cannot be replayed from.
		await app.ctx.db.delete(events);
		await setOccupancy(app, stationId, 777);
		await app.relay.flush();
		client.socket.connect();
		await until(() => store.feed.stats.snapshots === 2, 10_000, 'second snapshot');
		const [row] = await app.ctx.db.select().from(stations).where(eq(stations.id, stationId));
		expect(store.feed.cursor).toBeGreaterThan(stale);
		expect(store.station).toEqual({ id: stationId, state: row.state, occupancy: row.occupancy, capacity: row.capacity });
		expect(store.station?.occupancy).toBe(777);
		client.close();
	});

	it('drops duplicates and keeps live events that arrive during a sync', async () => {
		const client = connect(app.url, { cookie });
		const seen: number[] = [];
		const feed = client.subscribe(topic.station(stationId), { snapshot: () => {}, event: (e) => seen.push(e.id) });
		await until(() => feed.status === 'live');
		const base = feed.cursor!;
		const e = (id: number, prev: number | null): LiveEvent => ({
			id,
			type: 't',
			topics: [topic.station(stationId)],
			payload: {},
			at: '',
			prev: { [topic.station(stationId)]: prev }
		});
		feed.receive(e(base + 1, base));
		feed.receive(e(base + 1, base)); // duplicate
		feed.receive(e(base, null)); // old
		expect(seen).toEqual([base + 1]);
		expect(feed.stats.duplicates).toBe(2);
		client.close();
	});
});
