/**
 * Live recruiting rooms (DESIGN.md "live room"): scheduled by an employer for its organisation or by station
 * staff for their station; `scheduled → live → ended`; a queue of positions with one pinned; chat and
 * questions; moderation; applications through applications.ts (channel `live_room`, source `room:N`).
 *
 * Two topics: `room:N` is public (anyone watching, signed in or not) and so carries no person at all —
 * chat authors are masked labels, applications are ids and counts; `room_host:N` is the host console's,
 * with applicants' masked contact, mutes and the log of revealed contacts.
 */
import { and, asc, count, desc, eq, gt, inArray, isNull, max, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { regionTopics, topic } from '$lib/realtime/topics';
import { maskName, maskPhone } from '$lib/privacy';
import { type Actor, coversStation, regionCovers } from '../actor';
import type { AppContext } from '../context';
import type { Db, Executor } from '../db';
import { applications, chatMessages, liveRoomPositions, liveRooms, organisations, positions, regions, roomMutes, seekers, stations, users } from '../db/schema';
import { ServiceError, conflict, forbidden, invalid, isUniqueViolation, notFound } from '../errors';
import { type NewEvent, type Publish, write } from '../events/write';
import { CallGroup } from '../call-group';
import { onePer } from '../one-per';
import { clientKey, date, id, parse, requiredText, text } from '../validation';
import { apply } from './applications';
import { type RoomApplicant, roomApplicantOf } from './room-source';
import { loadStation } from './stations';

export type Room = typeof liveRooms.$inferSelect;
type ChatMessage = typeof chatMessages.$inferSelect;
type State = Room['state'];

// ── input ────────────────────────────────────────────────────────────────────────────────────────────
const MAX_QUEUE = 30;
/** `webrtc`: the host's camera from the console, relayed by our own signalling (no URL). */
const videoKinds = ['none', 'webrtc', 'hls', 'embed'] as const;
const hasUrl = (kind: (typeof videoKinds)[number]) => kind === 'hls' || kind === 'embed';

/** A stream URL people's browsers will load: https only, an HLS playlist for `hls`. */
function checkVideo(d: { videoKind: (typeof videoKinds)[number]; videoUrl?: string | null }, ctx: z.RefinementCtx) {
	if (!hasUrl(d.videoKind)) return;
	if (!d.videoUrl) return ctx.addIssue({ code: 'custom', path: ['videoUrl'], message: 'required' });
	let url: URL;
	try {
		url = new URL(d.videoUrl);
	} catch {
		return ctx.addIssue({ code: 'custom', path: ['videoUrl'], message: 'url_format' });
	}
	if (url.protocol !== 'https:') return ctx.addIssue({ code: 'custom', path: ['videoUrl'], message: 'https_only' });
	if (url.username || url.password) return ctx.addIssue({ code: 'custom', path: ['videoUrl'], message: 'url_format' });
	if (d.videoKind === 'hls' && !url.pathname.endsWith('.m3u8')) ctx.addIssue({ code: 'custom', path: ['videoUrl'], message: 'not_hls' });
}

const scheduleInput = z
	.object({
		title: requiredText(80),
		scheduledAt: date,
		/** Admin only: employers host for their organisation, staff for their station's lead organisation. */
		hostOrganisationId: id.nullish(),
		stationId: id.nullish(),
		positionIds: z.array(id).max(MAX_QUEUE, 'too_many').default([]),
		videoKind: z.enum(videoKinds).default('none'),
		videoUrl: text(500).nullish()
	})
	.superRefine(checkVideo);
const roomIdInput = z.object({ roomId: id });
const stateInput = z.object({ roomId: id, state: z.enum(['live', 'ended']) });
const positionInput = z.object({ roomId: id, positionId: id });
const postInput = z.object({
	roomId: id,
	kind: z.enum(['chat', 'question']).default('chat'),
	body: requiredText(500),
	clientKey
});
const messageInput = z.object({ roomId: id, messageId: id });
const muteInput = messageInput.extend({ minutes: z.number().int('integer').min(1, 'minutes_range').max(1440, 'minutes_range') });
const slowModeInput = z.object({ roomId: id, seconds: z.number().int('integer').min(0, 'seconds_range').max(600, 'seconds_range') });
const revealInput = z.object({ roomId: id, applicationId: id });
const roomApplyInput = z.object({ roomId: id, positionId: id, clientKey });

/** State may only move forward; a room called off goes straight to ended. */
const NEXT: Record<State, State[]> = { scheduled: ['live', 'ended'], live: ['ended'], ended: [] };

// ── scope ────────────────────────────────────────────────────────────────────────────────────────────
export async function loadRoom(db: Executor, roomId: number): Promise<Room> {
	const [row] = await db.select().from(liveRooms).where(eq(liveRooms.id, roomId)).limit(1);
	if (!row) throw notFound('room');
	return row;
}

/** The host organisation's employers and the room's station's staff (and admins) run a room. */
export function hostsRoom(actor: Actor, room: Pick<Room, 'hostOrganisationId' | 'stationId'>) {
	if (actor.kind === 'admin') return true;
	if (actor.kind === 'employer') return actor.organisationId === room.hostOrganisationId;
	if (actor.kind === 'staff') return room.stationId !== null && actor.stationId === room.stationId;
	return false;
}

async function runRoom(db: Executor, actor: Actor, roomId: number) {
	const room = await loadRoom(db, roomId);
	if (!hostsRoom(actor, room)) throw forbidden();
	return room;
}

/** Supervisors read the summary of rooms in their region: the station's, or the host organisation's. */
async function supervises(db: Executor, actor: Actor, room: Room) {
	if (actor.kind !== 'supervisor') return false;
	if (room.stationId !== null) return coversStation(actor, await loadStation(db, room.stationId));
	const [org] = await db.select({ regionCode: organisations.regionCode }).from(organisations).where(eq(organisations.id, room.hostOrganisationId));
	return Boolean(org?.regionCode && regionCovers(actor.regionCode, org.regionCode));
}

/** Who may follow `room_host:N`: the same people who run the room. */
export async function authorizeRoomHost(ctx: AppContext, actor: Actor, roomId: number) {
	await runRoom(ctx.db, actor, roomId);
}

/**
 * A camera stream (WebRTC) can be broadcast and watched only while its room is live, and only in a room
 * scheduled for it: checked when a host goes on air and every time a viewer asks for the stream.
 */
function requireStreamOpen(room: Room) {
	if (room.videoKind !== 'webrtc') throw conflict('not_webrtc', 'This room has no camera stream', { roomId: 'not_webrtc' });
	if (room.state !== 'live') throw conflict('room_not_live', 'This room is not live', { roomId: 'not_live' });
}

/** Who may send their camera to a room's viewers: the people who run it, while it is live. */
export async function authorizeRoomBroadcast(ctx: AppContext, actor: Actor, roomId: number) {
	requireStreamOpen(await runRoom(ctx.db, actor, roomId));
}

/** Anyone following a live camera room may ask for its stream (the room topic is public too). */
export async function authorizeRoomWatch(ctx: AppContext, roomId: number) {
	requireStreamOpen(await loadRoom(ctx.db, roomId));
}

function requireNotEnded(room: Room) {
	if (room.state === 'ended') throw conflict('room_ended', 'This room has ended', { roomId: 'ended' });
}

/** Topics a room's life is announced on: its own, and whoever lists it (station and regions, the host). */
async function roomTopics(db: Executor, room: Room) {
	const list = [topic.room(room.id), topic.org(room.hostOrganisationId)];
	if (room.stationId !== null) {
		const station = await loadStation(db, room.stationId);
		list.push(topic.station(station.id), ...regionTopics(station.regionCode));
	} else {
		const [org] = await db.select({ regionCode: organisations.regionCode }).from(organisations).where(eq(organisations.id, room.hostOrganisationId));
		if (org?.regionCode) list.push(...regionTopics(org.regionCode));
	}
	return list;
}

const roomPayload = (r: Room) => ({
	roomId: r.id,
	title: r.title,
	state: r.state,
	stationId: r.stationId,
	hostOrganisationId: r.hostOrganisationId,
	scheduledAt: r.scheduledAt.toISOString(),
	startedAt: r.startedAt?.toISOString() ?? null,
	endedAt: r.endedAt?.toISOString() ?? null
});

// ── position cards ───────────────────────────────────────────────────────────────────────────────────
/** A position as a room shows it: pay, place and time. Public facts only. */
export interface RoomCard {
	positionId: number;
	title: string;
	kind: string;
	state: string;
	payMin: number;
	payMax: number;
	payUnit: 'hour' | 'day' | 'month' | 'piece';
	headcount: number;
	filledCount: number;
	employer: string | null;
	placeZh: string;
	placeEn: string;
	address: string;
	startsAt: string | null;
	endsAt: string | null;
	sortOrder: number;
}

async function cardsOf(db: Executor, roomId: number, positionIds?: number[]): Promise<RoomCard[]> {
	const rows = await db
		.select({
			positionId: positions.id,
			title: positions.title,
			kind: positions.kind,
			state: positions.state,
			payMin: positions.payMin,
			payMax: positions.payMax,
			payUnit: positions.payUnit,
			headcount: positions.headcount,
			filledCount: positions.filledCount,
			employer: organisations.name,
			placeZh: regions.nameZh,
			placeEn: regions.nameEn,
			address: positions.address,
			startsAt: positions.startsAt,
			endsAt: positions.endsAt,
			sortOrder: liveRoomPositions.sortOrder
		})
		.from(liveRoomPositions)
		.innerJoin(positions, eq(positions.id, liveRoomPositions.positionId))
		.innerJoin(regions, eq(regions.code, positions.regionCode))
		.leftJoin(organisations, eq(organisations.id, positions.employerOrganisationId))
		.where(and(eq(liveRoomPositions.roomId, roomId), positionIds ? inArray(liveRoomPositions.positionId, positionIds) : undefined))
		.orderBy(asc(liveRoomPositions.sortOrder), asc(positions.id));
	return rows.map((r) => ({ ...r, startsAt: r.startsAt?.toISOString() ?? null, endsAt: r.endsAt?.toISOString() ?? null }));
}

/** Positions a room may present: open, and the host organisation's or the room's station's. */
function eligible(hostOrganisationId: number, stationId: number | null) {
	return and(
		eq(positions.state, 'open'),
		stationId === null ? eq(positions.employerOrganisationId, hostOrganisationId) : or(eq(positions.employerOrganisationId, hostOrganisationId), eq(positions.stationId, stationId))
	);
}

async function checkQueue(db: Executor, hostOrganisationId: number, stationId: number | null, positionIds: number[], field: string) {
	const wanted = [...new Set(positionIds)];
	if (!wanted.length) return wanted;
	const found = await db.select({ id: positions.id }).from(positions).where(and(inArray(positions.id, wanted), eligible(hostOrganisationId, stationId)));
	if (found.length !== wanted.length) throw invalid({ [field]: 'not_open_position_of_host' });
	return wanted;
}

/** Open positions the host could still add to the queue (the console's "add a position"). */
export async function addablePositions(db: Executor, room: Room) {
	const queued = db.select({ id: liveRoomPositions.positionId }).from(liveRoomPositions).where(eq(liveRoomPositions.roomId, room.id));
	return db
		.select({ positionId: positions.id, title: positions.title })
		.from(positions)
		.where(and(eligible(room.hostOrganisationId, room.stationId), notInArray(positions.id, queued)))
		.orderBy(desc(positions.publishedAt), desc(positions.id))
		.limit(100);
}

// ── schedule, state, queue ───────────────────────────────────────────────────────────────────────────
export async function scheduleRoom(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(scheduleInput, input);
	let hostOrganisationId: number;
	let stationId: number | null;
	if (actor.kind === 'employer') {
		if (data.hostOrganisationId && data.hostOrganisationId !== actor.organisationId) throw forbidden();
		if (data.stationId) throw forbidden('station_rooms_are_staff');
		hostOrganisationId = actor.organisationId;
		stationId = null;
	} else if (actor.kind === 'staff') {
		if (data.stationId && data.stationId !== actor.stationId) throw forbidden();
		const station = await loadStation(ctx.db, actor.stationId);
		if (data.hostOrganisationId && data.hostOrganisationId !== station.leadOrganisationId) throw forbidden();
		hostOrganisationId = station.leadOrganisationId;
		stationId = station.id;
	} else if (actor.kind === 'admin') {
		if (!data.hostOrganisationId) throw invalid({ hostOrganisationId: 'required' });
		const [org] = await ctx.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, data.hostOrganisationId));
		if (!org) throw invalid({ hostOrganisationId: 'unknown_organisation' });
		if (data.stationId) await loadStation(ctx.db, data.stationId);
		hostOrganisationId = org.id;
		stationId = data.stationId ?? null;
	} else {
		throw forbidden();
	}
	const queue = await checkQueue(ctx.db, hostOrganisationId, stationId, data.positionIds, 'positionIds');
	const shell = { id: 0, hostOrganisationId, stationId } as Room;
	const topics = await roomTopics(ctx.db, shell);
	return write(ctx, async (tx, publish) => {
		const [room] = await tx
			.insert(liveRooms)
			.values({
				title: data.title,
				hostOrganisationId,
				stationId,
				scheduledAt: data.scheduledAt,
				videoKind: data.videoKind,
				videoUrl: hasUrl(data.videoKind) ? data.videoUrl : null,
				createdByUserId: actor.userId
			})
			.returning();
		if (queue.length) await tx.insert(liveRoomPositions).values(queue.map((positionId, i) => ({ roomId: room.id, positionId, sortOrder: i })));
		publish({ type: 'room.created', topics: [topic.room(room.id), ...topics.slice(1)], payload: roomPayload(room) });
		return room;
	});
}

