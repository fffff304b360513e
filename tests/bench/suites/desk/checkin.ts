/**
 * desk.checkin_to_event_p95_ms: the counter checks people in at 50 a second (quick: for 10 s; full: 60 s)
 * through the real socket command `visit:check_in`, from five desks (staff sockets of five stations,
 * signed in through /login), on the app as a real process on a fresh PostgreSQL database. A supervisor's
 * socket follows the five stations' topics, as the station page does. Each check-in is timed from the
 * moment its command is sent to the moment its `visit.checked_in` event arrives at the supervisor's socket
 * (one clock: this process's `performance.now()`). So the figure is the whole path — command over the
 * socket, the service's transaction, the relay, the emit — plus the loopback hop to the subscriber,
 * which a real screen has too (over a longer wire). The command's own acknowledgement is noted beside it.
 */
import postgres from 'postgres';
import type { Socket } from 'socket.io-client';
import { type Database, openDatabase } from '../../../../src/lib/server/db';
import { migrate } from '../../../../src/lib/server/db/migrate';
import { hashPassword } from '../../../../src/lib/server/services/auth';
import { type ChildServer, dropDatabase, freshDatabase, startApp } from '../../app-process';
import { type Figure, ms, percentile } from '../../figures';
import { seedOpsScope } from '../../ops-data';
import { pace } from '../../pace';
import { command, connectSocket, signIn, subscribe } from '../../session';
import type { DeskPartOptions } from './part';

const NAME = 'jc_bench_desk_checkin';
const RATE = 50;
const DESKS = 5;
const WARM_UP = 50;
/** Commands in flight at most: a desk answers in milliseconds; more in flight would mean a backlog. */
const MAX_IN_FLIGHT = 32;

interface Tap {
	clientKey: string;
	sentAt: number;
	ackAt?: number;
	visitId?: number;
}

export async function measureCheckin({ quick, fail, note }: DeskPartOptions): Promise<Figure[]> {
	const seconds = quick ? 10 : 60;
	const url = await freshDatabase(NAME);
	let database: Database | null = null;
	let sql: postgres.Sql | null = null;
	let app: ChildServer | null = null;
	const sockets: Socket[] = [];
	try {
		database = await openDatabase({ url, poolMax: 2 });
		await migrate(database);
		sql = postgres(url, { max: 2, onnotice: () => {} });
		const scope = await seedOpsScope(sql, 200);
		// Five busy counters: open, empty, with room for the whole run (capacity is not what is measured).
		const deskStations = scope.roomyOpenStationIds.slice(0, DESKS);
		await sql`update stations set capacity = 100000, occupancy = 0 where id in ${sql(deskStations)}`;
		const password = scope.admin.password;
		const hash = await hashPassword(password);
		const staff = deskStations.map((stationId, k) => ({ username: `bench-desk-${k + 1}`, stationId }));
		await sql`
			insert into users ${sql(
				staff.map((s) => ({ username: s.username, display_name: `前台（基准）${s.stationId}`, password_hash: hash, role: 'staff', station_id: s.stationId })),
				'username',
				'display_name',
				'password_hash',
				'role',
				'station_id'
			)}`;

		app = await startApp(url);
		const base = app.url;
		const desks = await Promise.all(staff.map(async (s) => ({ ...s, socket: await connectSocket(base, { session: await signIn(base, s.username, password) }) })));
		sockets.push(...desks.map((d) => d.socket));
		const watcher = await connectSocket(base, { session: await signIn(base, scope.supervisor.username, scope.supervisor.password) });
		sockets.push(watcher);
		for (const stationId of deskStations) await subscribe(watcher, `station:${stationId}`);

		// Arrivals by visit id; an event can arrive before its command's acknowledgement.
		const arrivals = new Map<number, number>();
		let duplicates = 0;
		watcher.on('event:published', (e: { type: string; payload: { visitId?: number } }) => {
			if (e.type !== 'visit.checked_in' || typeof e.payload.visitId !== 'number') return;
			if (arrivals.has(e.payload.visitId)) duplicates++;
			else arrivals.set(e.payload.visitId, performance.now());
		});

		let keys = 0;
		let refused = 0;
		// Beside every fifth check-in, a command the service refuses at validation (no database): the
		// socket round trip and the app's event loop alone, to read the check-in's own time against.
		const bare: number[] = [];
		const tap = async (k: number, taps: Tap[]) => {
			const desk = desks[k % desks.length];
			if (k % 5 === 0) {
				const sent = performance.now();
				void command(desk.socket, 'visit:check_in', { stationId: desk.stationId }).then((a) => {
					if (!a.ok && a.error.code === 'invalid') bare.push(performance.now() - sent);
				});
			}
			const t: Tap = { clientKey: `bench-desk-${(keys++).toString(36)}`, sentAt: performance.now() };
			taps.push(t);
			const answer = await command<{ visitId: number }>(desk.socket, 'visit:check_in', { stationId: desk.stationId, clientKey: t.clientKey, keyGroup: 'migrant_worker' });
			t.ackAt = performance.now();
			if (!answer.ok) {
				if (refused++ < 3) note(`check-in refused: ${answer.error.reason}`);
				throw new Error(answer.error.reason);
			}
			t.visitId = answer.data.visitId;
		};

		const warm: Tap[] = [];
		await pace({ rate: RATE, count: WARM_UP, maxInFlight: MAX_IN_FLIGHT, task: (k) => tap(k, warm) });
		const taps: Tap[] = [];
		bare.length = 0;
		const paced = await pace({ rate: RATE, count: RATE * seconds, maxInFlight: MAX_IN_FLIGHT, task: (k) => tap(k, taps) });
		const done = taps.filter((t): t is Tap & { visitId: number } => t.visitId !== undefined);
		const deadline = Date.now() + 10_000;
		while (done.some((t) => !arrivals.has(t.visitId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

		const latencies = done.filter((t) => arrivals.has(t.visitId)).map((t) => arrivals.get(t.visitId)! - t.sentAt);
		const acks = done.map((t) => t.ackAt! - t.sentAt);
		const missing = done.length - latencies.length;
		const windowSeconds = (paced.finishedAt - paced.startedAt) / 1000;
		note(
			`${done.length}/${taps.length} check-ins from ${DESKS} desks in ${windowSeconds.toFixed(1)} s (${(done.length / windowSeconds).toFixed(1)}/s, asked ${RATE}/s; ` +
				`most in flight ${paced.peakInFlight}, worst start lag ${ms(paced.maxStartLagMs)})`
		);
		note(
			`send → event at a subscribed socket (includes the loopback hop to the subscriber): p50 ${ms(percentile(latencies, 50))}, ` +
				`p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}; ` +
				`send → acknowledgement p50 ${ms(percentile(acks, 50))}, p95 ${ms(percentile(acks, 95))}; ` +
				`a command refused at validation (no database) p50 ${ms(percentile(bare, 50))}, p95 ${ms(percentile(bare, 95))}`
		);
		if (paced.errors.length) fail(`${paced.errors.length} of ${taps.length} check-ins failed`);
		if (missing) fail(`${missing} check-in events never reached the subscriber (waited 10 s)`);
		if (duplicates) fail(`${duplicates} check-in events arrived twice`);
		if (!latencies.length) return [];
		return [{ metric: 'desk.checkin_to_event_p95_ms', value: percentile(latencies, 95), unit: 'ms', n: latencies.length, goal: '<=20' }];
	} finally {
		for (const s of sockets) s.close();
		await app?.stop();
		await sql?.end({ timeout: 2 }).catch(() => {});
		await database?.close().catch(() => {});
		await dropDatabase(NAME).catch(() => {});
	}
}
