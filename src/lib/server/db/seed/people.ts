/**
 * People: job seekers (fake names, fake but well-formed mobile numbers, consent given) and the user
 * accounts — the demo logins, plus one staff account per station, one per employer and some seekers,
 * so the simulator can act as real people.
 */
import { keyGroup, seekers, users } from '../schema';
import type { Organisation, Seeding, Seeker, Station, User } from './context';
import { DAY } from './context';
import { insertReturning } from './insert';
import { CATEGORIES, GIVEN, SURNAMES } from './words';

/** How common each key group is among registered seekers. */
const KEY_GROUP_SHARE: Record<(typeof keyGroup.enumValues)[number], number> = {
	college_graduate: 0.2,
	employment_difficulty: 0.1,
	migrant_worker: 0.3,
	flexible_worker: 0.25,
	veteran: 0.04,
	disabled: 0.03
};

/** Seekers with their own login (the simulator's web and QR applicants). */
export const SEEKER_ACCOUNTS = 200;

export async function seedSeekers(s: Seeding, stationList: Station[]): Promise<Seeker[]> {
	const { rnd, now } = s;
	const rows = Array.from({ length: s.size.seekers }, (_, i) => {
		const home = rnd.pick(stationList);
		const at = rnd.near(home.lat, home.lng, 3000);
		return {
			name: rnd.pick(SURNAMES) + rnd.pick(GIVEN),
			// 13x–19x, unique by construction (the index sits inside the number). 16x is left to the simulator.
			phone: `1${rnd.pick([3, 5, 7, 8, 9])}${String(i).padStart(5, '0')}${String(rnd.int(0, 9999)).padStart(4, '0')}`,
			keyGroups: keyGroup.enumValues.filter((g) => rnd.chance(KEY_GROUP_SHARE[g])),
			skills: [rnd.pick(CATEGORIES).category],
			wantedCategories: [...new Set([rnd.pick(CATEGORIES).category, rnd.pick(CATEGORIES).category])],
			homeLat: at.lat,
			homeLng: at.lng,
			radiusM: rnd.pick([2000, 3000, 5000, 10000]),
			oddJobDays: [0, 1, 2, 3, 4, 5, 6].filter(() => rnd.chance(0.4)),
			consentAt: new Date(now.getTime() - rnd.int(1, 300) * DAY),
			registeredAtStationId: home.id
		};
	});
	return insertReturning<Seeker>(s.tx, seekers, rows);
}

export async function seedUsers(s: Seeding, stationList: Station[], employers: Organisation[], seekerList: Seeker[]): Promise<User[]> {
	const { passwordHash } = s;
	const [station1] = stationList;
	const [demoOrg] = employers;
	const [demoSeeker] = seekerList;
	const rows: Array<typeof users.$inferInsert> = [
		{ username: 'admin', displayName: '系统管理员', passwordHash, role: 'admin' },
		{ username: 'supervisor', displayName: '省人社厅督导', passwordHash, role: 'supervisor', regionCode: '44' },
		{ username: 'supervisor.gz', displayName: '广州市人社局督导', passwordHash, role: 'supervisor', regionCode: '4401' },
		{ username: 'staff', displayName: '五山驿站 李敏', passwordHash, role: 'staff', stationId: station1.id },
		{ username: 'employer', displayName: `${demoOrg.name.replace(/有限公司$/, '')} 招聘专员`, passwordHash, role: 'employer', organisationId: demoOrg.id },
		{ username: 'seeker', displayName: demoSeeker.name!, passwordHash, role: 'seeker', seekerId: demoSeeker.id },
		...stationList.slice(1).map((st) => ({ username: `staff.${st.id}`, displayName: `驿站工作人员 ${st.id}`, passwordHash, role: 'staff' as const, stationId: st.id })),
		...employers.slice(1).map((o) => ({ username: `employer.${o.id}`, displayName: `${o.name} 招聘`, passwordHash, role: 'employer' as const, organisationId: o.id })),
		...seekerList.slice(1, SEEKER_ACCOUNTS).map((sk) => ({ username: `seeker.${sk.id}`, displayName: sk.name!, passwordHash, role: 'seeker' as const, seekerId: sk.id }))
	];
	return insertReturning<User>(s.tx, users, rows);
}
