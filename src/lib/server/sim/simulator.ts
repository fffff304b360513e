/**
 * Demo traffic: while the app runs, people check in and out, staff post odd jobs, employers post and get
 * approved, seekers apply — at a human pace, through the same services real users go through, acting as
 * the demo province's own staff, employers and seekers. Refusals (a full station) are normal traffic.
 */
import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { positions, seekers, stations, users } from '../db/schema';
import { asServiceError } from '../errors';
import { Random } from '../db/seed/random';
import { CATEGORIES } from '../db/seed/words';
import { apply } from '../services/applications';
import { createPosition, reviewPosition, submitPosition } from '../services/positions';
import { checkIn, checkOut } from '../services/visits';
import { zoneOffsetMinutes } from '$lib/time';

interface SimStation {
	id: number;
	capacity: number;
	occupancy: number;
	kind: string;
	staff: Actor;
}

export interface SimulatorStats {
	actions: number;
	refusals: number;
	errors: number;
}

/** Share of capacity people fill over the service day: a morning peak, a lunch dip, an afternoon peak. */
export function dailyLoad(now: Date) {
	const h = ((now.getUTCHours() * 60 + now.getUTCMinutes() + zoneOffsetMinutes(now)) / 60) % 24;
	// A floor at night: rest stations for outdoor workers stay busy, and a demo opened at night still moves.
	if (h < 7 || h > 20) return 0.2;
	const morning = Math.exp(-((h - 10) ** 2) / 3);
	const afternoon = Math.exp(-((h - 15) ** 2) / 4);
	return 0.25 + 0.5 * Math.max(morning, afternoon * 0.9);
}