/**
 * Go live or end. Going live pins the first position of the queue when nothing is pinned yet, so viewers
 * arriving at once see a card. Announced to the station, regions and host: the /ops ticker shows it.
 */
export async function setRoomState(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(stateInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	if (room.state === data.state) return room;
	if (!NEXT[room.state].includes(data.state)) throw conflict('wrong_state', `Cannot move from ${room.state} to ${data.state}`, { state: 'not_allowed' });
	const topics = await roomTopics(ctx.db, room);
	const now = ctx.now();
	return write(ctx, async (tx, publish) => {
		let pin = room.pinnedPositionId;
		if (data.state === 'live' && pin === null) {
			const [first] = await tx
				.select({ positionId: liveRoomPositions.positionId })
				.from(liveRoomPositions)
				.where(eq(liveRoomPositions.roomId, room.id))
				.orderBy(asc(liveRoomPositions.sortOrder))
				.limit(1);
			pin = first?.positionId ?? null;
		}
		const [row] = await tx
			.update(liveRooms)
			.set(data.state === 'live' ? { state: 'live', startedAt: now, pinnedPositionId: pin } : { state: 'ended', endedAt: now })
			.where(and(eq(liveRooms.id, room.id), eq(liveRooms.state, room.state)))
			.returning();
		if (!row) throw conflict('changed_meanwhile', 'Someone changed this room meanwhile; reload');
		publish({ type: 'room.state_changed', topics, payload: roomPayload(row) });
		if (pin !== room.pinnedPositionId && pin !== null) publish(await pinnedEvent(tx, row.id, pin));
		return row;
	});
}

async function pinnedEvent(tx: Executor, roomId: number, positionId: number): Promise<NewEvent> {
	const [card] = await cardsOf(tx, roomId, [positionId]);
	return { type: 'room.pinned', topics: [topic.room(roomId)], payload: { roomId, positionId, card: card ?? null } };
}

/** Pin a position of the queue: every viewer's pinned card changes at once. */
export async function pinPosition(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(positionInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	requireNotEnded(room);
	if (room.pinnedPositionId === data.positionId) return { roomId: room.id, positionId: data.positionId };
	const [queued] = await ctx.db
		.select({ positionId: liveRoomPositions.positionId })
		.from(liveRoomPositions)
		.where(and(eq(liveRoomPositions.roomId, room.id), eq(liveRoomPositions.positionId, data.positionId)));
	if (!queued) throw invalid({ positionId: 'not_in_queue' });
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(liveRooms)
			.set({ pinnedPositionId: data.positionId })
			.where(and(eq(liveRooms.id, room.id), inArray(liveRooms.state, ['scheduled', 'live'])))
			.returning({ id: liveRooms.id });
		if (!row) throw conflict('room_ended', 'This room has ended', { roomId: 'ended' });
		publish(await pinnedEvent(tx, room.id, data.positionId));
		return { roomId: room.id, positionId: data.positionId };
	});
}

