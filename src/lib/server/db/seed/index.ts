/**
 * The demo province: a realistic network so the product looks alive on first start. Deterministic (a
 * seeded PRNG), bulk-inserted in one transaction. The seed is bootstrapping, so it writes rows directly,
 * then appends one `demo.seeded` event through the write path so the log and the relay have a
 * well-defined start. Live traffic afterwards goes through the services (see sim/).
 */
import { count, sql } from 'drizzle-orm';
import { startOfServiceDay } from '$lib/time';
import type { AppContext } from '../../context';
import { write } from '../../events/write';
import { hashPassword } from '../../services/auth';
import { regions } from '../schema';
import { DEMO_SIZE, type SeedSize, type Seeding } from './context';
import { DEMO_PASSWORD } from './demo-logins';
import { SEEKER_ACCOUNTS, seedSeekers, seedUsers } from './people';
import { seedOrganisations, seedRegions, seedStations } from './places';
import { Random } from './random';
import { seedDisplays, seedFair, seedRooms } from './showcase';
import { seedApplications, seedPositions, seedServiceRecords, seedVisits } from './work';

export { DEMO_SIZE, type SeedSize } from './context';

/** The PRNG seed: the same province on every machine and every run. */
const SEED = 20261122;

export async function isSeeded(ctx: AppContext) {
	const [row] = await ctx.db.select({ n: count() }).from(regions);
	return row.n > 0;
}

export interface SeedSummary {
	cities: number;
	stations: number;
	positions: number;
	seekers: number;
	ms: number;
}

/** Held by the seeding transaction: processes starting together on one database seed it once. */
const SEED_LOCK = 7_301_003;

export async function seedDemo(ctx: AppContext, size: SeedSize = DEMO_SIZE, options: { onlyIfEmpty?: boolean } = {}): Promise<SeedSummary | null> {
	const started = Date.now();
	const now = ctx.now();
	// Hashed once (argon2id is deliberately slow) and shared by every seeded account.
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const summary = await ctx.db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
		if (options.onlyIfEmpty) {
			const [row] = await tx.select({ n: count() }).from(regions);
			if (row.n > 0) return null; // another process seeded it meanwhile
		}
		const s: Seeding = { tx, rnd: new Random(SEED), size, now, today: startOfServiceDay(now), passwordHash };
		const counties = await seedRegions(s);
		const orgs = await seedOrganisations(s, counties);
		const stationList = await seedStations(s, counties, orgs);
		const seekerList = await seedSeekers(s, stationList);
		const userList = await seedUsers(s, stationList, orgs.employers, seekerList);
		const byName = (username: string) => userList.find((u) => u.username === username)!;
		const positionList = await seedPositions(s, stationList, orgs.employers, byName('employer'));
		const open = positionList.filter((p) => p.state === 'open');
		await seedApplications(s, seekerList, open);
		await seedVisits(s, stationList);
		const staffOf = new Map(userList.filter((u) => u.role === 'staff').map((u) => [u.stationId!, u.id]));
		await seedServiceRecords(s, stationList, seekerList, staffOf);
		const seekerUsers = userList.filter((u) => u.role === 'seeker').slice(0, SEEKER_ACCOUNTS);
		await seedRooms(s, stationList[0], orgs, open, seekerUsers, byName('employer'));
		await seedFair(s, stationList[0], orgs.employers, open, byName('staff').id);
		await seedDisplays(s, stationList);
		return { cities: new Set(counties.map((c) => c.cityZh)).size, stations: stationList.length, positions: positionList.length, seekers: seekerList.length };
	});
	if (!summary) return null;

	await write(ctx, async (_tx, publish) => {
		publish({ type: 'demo.seeded', topics: ['region:44'], payload: { cities: summary.cities, stations: summary.stations, positions: summary.positions } });
	});
	return { ...summary, ms: Date.now() - started };
}

/** At start-up: seed an empty database (SEED=auto). Returns the summary, or null when there was data. */
export async function seedIfEmpty(ctx: AppContext, size?: SeedSize): Promise<SeedSummary | null> {
	if (await isSeeded(ctx)) return null;
	return seedDemo(ctx, size, { onlyIfEmpty: true });
}