export async function startSimulator(ctx: AppContext, rate: number): Promise<{ stop: () => void; stats: SimulatorStats }> {
	const rnd = new Random(Date.now() % 2 ** 31);
	const stats: SimulatorStats = { actions: 0, refusals: 0, errors: 0 };
	const staffRows = await ctx.db
		.select({ id: stations.id, capacity: stations.capacity, occupancy: stations.occupancy, kind: stations.kind, userId: users.id })
		.from(stations)
		.innerJoin(users, and(eq(users.stationId, stations.id), eq(users.role, 'staff')))
		.where(eq(stations.state, 'open'));
	const byStation = new Map<number, SimStation>();
	for (const r of staffRows) byStation.set(r.id, { ...r, staff: { kind: 'staff', userId: r.userId, stationId: r.id } });
	const sims = [...byStation.values()];
	const employerActors: Actor[] = (
		await ctx.db.select({ id: users.id, org: users.organisationId }).from(users).where(eq(users.role, 'employer')).limit(60)
	).map((u) => ({ kind: 'employer', userId: u.id, organisationId: u.org! }));
	const seekerIds = (await ctx.db.select({ id: seekers.id }).from(seekers).limit(2000)).map((s) => s.id);
	const admin: Actor = { kind: 'admin', userId: 0 };
	const [last] = await ctx.db.select({ id: positions.id }).from(positions).orderBy(desc(positions.id)).limit(1);
	const maxPositionId = last?.id ?? 1;
	if (!sims.length || !seekerIds.length) return { stop: () => {}, stats };

	let n = 0;
	const key = () => `sim-${Date.now().toString(36)}-${(n++).toString(36)}-${rnd.int(0, 1e6)}`;

	async function step() {
		const roll = rnd.next();
		if (roll < 0.78) {
			// The counter: drift each station's occupancy toward the daily curve.
			const s = rnd.pick(sims);
			const target = Math.round(s.capacity * dailyLoad(ctx.now()));
			if (s.occupancy < target || (s.occupancy === 0 && rnd.chance(0.5))) {
				const a = await checkIn(ctx, s.staff, { stationId: s.id, clientKey: key(), keyGroup: rnd.pick(['college_graduate', 'migrant_worker', 'flexible_worker', 'employment_difficulty', null]) });
				s.occupancy = a.occupancy;
			} else if (s.occupancy > 0) {
				const a = await checkOut(ctx, s.staff, { stationId: s.id, clientKey: key() });
				s.occupancy = a.occupancy;
			}
		} else if (roll < 0.86) {
			// A station collects an odd job for later today or tomorrow and publishes it.
			const s = rnd.pick(sims.filter((x) => x.kind === 'odd_job' || x.kind === 'outdoor_worker' || x.kind === 'community'));
			const cat = rnd.pick(CATEGORIES);
			const start = new Date(ctx.now().getTime() + rnd.int(2, 30) * 3_600_000);
			const draft = await createPosition(ctx, s.staff, {
				title: rnd.pick(cat.titles),
				category: cat.category,
				kind: 'odd_job',
				payMin: cat.daily[0],
				payMax: cat.daily[1],
				payUnit: 'day',
				headcount: rnd.int(1, 8),
				startsAt: start.toISOString(),
				endsAt: new Date(start.getTime() + rnd.int(4, 9) * 3_600_000).toISOString()
			});
			await submitPosition(ctx, s.staff, { positionId: draft.id });
			await reviewPosition(ctx, s.staff, { positionId: draft.id, decision: 'approve' });
		} else if (roll < 0.9 && employerActors.length) {
			// An employer posts; an administrator approves it (some stay in review for the alerts to find).
			const employer = rnd.pick(employerActors);
			const near = rnd.pick(sims);
			const [station] = await ctx.db.select({ regionCode: stations.regionCode, lat: stations.lat, lng: stations.lng }).from(stations).where(eq(stations.id, near.id));
			const cat = rnd.pick(CATEGORIES);
			const draft = await createPosition(ctx, employer, {
				title: rnd.pick(cat.titles),
				category: cat.category,
				kind: rnd.pick(['full_time', 'part_time'] as const),
				payMin: cat.monthly[0],
				payMax: cat.monthly[1],
				payUnit: 'month',
				headcount: rnd.int(1, 20),
				regionCode: station.regionCode,
				lat: station.lat + (rnd.next() - 0.5) * 0.02,
				lng: station.lng + (rnd.next() - 0.5) * 0.02
			});
			await submitPosition(ctx, employer, { positionId: draft.id });
			if (rnd.chance(0.7)) await reviewPosition(ctx, admin, { positionId: draft.id, decision: 'approve' });
		} else {
			// A seeker applies to a fresh open position.
			// A random point in the id range, then the next open position after it (an index seek, no OFFSET).
			const [position] = await ctx.db
				.select({ id: positions.id })
				.from(positions)
				.where(and(eq(positions.state, 'open'), gte(positions.id, rnd.int(1, maxPositionId)), inArray(positions.kind, ['odd_job', 'full_time', 'part_time'])))
				.orderBy(positions.id)
				.limit(1);
			if (!position) return;
			const seeker: Actor = { kind: 'seeker', userId: 0, seekerId: rnd.pick(seekerIds) };
			await apply(ctx, seeker, { positionId: position.id, clientKey: key(), channel: rnd.pick(['web', 'display_qr', 'live_room'] as const) });
		}
	}

	let stopped = false;
	let running = false;
	const interval = Math.max(20, 400 / Math.max(rate, 0.01));
	const timer = setInterval(() => {
		if (running || stopped) return; // never pile up steps behind a slow database
		running = true;
		step()
			.then(() => stats.actions++)
			.catch((error) => {
				const known = asServiceError(error);
				if (known && known.code !== 'unavailable') stats.refusals++;
				else {
					stats.errors++;
					if (stats.errors % 50 === 1) ctx.log.warn({ err: error }, 'simulator step failed');
				}
			})
			.finally(() => (running = false));
	}, interval);
	timer.unref();
	return {
		stats,
		stop: () => {
			stopped = true;
			clearInterval(timer);
		}
	};
}
