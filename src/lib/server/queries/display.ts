/** What a wall display needs to start: its station's public name (the live board comes later). */
import { eq } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { displays, stations } from '../db/schema';

export async function displayStation(ctx: AppContext, actor: Actor) {
	if (actor.kind !== 'display') return null;
	const [row] = await ctx.db
		.select({ stationId: stations.id, name: stations.name, label: displays.label, bilingual: displays.bilingual })
		.from(displays)
		.innerJoin(stations, eq(stations.id, displays.stationId))
		.where(eq(displays.id, actor.displayId));
	return row ?? null;
}
