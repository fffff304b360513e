/** The administrator's overview (/admin): how much of everything there is. */
import { count } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { displays, organisations, regions, stations, users } from '../db/schema';
import { forbidden } from '../errors';

export async function adminOverview(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'admin') throw forbidden();
	const [[r], [s], [o], [d], byRole] = await Promise.all([
		ctx.db.select({ n: count() }).from(regions),
		ctx.db.select({ n: count() }).from(stations),
		ctx.db.select({ n: count() }).from(organisations),
		ctx.db.select({ n: count() }).from(displays),
		ctx.db.select({ role: users.role, n: count() }).from(users).groupBy(users.role)
	]);
	const roles = { admin: 0, supervisor: 0, staff: 0, employer: 0, seeker: 0 };
	for (const row of byRole) roles[row.role] = row.n;
	return { regions: r?.n ?? 0, stations: s?.n ?? 0, organisations: o?.n ?? 0, displays: d?.n ?? 0, usersByRole: roles };
}
