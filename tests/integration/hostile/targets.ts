/**
 * Concrete things the access matrix and the fuzz aim at, found in the seeded demo province by query (the seed
 * is deterministic, but a table of ids would rot with every change to it), plus the few rows they need that
 * the seed does not have: an API token, an acknowledged alert, and requests already answered once (a visit,
 * a service record, chat lines, applications) so that an allowed repeat is answered without writing.
 */
import { and, asc, eq, isNotNull, isNull, like, ne, notLike, sql } from 'drizzle-orm';
import type { Actor } from '../../../src/lib/server/actor';
import type { AppContext } from '../../../src/lib/server/context';
import { alerts, chatMessages, fairBoothPositions, fairBooths, jobFairs, liveRooms, organisations, seekers, stations, users } from '../../../src/lib/server/db/schema';
import { DEMO_DISPLAY_TOKEN } from '../../../src/lib/server/db/seed/demo-logins';
import { createApiToken } from '../../../src/lib/server/services/api-tokens';
import { apply, setApplicationStatus } from '../../../src/lib/server/services/applications';
import { registerDisplay, revokeDisplay } from '../../../src/lib/server/services/displays';
import { applyAtBooth, signInAtDoor } from '../../../src/lib/server/services/fairs';
import { closePosition, createPosition } from '../../../src/lib/server/services/positions';
import { recommendPosition } from '../../../src/lib/server/services/recommendations';
import { recordService, registerSeekerHere } from '../../../src/lib/server/services/service-records';
import { checkIn, checkOut } from '../../../src/lib/server/services/visits';
import { openPosition, positionInput } from '../../helpers/positions';

/** The demo province at a size that seeds in a second or two, with every kind of thing the targets need. */
export const SMALL_PROVINCE = { stations: 30, employers: 8, positions: 200, seekers: 60, applications: 40, serviceRecords: 20 };

/** Client keys of requests made once during setup: the matrix repeats them, and a repeat writes nothing. */
export const KEYS = {
	visitIn: 'matrix-visit-in',
	visitOut: 'matrix-visit-out',
	service: 'matrix-service',
	takeOn: 'matrix-take-on',
	recommend: 'matrix-recommend',
	chat: 'matrix-chat',
	apply: 'matrix-apply',
	applyRoom: 'matrix-apply-room',
	fairApply: 'matrix-fair-apply'
};

export interface Targets {
	/** Station 1, where `staff` works (Tianhe, Guangzhou). */
	station: number;
	/** Another station in Guangzhou: `supervisor.gz` covers it, `staff` does not. */
	stationCity: number;
	/** A station outside Guangzhou. */
	stationFar: number;
	employerOrg: number;
	/** Open, of the demo employer, in Tianhe (station 1's county: its staff review there). */
	positionOwn: number;
	/** Open, of another employer, in Shenzhen (nobody in Guangzhou reviews it). */
	positionOther: number;
	/** Closed, of the demo employer in Tianhe: every lifecycle step on it is the wrong state. */
	positionOwnClosed: number;
	/** A draft station 1 collected (its staff edit it). */
	positionStationDraft: number;
	/** The demo seeker, and another seeker. */
	seeker: number;
	seekerOther: number;
	/** A seeker registered at station 1 (and their phone), and one known to another station only. */
	seekerAtStation: number;
	phoneAtStation: string;
	seekerElsewhere: number;
	/** Another seeker's application to positionOwn, hired (no move left). */
	applicationHired: number;
	/** The live room the demo employer hosts at station 1, its pinned position, and a room another organisation hosts. */
	roomLive: number;
	roomPinned: number;
	roomOther: number;
	/** Messages in the live room: hidden, an answered question, one the host wrote. */
	messageHidden: number;
	messageAnswered: number;
	messageByHost: number;
	/** Today's open fair at station 1, a position at the demo employer's booth, and the hired application made there. */
	fairOpen: number;
	fairPosition: number;
	fairBoothOrg: number;
	applicationFairHired: number;
	/** An acknowledged alert at station 1; a revoked display at another Guangzhou station. */
	alert: number;
	displayRevoked: number;
	displayToken: string;
	apiToken: string;
	userIds: Record<'admin' | 'supervisor.gz' | 'staff' | 'employer' | 'seeker', number>;
}

async function one<T>(rows: Promise<T[]>, what: string): Promise<T> {
	const [row] = await rows;
	if (!row) throw new Error(`targets: no ${what} in the seeded province`);
	return row;
}

const TIANHE = { regionCode: '440106', lat: 23.13, lng: 113.35 };
const NANSHAN = { regionCode: '440305', lat: 22.53, lng: 113.93 };

