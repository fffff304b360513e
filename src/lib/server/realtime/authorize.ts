/**
 * Who may subscribe to which topic. Checked on every join; a reconnect is a new handshake, so a
 * changed role or revoked display is re-checked then too.
 */
import { eq } from 'drizzle-orm';
import type { ParsedTopic } from '$lib/realtime/topics';
import { type Actor, coversStation, regionCovers } from '../actor';
import type { AppContext } from '../context';
import { fairBooths, jobFairs, stations } from '../db/schema';
import { forbidden, notFound } from '../errors';
import { authorizeRoomHost } from '../services/rooms';

export async function authorizeTopic(ctx: AppContext, actor: Actor, t: ParsedTopic): Promise<void> {
	switch (t.kind) {
		case 'jobs':
		case 'room':
			return; // public: no personal data is ever published on them
		case 'room_host':
			return authorizeRoomHost(ctx, actor, Number(t.key));
		case 'region':
			if (actor.kind === 'admin') return;
			if (actor.kind === 'supervisor' && regionCovers(actor.regionCode, t.key)) return;
			throw forbidden();
		case 'org':
			if (actor.kind === 'admin') return;
			if (actor.kind === 'employer' && actor.organisationId === Number(t.key)) return;
			throw forbidden();
		case 'seeker':
			if (actor.kind === 'seeker' && actor.seekerId === Number(t.key)) return;
			throw forbidden();
		case 'station': {
			const station = await stationScope(ctx, Number(t.key));
			if (coversStation(actor, station)) return;
			throw forbidden();
		}
		case 'display': {
			const station = await stationScope(ctx, Number(t.key));
			if (actor.kind === 'display' && actor.stationId === station.id) return;
			if (coversStation(actor, station)) return;
			throw forbidden();
		}
		case 'fair': {
			const [fair] = await ctx.db
				.select({ stationId: jobFairs.stationId, regionCode: stations.regionCode })
				.from(jobFairs)
				.innerJoin(stations, eq(stations.id, jobFairs.stationId))
				.where(eq(jobFairs.id, Number(t.key)))
				.limit(1);
			if (!fair) throw notFound('fair');
			if (coversStation(actor, { id: fair.stationId, regionCode: fair.regionCode })) return;
			if (actor.kind === 'employer') {
				const booths = await ctx.db
					.select({ org: fairBooths.organisationId })
					.from(fairBooths)
					.where(eq(fairBooths.fairId, Number(t.key)));
				if (booths.some((b) => b.org === actor.organisationId)) return;
			}
			throw forbidden();
		}
	}
}

async function stationScope(ctx: AppContext, id: number) {
	const [station] = await ctx.db
		.select({ id: stations.id, regionCode: stations.regionCode })
		.from(stations)
		.where(eq(stations.id, id))
		.limit(1);
	if (!station) throw notFound('station');
	return station;
}