/** Add a position to the queue on the fly (at the end). Adding one already there changes nothing. */
export async function addToQueue(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(positionInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	requireNotEnded(room);
	await checkQueue(ctx.db, room.hostOrganisationId, room.stationId, [data.positionId], 'positionId');
	const card = await write(ctx, async (tx, publish) => {
		const [last] = await tx.select({ n: max(liveRoomPositions.sortOrder) }).from(liveRoomPositions).where(eq(liveRoomPositions.roomId, room.id));
		const [row] = await tx
			.insert(liveRoomPositions)
			.values({ roomId: room.id, positionId: data.positionId, sortOrder: (last?.n ?? -1) + 1 })
			.onConflictDoNothing()
			.returning();
		if (!row) return null;
		const [added] = await cardsOf(tx, room.id, [data.positionId]);
		publish({ type: 'room.queue_added', topics: [topic.room(room.id)], payload: { roomId: room.id, card: added } });
		return added;
	});
	return card ?? (await cardsOf(ctx.db, room.id, [data.positionId]))[0];
}

// ── chat and questions ───────────────────────────────────────────────────────────────────────────────
export interface RoomMessage {
	id: number;
	kind: 'chat' | 'question';
	/** Masked: 张** for a viewer, the organisation's name for the host. */
	label: string;
	host: boolean;
	body: string;
	at: string;
	answered: boolean;
}

const messageOf = (m: ChatMessage, host: boolean): RoomMessage => ({
	id: m.id,
	kind: m.kind,
	label: m.authorLabel,
	host,
	body: m.body,
	at: m.createdAt.toISOString(),
	answered: m.answeredAt !== null
});

/** Chat is public: a mobile number typed into it is masked before anybody sees it. */
const PHONE_IN_TEXT = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;
export const scrubBody = (body: string) => body.replace(PHONE_IN_TEXT, (p) => maskPhone(p));

/**
 * What a post needs to know before it writes, in one round trip of a query built once per database (chat
 * comes at hundreds of lines a second, and every trip to the database costs the app a system call): the
 * room; whether this client key was used already; the poster's display name, the host organisation's name,
 * and a mute in force.
 */
const postingContextQuery = onePer((db: Db) => {
	const p = sql.placeholder;
	// Subqueries as builders (as in queries/station.ts): a column written straight into this select list
	// loses its table name, and a bare "id" inside `from chat_messages` is the message's id, not the room's.
	return db
		.select({
			room: liveRooms,
			previousId: sql<number | null>`(${db
				.select({ id: chatMessages.id })
				.from(chatMessages)
				.where(and(eq(chatMessages.roomId, liveRooms.id), eq(chatMessages.authorUserId, p('userId')), eq(chatMessages.clientKey, p('key'))))})`.mapWith(Number),
			displayName: sql<string | null>`(${db.select({ name: users.displayName }).from(users).where(eq(users.id, p('userId')))})`,
			hostName: sql<string | null>`(${db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, liveRooms.hostOrganisationId))})`,
			mutedUntil: sql<Date | null>`(${db
				.select({ until: max(roomMutes.until) })
				.from(roomMutes)
				.where(and(eq(roomMutes.roomId, liveRooms.id), eq(roomMutes.userId, p('userId')), gt(roomMutes.until, sql`${p('now')}::timestamptz`)))})`.mapWith(roomMutes.until)
		})
		.from(liveRooms)
		.where(eq(liveRooms.id, p('roomId')))
		.limit(1)
		.prepare('posting_context');
});

async function postingContext(db: Db, roomId: number, userId: number, key: string, now: Date) {
	const [row] = await postingContextQuery(db).execute({ roomId, userId, key, now: now.toISOString() });
	if (!row) throw notFound('room');
	return row;
}

type NewMessage = typeof chatMessages.$inferInsert & { roomId: number; authorUserId: number; clientKey: string; createdAt: Date };

/**
 * A chat line or a question, by any signed-in person while the room is live. Idempotent by client key (the
 * unique index decides; the second request gets the first one's message). Muted viewers and viewers inside
 * the slow-mode interval are refused with a reason the page shows and the moment they may write again.
 * Lines go into the database in groups (call-group.ts), except where slow mode holds a viewer to
 * one line at a time.
 */
export async function postMessage(ctx: AppContext, actor: Actor, input: unknown): Promise<RoomMessage> {
	const data = parse(postInput, input);
	if (actor.kind === 'anonymous' || actor.kind === 'display') throw new ServiceError('unauthenticated', 'sign_in_to_chat', 'Sign in to chat');
	const now = ctx.now();
	const { room, previousId, displayName, hostName, mutedUntil } = await postingContext(ctx.db, data.roomId, actor.userId, data.clientKey, now);
	if (previousId !== null) {
		const previous = await findMessageByKey(ctx.db, room.id, actor.userId, data.clientKey);
		if (previous) return messageOf(previous, hostsRoom(actor, room));
	}
	if (room.state !== 'live') throw conflict('room_not_live', 'Chat is open while the room is live', { roomId: 'not_live' });
	// A host's label is a public name (the host organisation); anybody else's a masked display name.
	const speaksForHost = hostsRoom(actor, room) && actor.kind !== 'admin';
	const label = speaksForHost ? (hostName ?? '—') : maskName(displayName) || '—';
	const host = speaksForHost || actor.kind === 'admin';
	if (!host && mutedUntil) throw conflict('muted', 'You are muted in this room', { until: mutedUntil.toISOString() });
	const item: NewPost = {
		values: { roomId: room.id, authorUserId: actor.userId, authorLabel: label, kind: data.kind, body: scrubBody(data.body), clientKey: data.clientKey, createdAt: now },
		host
	};
	try {
		const row = !host && room.slowModeSeconds > 0 ? await postSlowly(ctx, item, room.slowModeSeconds) : await postGroupOf(ctx).submit(item);
		if (row) return messageOf(row, host);
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
	}
	const winner = await findMessageByKey(ctx.db, room.id, actor.userId, data.clientKey);
	if (!winner) throw conflict('changed_meanwhile', 'Try again');
	return messageOf(winner, host);
}

interface NewPost {
	values: NewMessage;
	/** Whether the line speaks for the host (its label is the host organisation's name). */
	host: boolean;
}

/**
 * New chat lines in one transaction, each with its event: one outcome per item, in order — the row, or null
 * when a concurrent request with its key won (also an earlier item of the same call: a double tap).
 */
async function insertMessages(tx: Executor, publish: Publish, items: NewPost[]) {
	const rows = await tx
		.insert(chatMessages)
		.values(items.map((i) => i.values))
		.onConflictDoNothing()
		.returning();
	const keyOf = (m: NewMessage) => `${m.roomId}:${m.authorUserId}:${m.clientKey}`;
	const byKey = new Map(rows.map((r) => [keyOf(r), r]));
	return items.map((item) => {
		const key = keyOf(item.values);
		const row = byKey.get(key) ?? null;
		byKey.delete(key);
		if (row) publish({ type: 'room.message_posted', topics: [topic.room(row.roomId)], payload: { roomId: row.roomId, message: messageOf(row, item.host) } });
		return row;
	});
}

const insertMessage = async (tx: Executor, publish: Publish, item: NewPost) => (await insertMessages(tx, publish, [item]))[0];

const postGroupOf = onePer(
	(ctx: AppContext) =>
		new CallGroup<NewPost, ChatMessage | null>(
			(items) => write(ctx, (tx, publish) => insertMessages(tx, publish, items)),
			(item) => write(ctx, (tx, publish) => insertMessage(tx, publish, item))
		)
);

/** Slow mode: one viewer's lines one at a time, each at least `seconds` after their last. */
function postSlowly(ctx: AppContext, item: NewPost, seconds: number) {
	const { roomId, authorUserId, clientKey, createdAt } = item.values;
	return write(ctx, async (tx, publish) => {
		// One viewer's messages one at a time, so two tabs cannot both slip through the interval.
		await tx.execute(sql`select pg_advisory_xact_lock(${roomId}, ${authorUserId})`);
		// A double tap waited on that lock behind its twin: it gets the twin's message, not a refusal.
		const twin = await findMessageByKey(tx, roomId, authorUserId, clientKey);
		if (twin) return twin;
		const [last] = await tx
			.select({ at: max(chatMessages.createdAt) })
			.from(chatMessages)
			.where(and(eq(chatMessages.roomId, roomId), eq(chatMessages.authorUserId, authorUserId)));
		const next = last?.at ? new Date(new Date(last.at).getTime() + seconds * 1000) : null;
		if (next && next > createdAt) throw conflict('slow_mode', 'Slow mode: wait before the next message', { until: next.toISOString() });
		return insertMessage(tx, publish, item);
	});
}

async function findMessageByKey(db: Executor, roomId: number, userId: number, key: string) {
	const [row] = await db
		.select()
		.from(chatMessages)
		.where(and(eq(chatMessages.roomId, roomId), eq(chatMessages.authorUserId, userId), eq(chatMessages.clientKey, key)))
		.limit(1);
	return row ?? null;
}

async function loadMessage(db: Executor, roomId: number, messageId: number) {
	const [row] = await db.select().from(chatMessages).where(and(eq(chatMessages.id, messageId), eq(chatMessages.roomId, roomId))).limit(1);
	if (!row) throw notFound('message');
	return row;
}

/** Hide a message: it disappears for everyone (the row stays, for the record). */
export async function hideMessage(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(messageInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	const message = await loadMessage(ctx.db, room.id, data.messageId);
	if (message.hiddenAt) return { roomId: room.id, messageId: message.id };
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(chatMessages)
			.set({ hiddenAt: ctx.now() })
			.where(and(eq(chatMessages.id, message.id), isNull(chatMessages.hiddenAt)))
			.returning({ id: chatMessages.id });
		if (row) publish({ type: 'room.message_hidden', topics: [topic.room(room.id)], payload: { roomId: room.id, messageId: message.id } });
		return { roomId: room.id, messageId: message.id };
	});
}