export async function setUpTargets(ctx: AppContext): Promise<Targets> {
	const db = ctx.db;
	const userRows = await db
		.select({ id: users.id, username: users.username, stationId: users.stationId, organisationId: users.organisationId, seekerId: users.seekerId })
		.from(users)
		.where(sql`${users.username} in ('admin', 'supervisor.gz', 'staff', 'employer', 'seeker')`);
	const user = (name: string) => userRows.find((u) => u.username === name)!;
	const station = user('staff').stationId!;
	const employerOrg = user('employer').organisationId!;
	const seeker = user('seeker').seekerId!;
	const admin: Actor = { kind: 'admin', userId: user('admin').id };
	const staff: Actor = { kind: 'staff', userId: user('staff').id, stationId: station };
	const employer: Actor = { kind: 'employer', userId: user('employer').id, organisationId: employerOrg };
	const otherEmployer = await one(db.select({ id: users.id, org: users.organisationId }).from(users).where(and(eq(users.role, 'employer'), ne(users.organisationId, employerOrg))).orderBy(asc(users.id)).limit(1), 'second employer');

	const stationCity = (await one(db.select({ id: stations.id }).from(stations).where(and(like(stations.regionCode, '4401%'), ne(stations.id, station))).orderBy(asc(stations.id)).limit(1), 'second Guangzhou station')).id;
	const stationFar = (await one(db.select({ id: stations.id }).from(stations).where(notLike(stations.regionCode, '4401%')).orderBy(asc(stations.id)).limit(1), 'station outside Guangzhou')).id;

	// Positions made here rather than picked from the seed: where they are decides who reviews them.
	const positionOwn = (await openPosition(ctx, employer, { title: '矩阵 仓库分拣员', ...TIANHE })).id;
	const positionOther = (await openPosition(ctx, { kind: 'employer', userId: otherEmployer.id, organisationId: otherEmployer.org! }, { title: '矩阵 电子厂普工', ...NANSHAN })).id;
	const positionOwnClosed = (await closePosition(ctx, employer, { positionId: (await openPosition(ctx, employer, { title: '矩阵 已关闭', ...TIANHE })).id })).id;
	const positionStationDraft = (await createPosition(ctx, staff, positionInput({ title: '矩阵 驿站草稿', ...TIANHE }))).id;

	const seekerOther = (await one(db.select({ id: seekers.id }).from(seekers).where(and(ne(seekers.id, seeker), isNull(seekers.consentWithdrawnAt))).orderBy(asc(seekers.id)).limit(1), 'other seeker')).id;
	const atStation = await one(
		db.select({ id: seekers.id, phone: seekers.phone }).from(seekers).where(and(eq(seekers.registeredAtStationId, station), ne(seekers.id, seeker), isNull(seekers.consentWithdrawnAt), isNotNull(seekers.phone))).orderBy(asc(seekers.id)).limit(1),
		'seeker at station 1'
	);
	const seekerElsewhere = (
		await one(
			db
				.select({ id: seekers.id })
				.from(seekers)
				.where(and(isNotNull(seekers.registeredAtStationId), ne(seekers.registeredAtStationId, station), ne(seekers.id, seeker), ne(seekers.id, seekerOther), sql`not exists (select 1 from service_records r where r.seeker_id = ${seekers.id} and r.station_id = ${station})`))
				.orderBy(asc(seekers.id))
				.limit(1),
			'seeker of another station'
		)
	).id;

	const [room] = await db.select().from(liveRooms).where(and(eq(liveRooms.hostOrganisationId, employerOrg), eq(liveRooms.state, 'live')));
	// Made here rather than picked from the seed: a room without a station is supervised where its host is, and
	// the seed picks its rooms' hosts at random (a CI run got one in Guangzhou, whose supervisor may see it).
	const farOrg = await one(db.select({ id: organisations.id }).from(organisations).where(and(ne(organisations.id, employerOrg), notLike(organisations.regionCode, '4401%'))).orderBy(asc(organisations.id)).limit(1), 'organisation outside Guangzhou');
	const [{ id: roomOther }] = await db
		.insert(liveRooms)
		.values({ title: '矩阵 他处直播', hostOrganisationId: farOrg.id, scheduledAt: new Date(ctx.now().getTime() + 86_400_000), createdByUserId: user('admin').id })
		.returning({ id: liveRooms.id });
	const messageAnswered = (await one(db.select({ id: chatMessages.id }).from(chatMessages).where(and(eq(chatMessages.roomId, room.id), eq(chatMessages.kind, 'question'), isNotNull(chatMessages.answeredAt))).limit(1), 'answered question')).id;
	const toHide = await one(db.select({ id: chatMessages.id }).from(chatMessages).where(and(eq(chatMessages.roomId, room.id), eq(chatMessages.kind, 'chat'))).orderBy(asc(chatMessages.id)).limit(1), 'chat line');
	await db.update(chatMessages).set({ hiddenAt: ctx.now() }).where(eq(chatMessages.id, toHide.id));
	// Every role's user has posted the matrix's chat line once already: posting it again returns that line.
	const posted = await db
		.insert(chatMessages)
		.values(userRows.map((u) => ({ roomId: room.id, authorUserId: u.id, authorLabel: u.username === 'employer' ? '主播' : '测**', body: '你好', clientKey: KEYS.chat })))
		.returning({ id: chatMessages.id, author: chatMessages.authorUserId });
	const messageByHost = posted.find((m) => m.author === user('employer').id)!.id;

	const fairOpen = (await one(db.select({ id: jobFairs.id }).from(jobFairs).where(and(eq(jobFairs.stationId, station), eq(jobFairs.state, 'open'))).limit(1), 'open fair at station 1')).id;
	const booth = await one(
		db
			.select({ org: fairBooths.organisationId, positionId: fairBoothPositions.positionId })
			.from(fairBooths)
			.innerJoin(fairBoothPositions, eq(fairBoothPositions.boothId, fairBooths.id))
			.where(and(eq(fairBooths.fairId, fairOpen), eq(fairBooths.organisationId, employerOrg)))
			.limit(1),
		"the demo employer's booth at the open fair"
	);

	// Requests answered once: the repeats in the matrix get these answers back and write nothing.
	const visit = await checkIn(ctx, admin, { stationId: station, clientKey: KEYS.visitIn });
	await checkOut(ctx, admin, { stationId: station, visitId: visit.visitId, clientKey: KEYS.visitOut });
	await recordService(ctx, admin, { stationId: station, kind: 'policy_consultation', clientKey: KEYS.service });
	await registerSeekerHere(ctx, staff, { stationId: station, phone: atStation.phone, clientKey: KEYS.takeOn });
	await registerSeekerHere(ctx, admin, { stationId: stationCity, phone: atStation.phone, clientKey: KEYS.takeOn });
	await recommendPosition(ctx, staff, { stationId: station, seekerId: atStation.id, positionId: positionOwn, clientKey: KEYS.recommend });
	const seekerActor: Actor = { kind: 'seeker', userId: user('seeker').id, seekerId: seeker };
	await apply(ctx, seekerActor, { positionId: positionOwn, clientKey: KEYS.apply });
	await apply(ctx, seekerActor, { positionId: room.pinnedPositionId!, clientKey: KEYS.applyRoom, channel: 'live_room', source: `room:${room.id}` });
	const hired = await apply(ctx, { kind: 'seeker', userId: 0, seekerId: seekerOther }, { positionId: positionOwn, clientKey: 'matrix-hired' });
	await setApplicationStatus(ctx, admin, { applicationId: hired.applicationId, status: 'hired' });
	await signInAtDoor(ctx, staff, { fairId: fairOpen, phone: atStation.phone });
	const atFair = await applyAtBooth(ctx, staff, { fairId: fairOpen, positionId: booth.positionId, phone: atStation.phone, clientKey: KEYS.fairApply });
	await setApplicationStatus(ctx, admin, { applicationId: atFair.applicationId, status: 'hired' });

	const display = await registerDisplay(ctx, admin, { stationId: stationCity, label: '矩阵屏' });
	await revokeDisplay(ctx, admin, { displayId: display.displayId });
	const [home] = await db.select({ regionCode: stations.regionCode }).from(stations).where(eq(stations.id, station));
	const [alert] = await db
		.insert(alerts)
		.values({ kind: 'station_silent', subject: `matrix-${station}`, regionCode: home.regionCode, stationId: station, title: 'matrix', acknowledgedAt: ctx.now(), acknowledgedByUserId: admin.userId })
		.returning({ id: alerts.id });
	const apiToken = (await createApiToken(ctx, admin, { organisationId: employerOrg, label: 'matrix' })).token;

	return {
		station,
		stationCity,
		stationFar,
		employerOrg,
		positionOwn,
		positionOther,
		positionOwnClosed,
		positionStationDraft,
		seeker,
		seekerOther,
		seekerAtStation: atStation.id,
		phoneAtStation: atStation.phone!,
		seekerElsewhere,
		applicationHired: hired.applicationId,
		roomLive: room.id,
		roomPinned: room.pinnedPositionId!,
		roomOther,
		messageHidden: toHide.id,
		messageAnswered,
		messageByHost,
		fairOpen,
		fairPosition: booth.positionId,
		fairBoothOrg: booth.org,
		applicationFairHired: atFair.applicationId,
		alert: alert.id,
		displayRevoked: display.displayId,
		displayToken: DEMO_DISPLAY_TOKEN,
		apiToken,
		userIds: { admin: user('admin').id, 'supervisor.gz': user('supervisor.gz').id, staff: user('staff').id, employer: user('employer').id, seeker: user('seeker').id }
	};
}

/** `{target}` placeholders in paths, form fields and command inputs, replaced by the concrete value. */
export function fill<T>(template: T, targets: Targets): T {
	if (typeof template === 'string') {
		const whole = /^\{(\w+)\}$/.exec(template);
		if (whole) {
			if (!(whole[1] in targets)) throw new Error(`unknown target ${template}`);
			return targets[whole[1] as keyof Targets] as T;
		}
		return template.replace(/\{(\w+)\}/g, (_, key: string) => {
			if (!(key in targets)) throw new Error(`unknown target {${key}}`);
			return String(targets[key as keyof Targets]);
		}) as T;
	}
	if (Array.isArray(template)) return template.map((v) => fill(v, targets)) as T;
	if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, targets)])) as T;
	return template;
}
