/**
 * Live recruiting rooms through the real services and a real socket server: who may schedule and run a
 * room, input checked before anything is written, scheduled → live → ended, pinning and the queue, chat
 * idempotent by client key with mutes and slow mode refused, applications from the room (idempotent, checked
 * against the room), the host topic's masked applicants and logged reveals, viewer counts — and no person's
 * name or phone in anything the public room topic ever carries.
 */
import { and, arrayContains, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeConnection } from '../../../src/lib/realtime/connection.svelte';
import type { LiveEvent } from '../../../src/lib/realtime/protocol';
import { topic } from '../../../src/lib/realtime/topics';
import { applications, chatMessages, events, liveRooms, seekers } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { takeSnapshot } from '../../../src/lib/server/realtime/snapshots';
import { apply } from '../../../src/lib/server/services/applications';
import {
	addToQueue,
	answerQuestion,
	applyInRoom,
	getRoomHost,
	hideMessage,
	muteViewer,
	pinPosition,
	postMessage,
	revealContact,
	roomSummary,
	scheduleRoom,
	setRoomState,
	setSlowMode
} from '../../../src/lib/server/services/rooms';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { type SignedIn, makeOrganisation, makeStation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

const key = () => `k${Math.random().toString(36).slice(2, 12)}`;
const later = () => new Date(Date.now() + 3_600_000).toISOString();

async function failure(p: Promise<unknown>) {
	const error = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ServiceError);
	return error as ServiceError;
}

