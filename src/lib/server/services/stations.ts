/** Stations: create, update, open/close, and scoped reads. */
import { and, asc, eq, gt, like } from 'drizzle-orm';
import { z } from 'zod';
import { regionTopics, topic } from '$lib/realtime/topics';
import { type Actor, coversStation, regionCovers } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { organisations, regions, serviceKind, stationKind, stationState, stations } from '../db/schema';
import { forbidden, invalid, notFound } from '../errors';
import { write } from '../events/write';
import { id, lat, lng, parse, patchOf, requiredText, text } from '../validation';

export type Station = typeof stations.$inferSelect;

/** The station, or not_found. For scope checks every service does first. */
export async function loadStation(db: Executor, stationId: number): Promise<Station> {
	const [row] = await db.select().from(stations).where(eq(stations.id, stationId)).limit(1);
	if (!row) throw notFound('station');
	return row;
}

/** Topics every event about a station goes to: its own, and each region above it. */
export function stationTopics(station: Pick<Station, 'id' | 'regionCode'>) {
	return [topic.station(station.id), ...regionTopics(station.regionCode)];
}

/** Live figures only: what boards, maps and tiles show. Never personal data. */
export function stationPayload(s: Station) {
	return { stationId: s.id, state: s.state, occupancy: s.occupancy, capacity: s.capacity, regionCode: s.regionCode };
}

const stationFields = {
	name: requiredText(80),
	kind: z.enum(stationKind.enumValues),
	leadOrganisationId: id,
	regionCode: z.string().regex(/^[0-9]{2,12}$/, 'region_code'),
	address: text(200).default(''),
	lat,
	lng,
	radiusM: z.number().int().min(100, 'radius_range').max(20000, 'radius_range').default(1200),
	capacity: z.number().int().min(1, 'capacity_range').max(100000, 'capacity_range'),
	openingHours: text(80).default('09:00-17:30'),
	services: z.array(z.enum(serviceKind.enumValues)).max(20).default([]),
	facilities: z.array(text(40)).max(30).default([])
};
const createInput = z.object(stationFields);
const updateInput = patchOf(stationFields).extend({ stationId: id });
const stateInput = z.object({ stationId: id, state: z.enum(stationState.enumValues) });

/** Unknown region or organisation: a field error, not a foreign-key failure surfacing as a 500. */
async function checkReferences(db: Executor, refs: { regionCode?: string; leadOrganisationId?: number }) {
	if (refs.regionCode !== undefined) {
		const [region] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, refs.regionCode));
		if (!region) throw invalid({ regionCode: 'unknown_region' });
	}
	if (refs.leadOrganisationId !== undefined) {
		const [org] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, refs.leadOrganisationId));
		if (!org) throw invalid({ leadOrganisationId: 'unknown_organisation' });
	}
}

export async function createStation(ctx: AppContext, actor: Actor, input: unknown) {
	// Roles that can never create a station are refused before their input is even read.
	if (actor.kind !== 'admin' && actor.kind !== 'supervisor') throw forbidden();
	const data = parse(createInput, input);
	if (!(actor.kind === 'admin' || (actor.kind === 'supervisor' && regionCovers(actor.regionCode, data.regionCode)))) throw forbidden();
	await checkReferences(ctx.db, data);
	return write(ctx, async (tx, publish) => {
		const [station] = await tx.insert(stations).values(data).returning();
		publish({ type: 'station.created', topics: stationTopics(station), payload: { ...stationPayload(station), name: station.name, kind: station.kind, lat: station.lat, lng: station.lng } });
		return station;
	});
}

export async function updateStation(ctx: AppContext, actor: Actor, input: unknown) {
	const { stationId, ...changes } = parse(updateInput, input);
	const current = await loadStation(ctx.db, stationId);
	if (!coversStation(actor, current) || actor.kind === 'staff') throw forbidden();
	if (changes.regionCode && !(actor.kind === 'admin' || (actor.kind === 'supervisor' && regionCovers(actor.regionCode, changes.regionCode)))) {
		throw forbidden();
	}
	if (changes.capacity !== undefined && changes.capacity < current.occupancy) throw invalid({ capacity: 'below_occupancy' });
	await checkReferences(ctx.db, changes);
	return write(ctx, async (tx, publish) => {
		const [station] = await tx.update(stations).set({ ...changes, updatedAt: ctx.now() }).where(eq(stations.id, stationId)).returning();
		publish({ type: 'station.updated', topics: stationTopics(station), payload: { ...stationPayload(station), changed: Object.keys(changes) } });
		return station;
	});
}

export async function setStationState(ctx: AppContext, actor: Actor, input: unknown) {
	const { stationId, state } = parse(stateInput, input);
	const current = await loadStation(ctx.db, stationId);
	if (!coversStation(actor, current)) throw forbidden();
	if (current.state === state) return stationPayload(current);
	return write(ctx, async (tx, publish) => {
		const [station] = await tx.update(stations).set({ state, updatedAt: ctx.now(), lastActivityAt: ctx.now() }).where(eq(stations.id, stationId)).returning();
		publish({ type: 'station.state_changed', topics: stationTopics(station), payload: stationPayload(station) });
		return stationPayload(station);
	});
}

export async function getStation(ctx: AppContext, actor: Actor, stationId: number) {
	const station = await loadStation(ctx.db, parse(id, stationId));
	if (!coversStation(actor, station)) throw forbidden();
	return station;
}

const listInput = z.object({ after: id.optional(), limit: z.number().int().min(1).max(20000).default(500) });

/** Stations in the actor's scope, by id with keyset pagination. */
export async function listStationsInScope(ctx: AppContext, actor: Actor, input: unknown = {}) {
	const { after, limit } = parse(listInput, input);
	const scope =
		actor.kind === 'admin' ? undefined
		: actor.kind === 'supervisor' ? like(stations.regionCode, `${actor.regionCode}%`)
		: actor.kind === 'staff' ? eq(stations.id, actor.stationId)
		: null;
	if (scope === null) throw forbidden();
	return ctx.db
		.select()
		.from(stations)
		.where(and(scope, after ? gt(stations.id, after) : undefined))
		.orderBy(asc(stations.id))
		.limit(limit);
}
