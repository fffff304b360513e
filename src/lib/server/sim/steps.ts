/**
 * One step of demo traffic each: what a person at a counter, an employer or a seeker does. Every step
 * goes through a service function as that person; refusals (a full station, a taken phone number) are
 * thrown as ServiceErrors and counted by the loop, like a user would see them.
 */
import { and, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { AppContext } from '../context';
import { applications, positions, stations } from '../db/schema';
import { Random } from '../db/seed/random';
import { CATEGORIES, GIVEN, SURNAMES } from '../db/seed/words';
import { apply, setApplicationStatus } from '../services/applications';
import { createPosition, reviewPosition, submitPosition } from '../services/positions';
import { registerSeeker } from '../services/seekers';
import { recordService } from '../services/service-records';
import { checkIn, checkOut } from '../services/visits';
import type { Cast } from './cast';
import { dailyLoad } from './curve';

const HOUR = 3_600_000;
const KEY_GROUPS = ['college_graduate', 'migrant_worker', 'flexible_worker', 'employment_difficulty', 'veteran', null, null] as const;

export interface StepDeps {
	ctx: AppContext;
	cast: Cast;
	rnd: Random;
	/** A fresh idempotency key (the services' client-key format). */
	key: () => string;
}

/** The counter: each visit moves a station's occupancy toward the daily curve. */
export async function counter({ ctx, cast, rnd, key }: StepDeps) {
	const s = rnd.pick(cast.stations);
	const target = Math.round(s.capacity * dailyLoad(ctx.now()) * (0.7 + 0.6 * rnd.next()));
	if (s.occupancy < target || (s.occupancy === 0 && rnd.chance(0.5))) {
		const answer = await checkIn(ctx, s.staff, { stationId: s.id, clientKey: key(), keyGroup: rnd.pick(KEY_GROUPS) });
		s.occupancy = answer.occupancy;
	} else if (s.occupancy > 0) {
		const answer = await checkOut(ctx, s.staff, { stationId: s.id, clientKey: key() });
		s.occupancy = answer.occupancy;
	}
}

/** What people come to a counter for, roughly as often as they do: registering and asking about policy lead. */
const SERVICE_MIX = [
	['job_registration', 30],
	['policy_consultation', 25],
	['job_recommendation', 18],
	['career_guidance', 12],
	['training_registration', 9],
	['legal_consultation', 4],
	['labour_rights_help', 2]
] as const;

/** Staff record a service they just gave at the counter. */
export async function serviceGiven({ ctx, cast, rnd, key }: StepDeps) {
	const s = rnd.pick(cast.stations);
	await recordService(ctx, s.staff, { stationId: s.id, kind: rnd.weighted(SERVICE_MIX), clientKey: key() });
}

/** A station collects an odd job for later today or tomorrow, and its staff review and publish it. */
export async function oddJob({ ctx, cast, rnd }: StepDeps) {
	const s = rnd.pick(cast.boards.length ? cast.boards : cast.stations);
	const cat = rnd.pick(CATEGORIES);
	const hourly = rnd.chance(0.35);
	const start = new Date(Math.ceil((ctx.now().getTime() + rnd.int(2, 30) * HOUR) / (HOUR / 2)) * (HOUR / 2));
	const draft = await createPosition(ctx, s.staff, {
		title: rnd.pick(cat.titles),
		category: cat.category,
		kind: 'odd_job',
		description: rnd.pick(['现场签到，当日结算。', '自带身份证，提供工作服。', '包午餐，完工即结。']),
		payMin: hourly ? Math.round(cat.daily[0] / 8) : cat.daily[0],
		payMax: hourly ? Math.round(cat.daily[1] / 8) : cat.daily[1],
		payUnit: hourly ? 'hour' : 'day',
		headcount: rnd.int(1, 8),
		startsAt: start.toISOString(),
		endsAt: new Date(start.getTime() + rnd.int(3, 9) * HOUR).toISOString()
	});
	await submitPosition(ctx, s.staff, { positionId: draft.id });
	await reviewPosition(ctx, s.staff, { positionId: draft.id, decision: 'approve' });
}

/** An employer posts a job near a station; the supervisor approves most, some wait in review. */
export async function employerPosts({ ctx, cast, rnd }: StepDeps) {
	if (!cast.employers.length) return;
	const employer = rnd.pick(cast.employers);
	const near = rnd.pick(cast.stations);
	const [station] = await ctx.db.select({ regionCode: stations.regionCode, lat: stations.lat, lng: stations.lng, address: stations.address }).from(stations).where(eq(stations.id, near.id));
	const cat = rnd.pick(CATEGORIES);
	const kind = rnd.weighted([['full_time', 70], ['part_time', 20], ['internship', 10]] as const);
	const draft = await createPosition(ctx, employer, {
		title: rnd.pick(cat.titles),
		category: cat.category,
		kind,
		description: `${rnd.pick(['缴纳五险一金', '包吃住', '交通补贴'])}，${rnd.pick(['无经验可培训', '有经验优先'])}。`,
		payMin: kind === 'part_time' ? Math.round(cat.daily[0] / 8) : cat.monthly[0],
		payMax: kind === 'part_time' ? Math.round(cat.daily[1] / 8) : cat.monthly[1],
		payUnit: kind === 'part_time' ? 'hour' : 'month',
		headcount: rnd.int(1, 20),
		address: `${station.address}附近`,
		regionCode: station.regionCode,
		lat: station.lat + (rnd.next() - 0.5) * 0.02,
		lng: station.lng + (rnd.next() - 0.5) * 0.02,
		expiresAt: new Date(ctx.now().getTime() + 30 * 24 * HOUR).toISOString()
	});
	await submitPosition(ctx, employer, { positionId: draft.id });
	if (rnd.chance(0.75)) await reviewPosition(ctx, cast.reviewer, { positionId: draft.id, decision: 'approve' });
}

/** Pick an open position: a random point in the id range, then the next open one (an index seek, no OFFSET). */
async function someOpenPosition({ ctx, cast, rnd }: StepDeps) {
	const [position] = await ctx.db
		.select({ id: positions.id, stationId: positions.stationId })
		.from(positions)
		.where(and(eq(positions.state, 'open'), gte(positions.id, rnd.int(1, cast.maxPositionId))))
		.orderBy(positions.id)
		.limit(1);
	return position ?? null;
}

/** A seeker applies on the phone, from a display's QR code, or at a station counter with staff. */
export async function seekerApplies(deps: StepDeps) {
	const { ctx, cast, rnd, key } = deps;
	const position = await someOpenPosition(deps);
	if (!position || !cast.seekers.length) return;
	const seeker = rnd.pick(cast.seekers);
	const roll = rnd.next();
	// At the counter of the station the person registered at: staff apply only for their own station's people.
	const counter = roll < 0.25 ? cast.stations.find((s) => s.id === cast.homeStation.get(seeker.seekerId)) : undefined;
	if (counter) {
		await apply(ctx, counter.staff, { positionId: position.id, seekerId: seeker.seekerId, clientKey: key(), channel: 'counter' });
		return;
	}
	const screen = roll < 0.45 ? rnd.pick(cast.stations.filter((s) => s.hasDisplay)) : undefined;
	await apply(ctx, seeker, {
		positionId: position.id,
		clientKey: key(),
		channel: screen ? 'display_qr' : 'web',
		source: screen ? `display:${screen.id}` : null
	});
}

/** An employer works through its applicants: contacted, interview, then hired or rejected. */
export async function employerResponds({ ctx, rnd, cast }: StepDeps) {
	const [row] = await ctx.db
		.select({ id: applications.id, status: applications.status, organisationId: positions.employerOrganisationId })
		.from(applications)
		.innerJoin(positions, eq(positions.id, applications.positionId))
		.where(and(inArray(applications.status, ['applied', 'contacted', 'interview']), isNotNull(positions.employerOrganisationId), eq(positions.state, 'open'), gte(applications.id, rnd.int(1, cast.maxApplicationId))))
		.orderBy(applications.id)
		.limit(1);
	if (!row) return;
	const employer = cast.employers.find((e) => e.organisationId === row.organisationId);
	if (!employer) return;
	const next = row.status === 'applied' ? 'contacted' : row.status === 'contacted' ? 'interview' : rnd.chance(0.4) ? 'hired' : 'rejected';
	await setApplicationStatus(ctx, employer, { applicationId: row.id, status: next });
}

/** Staff register a walk-in seeker (with consent). 16x numbers: the seed never hands those out. */
export async function registerWalkIn({ ctx, cast, rnd }: StepDeps) {
	const s = rnd.pick(cast.stations);
	await registerSeeker(ctx, s.staff, {
		name: rnd.pick(SURNAMES) + rnd.pick(GIVEN),
		phone: `16${rnd.int(0, 9)}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`,
		consent: true,
		keyGroups: rnd.chance(0.5) ? [rnd.pick(['college_graduate', 'migrant_worker', 'flexible_worker', 'employment_difficulty'] as const)] : [],
		wantedCategories: [rnd.pick(CATEGORIES).category]
	});
}
