/**
 * What makes the demo feel live on first start: recruiting rooms (one live now with a queue and a pinned
 * position, three scheduled, one ended, with chat), an upcoming job fair with booths, and wall displays.
 */
import { maskName } from '$lib/privacy';
import { sha256 } from '../../services/auth';
import { chatMessages, displays, fairBoothPositions, fairBooths, jobFairs, liveRoomPositions, liveRooms } from '../schema';
import { DEMO_DISPLAY_TOKEN } from './demo-logins';
import type { Organisation, Position, Seeding, Station, User } from './context';
import { DAY, HOUR } from './context';
import type { Organisations } from './places';
import { insertReturning, insertRows } from './insert';

const MINUTE = 60_000;
const CHAT_LINES = ['请问包住宿吗？', '夜班有补贴吗', '已报名，期待联系', '在天河哪个位置？', '需要什么证件？', '工资怎么结算？', '这个岗位还招几个人？', '有没有五险一金', '女生可以做吗？', '多大年龄可以报？', '主播讲得很清楚，谢谢', '周末可以上班吗'];

export async function seedRooms(s: Seeding, station1: Station, orgs: Organisations, openPositions: Position[], seekerUsers: User[], demoEmployerUser: User) {
	const { rnd, now, today, tx } = s;
	const [demoOrg] = orgs.employers;
	const queue = openPositions.filter((p) => p.employerOrganisationId === demoOrg.id).slice(0, 5);
	type Room = typeof liveRooms.$inferSelect;
	const startedAt = new Date(now.getTime() - 20 * MINUTE);
	const rooms = await insertReturning<Room>(tx, liveRooms, [
		{ title: `${demoOrg.name.replace(/有限公司$/, '')} 仓储配送岗位直播带岗`, hostOrganisationId: demoOrg.id, stationId: station1.id, scheduledAt: startedAt, startedAt, state: 'live', pinnedPositionId: queue[0]?.id ?? null, peakViewers: 236, createdByUserId: demoEmployerUser.id },
		{ title: '天河区春风行动 直播招聘专场', hostOrganisationId: orgs.leadOf('440106', 'hr_department').id, stationId: station1.id, scheduledAt: new Date(today.getTime() + DAY + 10 * HOUR), state: 'scheduled' },
		{ title: '深圳南山 电子厂普工直播带岗', hostOrganisationId: rnd.pick(orgs.employers.slice(1)).id, scheduledAt: new Date(today.getTime() + 2 * DAY + 15 * HOUR), state: 'scheduled' },
		{ title: '户外劳动者 零工岗位直播', hostOrganisationId: orgs.leadOf('440106', 'trade_union').id, scheduledAt: new Date(today.getTime() + 3 * DAY + 19 * HOUR), state: 'scheduled' },
		{ title: '家政服务岗位 直播回放', hostOrganisationId: rnd.pick(orgs.employers.slice(1)).id, scheduledAt: new Date(today.getTime() - DAY + 14 * HOUR), startedAt: new Date(today.getTime() - DAY + 14 * HOUR), endedAt: new Date(today.getTime() - DAY + 15 * HOUR), state: 'ended', peakViewers: 412 }
	]);
	const [live, , , , ended] = rooms;
	await insertRows(tx, liveRoomPositions, queue.map((p, i) => ({ roomId: live.id, positionId: p.id, sortOrder: i })));
	await insertRows(
		tx,
		chatMessages,
		[live, ended].flatMap((room) =>
			Array.from({ length: 12 }, (_, i) => {
				const author = rnd.pick(seekerUsers);
				const at = new Date(room.startedAt!.getTime() + i * 90_000);
				return { roomId: room.id, authorUserId: author.id, authorLabel: maskName(author.displayName), kind: (i % 4 === 1 ? 'question' : 'chat') as 'chat' | 'question', body: rnd.pick(CHAT_LINES), clientKey: `seed-${room.id}-${i}`, createdAt: at, answeredAt: i % 4 === 1 && i < 8 ? new Date(at.getTime() + 60_000) : null };
			})
		)
	);
	return rooms;
}

export async function seedFair(s: Seeding, station1: Station, employers: Organisation[], openPositions: Position[], staffUserId: number) {
	const { today, tx } = s;
	const [fair] = await tx
		.insert(jobFairs)
		.values({ stationId: station1.id, title: '五山街道家门口招聘会', startsAt: new Date(today.getTime() + DAY + 9 * HOUR), endsAt: new Date(today.getTime() + DAY + 12 * HOUR), state: 'scheduled', createdByUserId: staffUserId })
		.returning();
	const booths = await insertReturning<typeof fairBooths.$inferSelect>(tx, fairBooths, employers.slice(0, 6).map((o, i) => ({ fairId: fair.id, organisationId: o.id, label: `A${i + 1}` })));
	await insertRows(
		tx,
		fairBoothPositions,
		booths.flatMap((b) => openPositions.filter((p) => p.employerOrganisationId === b.organisationId).slice(0, 3).map((p) => ({ boothId: b.id, positionId: p.id })))
	);
	// And one open today, so /fairs/[id] is alive right after `npm start`: two booths, each with its open positions.
	const [today_] = await tx
		.insert(jobFairs)
		.values({ stationId: station1.id, title: '华工社区今日招聘会', startsAt: new Date(today.getTime() + 9 * HOUR), endsAt: new Date(today.getTime() + 22 * HOUR), state: 'open', createdByUserId: staffUserId })
		.returning();
	const withPositions = employers.filter((o) => openPositions.some((p) => p.employerOrganisationId === o.id)).slice(0, 2);
	const todayBooths = await insertReturning<typeof fairBooths.$inferSelect>(tx, fairBooths, withPositions.map((o, i) => ({ fairId: today_.id, organisationId: o.id, label: `B${i + 1}` })));
	await insertRows(
		tx,
		fairBoothPositions,
		todayBooths.flatMap((b) => openPositions.filter((p) => p.employerOrganisationId === b.organisationId).slice(0, 3).map((p) => ({ boothId: b.id, positionId: p.id })))
	);
	return fair;
}

/** A screen at some stations; station 1's has the known demo token, two have gone quiet (the offline alert). */
export async function seedDisplays(s: Seeding, stationList: Station[]) {
	const { rnd, now } = s;
	const withScreens = stationList.filter((st, i) => i === 0 || (st.state === 'open' && st.kind !== 'online' && st.kind !== 'mobile' && i % 8 === 1));
	await insertRows(
		s.tx,
		displays,
		withScreens.map((st, i) => ({
			stationId: st.id,
			label: i === 0 ? '大厅屏' : rnd.pick(['大厅屏', '门口屏', '服务台屏']),
			tokenHash: sha256(i === 0 ? DEMO_DISPLAY_TOKEN : `seed-display-${st.id}-${rnd.int(0, 1e9)}-${rnd.int(0, 1e9)}`),
			bilingual: i % 5 === 0,
			lastHeartbeatAt: i === 3 || i === 7 ? new Date(now.getTime() - rnd.int(2, 20) * HOUR) : now
		}))
	);
}