describe(`live rooms on ${driverName}`, () => {
	let app: TestApp;
	let stationId: number;
	let employer: SignedIn;
	let otherEmployer: SignedIn;
	let staff: SignedIn;
	let otherStaff: SignedIn;
	let supervisor: SignedIn;
	let seekerA: SignedIn;
	let seekerB: SignedIn;
	let p1: number;
	let p2: number;
	let p3: number; // the employer's, not in the queue at first
	let foreign: number; // another employer's
	let roomId: number;
	const clients: RealtimeConnection[] = [];
	const personal: string[] = [];

	beforeAll(async () => {
		app = await startTestApp();
		const db = app.ctx.db;
		await seedRegions(db);
		stationId = (await makeStation(db)).id;
		const other = await makeStation(db);
		const org = await makeOrganisation(db, { kind: 'employer', name: '顺达物流' });
		const org2 = await makeOrganisation(db, { kind: 'employer', name: '别家公司' });
		employer = await signIn(db, 'employer', { organisationId: org.id });
		otherEmployer = await signIn(db, 'employer', { organisationId: org2.id });
		staff = await signIn(db, 'staff', { stationId });
		otherStaff = await signIn(db, 'staff', { stationId: other.id });
		supervisor = await signIn(db, 'supervisor', { regionCode: '4401' });
		seekerA = await signIn(db, 'seeker');
		seekerB = await signIn(db, 'seeker');
		for (const s of [seekerA, seekerB]) {
			const [row] = await db.select().from(seekers).where(eq(seekers.id, s.actor.kind === 'seeker' ? s.actor.seekerId : 0));
			personal.push(row.name!, row.phone!);
		}
		p1 = (await openPosition(app.ctx, employer.actor, { title: '分拣员' })).id;
		p2 = (await openPosition(app.ctx, employer.actor, { title: '叉车司机' })).id;
		p3 = (await openPosition(app.ctx, employer.actor, { title: '理货员' })).id;
		foreign = (await openPosition(app.ctx, otherEmployer.actor, { title: '别家岗位' })).id;
		const room = await scheduleRoom(app.ctx, employer.actor, { title: '仓储岗位直播', scheduledAt: later(), positionIds: [p1, p2] });
		roomId = room.id;
	});
	afterAll(async () => {
		for (const c of clients) c.close();
		await app?.close();
	});

	const eventCount = async () => (await app.ctx.db.select({ n: count() }).from(events))[0].n;

	it('schedules only for your own organisation or station, and refuses everyone else', async () => {
		const base = { title: '直播', scheduledAt: later() };
		expect((await failure(scheduleRoom(app.ctx, seekerA.actor, base))).code).toBe('forbidden');
		expect((await failure(scheduleRoom(app.ctx, supervisor.actor, base))).code).toBe('forbidden');
		expect((await failure(scheduleRoom(app.ctx, employer.actor, { ...base, stationId }))).code).toBe('forbidden');
		expect((await failure(scheduleRoom(app.ctx, otherStaff.actor, { ...base, stationId }))).code).toBe('forbidden');
		const byStaff = await scheduleRoom(app.ctx, staff.actor, base);
		expect(byStaff.stationId).toBe(stationId);
		// Running it: the station's staff and the host organisation's employers; nobody else.
		for (const outsider of [otherEmployer, otherStaff, seekerA, supervisor]) {
			expect((await failure(setRoomState(app.ctx, outsider.actor, { roomId, state: 'live' }))).code).toBe('forbidden');
			expect((await failure(pinPosition(app.ctx, outsider.actor, { roomId, positionId: p2 }))).code).toBe('forbidden');
			expect((await failure(getRoomHost(app.ctx, outsider.actor, roomId))).code).toBe('forbidden');
		}
		expect((await failure(roomSummary(app.ctx, otherEmployer.actor, roomId))).code).toBe('forbidden');
	});

	it('names the bad field and writes nothing: video URLs, positions of others', async () => {
		const before = await eventCount();
		const base = { title: '直播', scheduledAt: later() };
		const cases: Array<[Record<string, unknown>, string, string]> = [
			[{ videoKind: 'hls', videoUrl: 'http://cdn.example.com/live.m3u8' }, 'videoUrl', 'https_only'],
			[{ videoKind: 'hls', videoUrl: 'https://cdn.example.com/live.mp4' }, 'videoUrl', 'not_hls'],
			[{ videoKind: 'embed' }, 'videoUrl', 'required'],
			[{ videoKind: 'embed', videoUrl: 'javascript:alert(1)' }, 'videoUrl', 'https_only'],
			[{ videoKind: 'embed', videoUrl: 'not a url' }, 'videoUrl', 'url_format'],
			[{ videoKind: 'rtmp' }, 'videoKind', ''],
			[{ positionIds: [foreign] }, 'positionIds', 'not_open_position_of_host'],
			[{ title: '' }, 'title', 'required'],
			[{ scheduledAt: 'soon' }, 'scheduledAt', '']
		];
		for (const [over, field, reason] of cases) {
			const e = await failure(scheduleRoom(app.ctx, employer.actor, { ...base, ...over }));
			expect(e.code, JSON.stringify(over)).toBe('invalid');
			expect(e.fields, JSON.stringify(over)).toHaveProperty([field]);
			if (reason) expect(e.fields![field]).toBe(reason);
		}
		const ok = await scheduleRoom(app.ctx, employer.actor, { ...base, videoKind: 'hls', videoUrl: 'https://cdn.example.com/a/live.m3u8' });
		expect(ok.videoUrl).toBe('https://cdn.example.com/a/live.m3u8');
		// The host's own camera needs no URL, and keeps none that was sent along.
		const camera = await scheduleRoom(app.ctx, employer.actor, { ...base, videoKind: 'webrtc', videoUrl: 'http://left.over/x' });
		expect(camera).toMatchObject({ videoKind: 'webrtc', videoUrl: null });
		expect(await eventCount()).toBe(before + 2);
	});

	it('moves scheduled → live → ended only; going live pins the first of the queue and reaches the ticker topics', async () => {
		const c = connect(app.url, { cookie: supervisor.cookie });
		clients.push(c);
		const got: LiveEvent[] = [];
		const feed = c.subscribe(topic.region('4401'), { snapshot: () => {}, event: (e) => got.push(e) });
		await until(() => feed.status === 'live', 10_000, 'supervisor on the region');
		// Nobody may apply before it starts.
		expect((await failure(applyInRoom(app.ctx, seekerA.actor, { roomId, positionId: p1, clientKey: key() }))).reason).toBe('room_not_started');
		const live = await setRoomState(app.ctx, employer.actor, { roomId, state: 'live' });
		expect(live).toMatchObject({ state: 'live', pinnedPositionId: p1 });
		expect(live.startedAt).not.toBeNull();
		expect(await setRoomState(app.ctx, employer.actor, { roomId, state: 'live' })).toMatchObject({ state: 'live' }); // again: no change
		await until(() => got.some((e) => e.type === 'room.state_changed'), 5_000, 'room.state_changed');
		const ev = got.find((e) => e.type === 'room.state_changed')!;
		expect(ev.payload).toMatchObject({ roomId, state: 'live', title: '仓储岗位直播' });
		const e = await failure(setRoomState(app.ctx, employer.actor, { roomId, state: 'scheduled' }));
		expect(e.fields).toHaveProperty('state');
	});

	it('pins only positions of the queue; adds a position on the fly; a viewer socket sees both', async () => {
		const viewer = connect(app.url);
		clients.push(viewer);
		const got: LiveEvent[] = [];
		let snap: { room: { pinnedPositionId: number | null }; queue: { positionId: number }[] } | null = null;
		const feed = viewer.subscribe(topic.room(roomId), { snapshot: (s) => (snap = s as typeof snap), event: (e) => got.push(e) });
		await until(() => feed.status === 'live', 10_000, 'viewer on the room');
		expect(snap!.room.pinnedPositionId).toBe(p1);
		expect(snap!.queue.map((q) => q.positionId)).toEqual([p1, p2]);

		expect((await failure(pinPosition(app.ctx, employer.actor, { roomId, positionId: p3 }))).fields).toEqual({ positionId: 'not_in_queue' });
		expect((await failure(addToQueue(app.ctx, employer.actor, { roomId, positionId: foreign }))).fields).toEqual({ positionId: 'not_open_position_of_host' });
		const card = await addToQueue(app.ctx, staff.actor, { roomId, positionId: p3 }).catch((x) => x);
		expect(card).toBeInstanceOf(ServiceError); // this room has no station: its staff do not run it
		const added = await addToQueue(app.ctx, employer.actor, { roomId, positionId: p3 });
		expect(added).toMatchObject({ positionId: p3, title: '理货员', sortOrder: 2 });
		expect(await addToQueue(app.ctx, employer.actor, { roomId, positionId: p3 })).toMatchObject({ positionId: p3 });
		await pinPosition(app.ctx, employer.actor, { roomId, positionId: p2 });
		await until(() => got.some((e) => e.type === 'room.pinned'), 5_000, 'room.pinned');
		expect(got.filter((e) => e.type === 'room.queue_added')).toHaveLength(1);
		expect(got.find((e) => e.type === 'room.pinned')!.payload).toMatchObject({ roomId, positionId: p2, card: { title: '叉车司机', payMin: 5000 } });
	});

	it('chat: idempotent by client key, phones typed in are masked, anonymous refused', async () => {
		const k = key();
		const [a, b] = await Promise.all([
			postMessage(app.ctx, seekerA.actor, { roomId, body: '请问包住宿吗？', clientKey: k }),
			postMessage(app.ctx, seekerA.actor, { roomId, body: '请问包住宿吗？', clientKey: k })
		]);
		expect(a.id).toBe(b.id);
		const again = await postMessage(app.ctx, seekerA.actor, { roomId, body: '请问包住宿吗？', clientKey: k });
		expect(again.id).toBe(a.id);
		const rows = await app.ctx.db.select().from(chatMessages).where(and(eq(chatMessages.roomId, roomId), eq(chatMessages.clientKey, k)));
		expect(rows).toHaveLength(1);
		const posted = await app.ctx.db.select({ n: count() }).from(events).where(and(eq(events.type, 'room.message_posted'), arrayContains(events.topics, [topic.room(roomId)])));
		expect(posted[0].n).toBe(1);
		expect(a.label).not.toContain('seeker-');
		expect(a.label).toMatch(/\*/);

		const withPhone = await postMessage(app.ctx, seekerB.actor, { roomId, body: '我的电话 13812345678 请联系', clientKey: key() });
		expect(withPhone.body).toBe('我的电话 138****5678 请联系');
		expect((await failure(postMessage(app.ctx, { kind: 'anonymous' }, { roomId, body: 'hi', clientKey: key() }))).code).toBe('unauthenticated');
		expect((await failure(postMessage(app.ctx, seekerA.actor, { roomId, body: 'x'.repeat(501), clientKey: key() }))).fields).toHaveProperty('body');
		expect((await failure(postMessage(app.ctx, seekerA.actor, { roomId, body: '   ', clientKey: key() }))).fields).toHaveProperty('body');

		const q = await postMessage(app.ctx, seekerB.actor, { roomId, kind: 'question', body: '夜班有补贴吗', clientKey: key() });
		expect((await failure(answerQuestion(app.ctx, seekerB.actor, { roomId, messageId: q.id }))).code).toBe('forbidden');
		expect((await failure(answerQuestion(app.ctx, employer.actor, { roomId, messageId: a.id }))).fields).toEqual({ messageId: 'not_a_question' });
		await answerQuestion(app.ctx, employer.actor, { roomId, messageId: q.id });
		const host = await postMessage(app.ctx, employer.actor, { roomId, body: '有的，每晚 30 元', clientKey: key() });
		expect(host).toMatchObject({ host: true, label: '顺达物流' });
	});

	it('chat lines arriving together are written in groups: each line one row and one event, a double tap inside a group still one line', async () => {
		const keys = Array.from({ length: 12 }, key);
		const posts = await Promise.all([
			...keys.map((k, i) => postMessage(app.ctx, (i % 2 ? seekerA : seekerB).actor, { roomId, body: `一起 ${i}`, clientKey: k })),
			postMessage(app.ctx, seekerB.actor, { roomId, body: '一起 0', clientKey: keys[0] })
		]);
		expect(new Set(posts.map((p) => p.id)).size).toBe(12);
		expect(posts[12]).toEqual(posts[0]);
		expect(posts.map((p) => p.body)).toEqual([...keys.map((_, i) => `一起 ${i}`), '一起 0']);
		const rows = await app.ctx.db.select({ id: chatMessages.id }).from(chatMessages).where(inArray(chatMessages.clientKey, keys));
		expect(rows).toHaveLength(12);
		const announced = await app.ctx.db
			.select({ messageId: sql<number>`(${events.payload}->'message'->>'id')::int` })
			.from(events)
			.where(and(eq(events.type, 'room.message_posted'), inArray(sql`(${events.payload}->'message'->>'id')::int`, posts.map((p) => p.id))))
			.orderBy(events.id);
		expect(announced.map((e) => e.messageId).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
	});

	it('mute and slow mode refuse with a reason and the time to wait; hosts are not slowed; hidden messages leave the snapshot', async () => {
		const firstKey = key();
		const first = await postMessage(app.ctx, seekerB.actor, { roomId, body: '广告广告', clientKey: firstKey });
		expect((await failure(muteViewer(app.ctx, seekerA.actor, { roomId, messageId: first.id, minutes: 10 }))).code).toBe('forbidden');
		expect((await failure(muteViewer(app.ctx, employer.actor, { roomId, messageId: first.id, minutes: 0 }))).fields).toHaveProperty('minutes');
		await muteViewer(app.ctx, employer.actor, { roomId, messageId: first.id, minutes: 10 });
		// A resend of a line sent before the mute (its answer lost on the way) gets that line, not a refusal.
		expect((await postMessage(app.ctx, seekerB.actor, { roomId, body: '广告广告', clientKey: firstKey })).id).toBe(first.id);
		const muted = await failure(postMessage(app.ctx, seekerB.actor, { roomId, body: '再发一条', clientKey: key() }));
		expect(muted).toMatchObject({ code: 'conflict', reason: 'muted' });
		expect(new Date(muted.fields!.until).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
		await hideMessage(app.ctx, employer.actor, { roomId, messageId: first.id });
		const { snapshot } = await takeSnapshot(app.ctx, { kind: 'room', key: String(roomId) });
		expect((snapshot as { chat: { id: number }[] }).chat.some((m) => m.id === first.id)).toBe(false);

		await setSlowMode(app.ctx, employer.actor, { roomId, seconds: 30 });
		expect((await failure(setSlowMode(app.ctx, employer.actor, { roomId, seconds: 601 }))).fields).toHaveProperty('seconds');
		await postMessage(app.ctx, seekerA.actor, { roomId, body: '第一条', clientKey: key() }).catch(() => null); // may itself be inside the interval
		const slow = await failure(postMessage(app.ctx, seekerA.actor, { roomId, body: '第二条', clientKey: key() }));
		expect(slow).toMatchObject({ code: 'conflict', reason: 'slow_mode' });
		// A double tap inside slow mode is one message, not a refusal of the twin.
		await app.ctx.db.delete(chatMessages).where(eq(chatMessages.authorUserId, seekerA.userId));
		const k = key();
		const [x, y] = await Promise.all([
			postMessage(app.ctx, seekerA.actor, { roomId, body: '双击', clientKey: k }),
			postMessage(app.ctx, seekerA.actor, { roomId, body: '双击', clientKey: k })
		]);
		expect(x.id).toBe(y.id);
		await postMessage(app.ctx, employer.actor, { roomId, body: '主持人一', clientKey: key() });
		await postMessage(app.ctx, employer.actor, { roomId, body: '主持人二', clientKey: key() });
		await setSlowMode(app.ctx, employer.actor, { roomId, seconds: 0 });
	});

	it('applies from the room once per tap, checked against the room; the host sees it masked and reveals it on the record', async () => {
		const hostFeed = connect(app.url, { cookie: employer.cookie });
		clients.push(hostFeed);
		const hostEvents: LiveEvent[] = [];
		const sub = hostFeed.subscribe(topic.roomHost(roomId), { snapshot: () => {}, event: (e) => hostEvents.push(e) });
		await until(() => sub.status === 'live', 10_000, 'host topic');
		const denied = connect(app.url, { cookie: seekerA.cookie });
		clients.push(denied);
		const deniedSub = denied.subscribe(topic.roomHost(roomId), { snapshot: () => {}, event: () => {} });
		await until(() => deniedSub.status !== 'syncing', 5_000, 'an answer');
		expect(deniedSub.status).toBe('denied');

		const k = key();
		const [a1, a2] = await Promise.all([
			applyInRoom(app.ctx, seekerA.actor, { roomId, positionId: p2, clientKey: k }),
			applyInRoom(app.ctx, seekerA.actor, { roomId, positionId: p2, clientKey: k })
		]);
		expect(a1.applicationId).toBe(a2.applicationId);
		expect(a1.channel).toBe('live_room');
		const b = await applyInRoom(app.ctx, seekerB.actor, { roomId, positionId: p2, clientKey: key() });
		expect((await app.ctx.db.select().from(applications).where(eq(applications.source, topic.room(roomId))))).toHaveLength(2);

		expect((await failure(applyInRoom(app.ctx, seekerA.actor, { roomId, positionId: foreign, clientKey: key() }))).fields).toEqual({ positionId: 'not_in_room' });
		expect((await failure(apply(app.ctx, seekerA.actor, { positionId: p1, clientKey: key(), channel: 'live_room', source: 'room:999999' }))).fields).toEqual({ source: 'room_not_found' });
		expect((await failure(applyInRoom(app.ctx, employer.actor, { roomId, positionId: p1, clientKey: key() }))).code).toBe('forbidden');
		const seekerBId = seekerB.actor.kind === 'seeker' ? seekerB.actor.seekerId : 0;
		expect((await failure(apply(app.ctx, staff.actor, { positionId: p1, seekerId: seekerBId, clientKey: key(), source: topic.room(roomId) }))).code).toBe('forbidden');

		await until(() => hostEvents.filter((e) => e.type === 'room.applicant_added').length === 2, 5_000, 'two applicants');
		const applicant = hostEvents.find((e) => e.type === 'room.applicant_added')!.payload.applicant as { contact: string; label: string };
		expect(applicant.contact).toMatch(/^1[3-9][0-9]\*{4}[0-9]{4}$/);
		for (const value of personal) expect(JSON.stringify(hostEvents)).not.toContain(value);

		expect((await failure(revealContact(app.ctx, seekerA.actor, { roomId, applicationId: b.applicationId }))).code).toBe('forbidden');
		expect((await failure(revealContact(app.ctx, otherEmployer.actor, { roomId, applicationId: b.applicationId }))).code).toBe('forbidden');
		const revealed = await revealContact(app.ctx, employer.actor, { roomId, applicationId: b.applicationId });
		expect(personal).toContain(revealed.phone);
		await until(() => hostEvents.some((e) => e.type === 'room.contact_revealed'), 5_000, 'reveal logged');
		const log = hostEvents.find((e) => e.type === 'room.contact_revealed')!;
		expect(log.payload).toEqual({ roomId, applicationId: b.applicationId, byUserId: employer.userId });
	});

	it('counts viewers per process and records the peak', async () => {
		const viewers = [connect(app.url), connect(app.url), connect(app.url, { cookie: seekerA.cookie })];
		clients.push(...viewers);
		const seen: number[] = [];
		viewers[0].socket.on('room:viewers', (info) => info.roomId === roomId && seen.push(info.viewers));
		for (const v of viewers) v.subscribe(topic.room(roomId), { snapshot: () => {}, event: () => {} });
		await Promise.all(viewers.map((v) => until(() => v.socket.connected, 5_000).then(() => v.ready())));
		// The anonymous viewer of an earlier test is still here too.
		await until(() => seen.includes(4), 6_000, 'viewer count 4');
		const peak = async () => (await app.ctx.db.select({ peak: liveRooms.peakViewers }).from(liveRooms).where(eq(liveRooms.id, roomId)))[0].peak;
		for (let i = 0; i < 50 && (await peak()) < 4; i++) await new Promise((r) => setTimeout(r, 100));
		expect(await peak()).toBe(4);
	});

	it('the public room topic never carried a name or a phone; the summary adds up', async () => {
		const rows = await app.ctx.db.select().from(events).where(arrayContains(events.topics, [topic.room(roomId)]));
		expect(rows.length).toBeGreaterThan(8);
		const text = JSON.stringify(rows.map((r) => r.payload));
		for (const value of personal) expect(text).not.toContain(value);
		expect(text).not.toContain('13812345678');
		expect(text).not.toMatch(/seeker-[0-9a-f]{8}/); // display names of the test users
		const { snapshot } = await takeSnapshot(app.ctx, { kind: 'room', key: String(roomId) });
		const snap = JSON.stringify(snapshot);
		for (const value of personal) expect(snap).not.toContain(value);
		expect((snapshot as { applications: Record<number, number> }).applications[p2]).toBe(2);

		await setRoomState(app.ctx, employer.actor, { roomId, state: 'ended' });
		expect((await failure(setRoomState(app.ctx, employer.actor, { roomId, state: 'live' }))).reason).toBe('wrong_state');
		expect((await failure(pinPosition(app.ctx, employer.actor, { roomId, positionId: p1 }))).reason).toBe('room_ended');
		expect((await failure(postMessage(app.ctx, seekerA.actor, { roomId, body: '还在吗', clientKey: key() }))).reason).toBe('room_not_live');
		// Positions stay open for applying after the room.
		await applyInRoom(app.ctx, seekerB.actor, { roomId, positionId: p1, clientKey: key() });
		const summary = await roomSummary(app.ctx, supervisor.actor, roomId);
		expect(summary.positions.find((p) => p.positionId === p2)?.applications).toBe(2);
		expect(summary.applications).toBe(3);
		expect(summary.questions).toEqual({ asked: 1, answered: 1 });
		expect(summary.peakViewers).toBeGreaterThanOrEqual(3);
	});
});