/** Mark a question answered (the host said so on air). */
export async function answerQuestion(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(messageInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	const message = await loadMessage(ctx.db, room.id, data.messageId);
	if (message.kind !== 'question') throw invalid({ messageId: 'not_a_question' });
	if (message.answeredAt) return { roomId: room.id, messageId: message.id };
	return write(ctx, async (tx, publish) => {
		const [row] = await tx
			.update(chatMessages)
			.set({ answeredAt: ctx.now() })
			.where(and(eq(chatMessages.id, message.id), isNull(chatMessages.answeredAt)))
			.returning({ id: chatMessages.id });
		if (row) publish({ type: 'room.question_answered', topics: [topic.room(room.id)], payload: { roomId: room.id, messageId: message.id } });
		return { roomId: room.id, messageId: message.id };
	});
}

/**
 * Mute the author of a message for N minutes (the host picks people by their messages; user ids never
 * leave the server). Announced on the host topic only: viewers learn of it when they next write.
 */
export async function muteViewer(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(muteInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	const message = await loadMessage(ctx.db, room.id, data.messageId);
	const [author] = await ctx.db.select({ role: users.role, organisationId: users.organisationId, stationId: users.stationId }).from(users).where(eq(users.id, message.authorUserId));
	if (author && (author.role === 'admin' || (author.role === 'employer' && author.organisationId === room.hostOrganisationId) || (author.role === 'staff' && author.stationId === room.stationId))) {
		throw invalid({ messageId: 'cannot_mute_host' });
	}
	const until = new Date(ctx.now().getTime() + data.minutes * 60_000);
	return write(ctx, async (tx, publish) => {
		await tx
			.insert(roomMutes)
			.values({ roomId: room.id, userId: message.authorUserId, until })
			.onConflictDoUpdate({ target: [roomMutes.roomId, roomMutes.userId], set: { until } });
		publish({ type: 'room.viewer_muted', topics: [topic.roomHost(room.id)], payload: { roomId: room.id, messageId: message.id, label: message.authorLabel, until: until.toISOString() } });
		return { roomId: room.id, messageId: message.id, until: until.toISOString() };
	});
}

/** Slow mode: the least seconds between two messages of one viewer; 0 turns it off. */
export async function setSlowMode(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(slowModeInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	if (room.slowModeSeconds === data.seconds) return { roomId: room.id, seconds: data.seconds };
	return write(ctx, async (tx, publish) => {
		await tx.update(liveRooms).set({ slowModeSeconds: data.seconds }).where(eq(liveRooms.id, room.id));
		publish({ type: 'room.slow_mode_changed', topics: [topic.room(room.id)], payload: { roomId: room.id, seconds: data.seconds } });
		return { roomId: room.id, seconds: data.seconds };
	});
}

// ── applications ─────────────────────────────────────────────────────────────────────────────────────
/** One tap on the pinned card: the seeker's own application, channel `live_room`, source `room:N`. */
export async function applyInRoom(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(roomApplyInput, input);
	if (actor.kind !== 'seeker') throw actor.kind === 'anonymous' ? new ServiceError('unauthenticated', 'sign_in_to_apply', 'Sign in to apply') : forbidden('seekers_only');
	return apply(ctx, actor, { positionId: data.positionId, clientKey: data.clientKey, channel: 'live_room', source: topic.room(data.roomId) });
}

/**
 * An applicant's real name and phone, for a host who may see them: the employer of the position or the
 * staff of the room's (or the position's) station. Every reveal is an event on the host topic — who, which
 * application, when — and never the contact itself.
 */
export async function revealContact(ctx: AppContext, actor: Actor, input: unknown) {
	const data = parse(revealInput, input);
	const room = await runRoom(ctx.db, actor, data.roomId);
	const [row] = await ctx.db
		.select({ source: applications.source, employer: positions.employerOrganisationId, stationId: positions.stationId, name: seekers.name, phone: seekers.phone })
		.from(applications)
		.innerJoin(positions, eq(positions.id, applications.positionId))
		.innerJoin(seekers, eq(seekers.id, applications.seekerId))
		.where(eq(applications.id, data.applicationId));
	if (!row || row.source !== topic.room(room.id)) throw notFound('application');
	const allowed =
		actor.kind === 'admin' ||
		(actor.kind === 'employer' && row.employer === actor.organisationId) ||
		(actor.kind === 'staff' && (actor.stationId === room.stationId || actor.stationId === row.stationId));
	if (!allowed) throw forbidden('not_your_applicant');
	await write(ctx, async (_tx, publish) => {
		publish({
			type: 'room.contact_revealed',
			topics: [topic.roomHost(room.id)],
			payload: { roomId: room.id, applicationId: data.applicationId, byUserId: actor.kind === 'admin' || actor.kind === 'employer' || actor.kind === 'staff' ? actor.userId : null }
		});
	});
	return { applicationId: data.applicationId, name: row.name ?? '', phone: row.phone ?? '' };
}

// ── viewers ──────────────────────────────────────────────────────────────────────────────────────────
/**
 * Presence samples from one process (the realtime presence ticker): peak and viewer-seconds of live rooms.
 * `total` is the room's viewers over every process (the peak is of the total, whichever process writes it);
 * `here` is this process's own viewers, so the viewer-seconds of all processes add up to the total.
 */
export async function recordViewerSamples(ctx: AppContext, samples: { roomId: number; total: number; here: number; seconds: number }[]) {
	for (const s of samples) {
		await ctx.db
			.update(liveRooms)
			.set({ peakViewers: sql`greatest(${liveRooms.peakViewers}, ${s.total})`, viewerSeconds: sql`${liveRooms.viewerSeconds} + ${Math.round(s.here * s.seconds)}` })
			.where(and(eq(liveRooms.id, s.roomId), eq(liveRooms.state, 'live')));
	}
}

// ── reads: topic snapshots and pages ─────────────────────────────────────────────────────────────────
export const CHAT_LIMIT = 100;

export interface PublicRoom {
	id: number;
	title: string;
	state: State;
	host: string;
	stationId: number | null;
	station: string | null;
	scheduledAt: string;
	startedAt: string | null;
	endedAt: string | null;
	videoKind: Room['videoKind'];
	videoUrl: string | null;
	slowModeSeconds: number;
	pinnedPositionId: number | null;
}

export interface RoomLive {
	room: PublicRoom;
	queue: RoomCard[];
	chat: RoomMessage[];
	/** Applications made in this room, per position id. */
	applications: Record<number, number>;
}

/** Everything a viewer sees, in one read: the `room:N` snapshot and the viewer page's first paint. */
export async function roomLive(db: Executor, roomId: number): Promise<RoomLive> {
	const [room] = await db
		.select({
			id: liveRooms.id,
			title: liveRooms.title,
			state: liveRooms.state,
			host: organisations.name,
			hostOrganisationId: liveRooms.hostOrganisationId,
			stationId: liveRooms.stationId,
			station: stations.name,
			scheduledAt: liveRooms.scheduledAt,
			startedAt: liveRooms.startedAt,
			endedAt: liveRooms.endedAt,
			videoKind: liveRooms.videoKind,
			videoUrl: liveRooms.videoUrl,
			slowModeSeconds: liveRooms.slowModeSeconds,
			pinnedPositionId: liveRooms.pinnedPositionId
		})
		.from(liveRooms)
		.innerJoin(organisations, eq(organisations.id, liveRooms.hostOrganisationId))
		.leftJoin(stations, eq(stations.id, liveRooms.stationId))
		.where(eq(liveRooms.id, roomId));
	if (!room) throw notFound('room');
	const queue = await cardsOf(db, roomId);
	const chat = await visibleChat(db, room, CHAT_LIMIT);
	const counts = await db
		.select({ positionId: applications.positionId, n: count() })
		.from(applications)
		.where(eq(applications.source, topic.room(roomId)))
		.groupBy(applications.positionId);
	const { hostOrganisationId: _h, ...rest } = room;
	return {
		room: {
			...rest,
			scheduledAt: room.scheduledAt.toISOString(),
			startedAt: room.startedAt?.toISOString() ?? null,
			endedAt: room.endedAt?.toISOString() ?? null
		},
		queue,
		chat,
		applications: Object.fromEntries(counts.map((c) => [c.positionId, c.n]))
	};
}

/** The latest visible messages, oldest first. A host's messages are marked by their author's role. */
async function visibleChat(db: Executor, room: { id: number; hostOrganisationId: number; stationId: number | null }, limit: number): Promise<RoomMessage[]> {
	const rows = await db
		.select({ message: chatMessages, role: users.role, organisationId: users.organisationId, stationId: users.stationId })
		.from(chatMessages)
		.innerJoin(users, eq(users.id, chatMessages.authorUserId))
		.where(and(eq(chatMessages.roomId, room.id), isNull(chatMessages.hiddenAt)))
		.orderBy(desc(chatMessages.id))
		.limit(limit);
	return rows
		.reverse()
		.map((r) =>
			messageOf(r.message, r.role === 'admin' || (r.role === 'employer' && r.organisationId === room.hostOrganisationId) || (r.role === 'staff' && r.stationId !== null && r.stationId === room.stationId))
		);
}

export const APPLICANT_LIMIT = 500;

export interface RoomHostLive {
	applicants: RoomApplicant[];
	mutes: { label: string; until: string }[];
}

/** The `room_host:N` snapshot: applicants with masked contact (newest first) and the mutes in force. */
export async function roomHostLive(db: Executor, roomId: number, now: Date): Promise<RoomHostLive> {
	const rows = await db
		.select({ applicationId: applications.id, positionId: applications.positionId, status: applications.status, createdAt: applications.createdAt, name: seekers.name, phone: seekers.phone })
		.from(applications)
		.innerJoin(seekers, eq(seekers.id, applications.seekerId))
		.where(eq(applications.source, topic.room(roomId)))
		.orderBy(desc(applications.id))
		.limit(APPLICANT_LIMIT);
	const mutes = await db
		.select({ until: roomMutes.until, userId: roomMutes.userId, displayName: users.displayName })
		.from(roomMutes)
		.innerJoin(users, eq(users.id, roomMutes.userId))
		.where(and(eq(roomMutes.roomId, roomId), gt(roomMutes.until, now)));
	return {
		applicants: rows.map(roomApplicantOf),
		mutes: mutes.map((m) => ({ label: maskName(m.displayName) || '—', until: m.until.toISOString() }))
	};
}

export type RoomRole = 'host' | 'supervisor' | 'viewer';

/** The viewer page: the room for anyone, plus who is looking (to show apply, chat, or the console link). */
export async function getRoom(ctx: AppContext, actor: Actor, input: unknown) {
	const { roomId } = parse(roomIdInput, typeof input === 'object' && input !== null ? input : { roomId: input });
	const room = await loadRoom(ctx.db, roomId);
	const live = await roomLive(ctx.db, room.id);
	const role: RoomRole = hostsRoom(actor, room) ? 'host' : (await supervises(ctx.db, actor, room)) ? 'supervisor' : 'viewer';
	const applied =
		actor.kind === 'seeker' && live.queue.length
			? await ctx.db
					.select({ positionId: applications.positionId, status: applications.status })
					.from(applications)
					.where(and(eq(applications.seekerId, actor.seekerId), inArray(applications.positionId, live.queue.map((c) => c.positionId))))
			: [];
	return { ...live, role, applied: Object.fromEntries(applied.map((a) => [a.positionId, a.status])) as Record<number, string> };
}

/** The host console: the viewer's view, the applicants, and the positions that can still be added. */
export async function getRoomHost(ctx: AppContext, actor: Actor, input: unknown) {
	const { roomId } = parse(roomIdInput, typeof input === 'object' && input !== null ? input : { roomId: input });
	const room = await runRoom(ctx.db, actor, roomId);
	const [live, host, addable] = [await roomLive(ctx.db, room.id), await roomHostLive(ctx.db, room.id, ctx.now()), await addablePositions(ctx.db, room)];
	return { ...live, ...host, addable };
}

/** After the room: viewers, applications per position, questions; the chat read-only. Hosts and supervisors. */
export async function roomSummary(ctx: AppContext, actor: Actor, input: unknown) {
	const { roomId } = parse(roomIdInput, typeof input === 'object' && input !== null ? input : { roomId: input });
	const room = await loadRoom(ctx.db, roomId);
	if (!hostsRoom(actor, room) && !(await supervises(ctx.db, actor, room))) throw forbidden();
	const live = await roomLive(ctx.db, room.id);
	const end = room.endedAt ?? (room.state === 'live' ? ctx.now() : null);
	const liveSeconds = room.startedAt && end ? Math.max(0, (end.getTime() - room.startedAt.getTime()) / 1000) : 0;
	const [questions] = await ctx.db
		.select({ asked: count(), answered: sql<number>`count(${chatMessages.answeredAt})::int` })
		.from(chatMessages)
		.where(and(eq(chatMessages.roomId, room.id), eq(chatMessages.kind, 'question')));
	const [messages] = await ctx.db.select({ n: count() }).from(chatMessages).where(eq(chatMessages.roomId, room.id));
	const chat = await visibleChat(ctx.db, room, 1000);
	return {
		room: live.room,
		peakViewers: room.peakViewers,
		averageViewers: liveSeconds > 0 ? Math.round((room.viewerSeconds / liveSeconds) * 10) / 10 : 0,
		liveMinutes: Math.round(liveSeconds / 60),
		positions: live.queue.map((c) => ({ positionId: c.positionId, title: c.title, applications: live.applications[c.positionId] ?? 0 })),
		applications: Object.values(live.applications).reduce((a, b) => a + b, 0),
		questions: { asked: questions?.asked ?? 0, answered: questions?.answered ?? 0 },
		messages: messages?.n ?? 0,
		chat
	};
}

/** Positions the scheduling form offers: open, of the host organisation (employer) or station (staff). */
export async function schedulablePositions(ctx: AppContext, actor: Actor) {
	let where;
	if (actor.kind === 'employer') where = eligible(actor.organisationId, null);
	else if (actor.kind === 'staff') {
		const station = await loadStation(ctx.db, actor.stationId);
		where = eligible(station.leadOrganisationId, station.id);
	} else if (actor.kind === 'admin') where = eq(positions.state, 'open');
	else throw forbidden();
	return ctx.db
		.select({ positionId: positions.id, title: positions.title })
		.from(positions)
		.where(where)
		.orderBy(desc(positions.publishedAt), desc(positions.id))
		.limit(100);
}
