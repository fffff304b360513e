/**
 * The public job list (/jobs): newest open positions through the positions service, with place and
 * employer names added for display. The keyset cursor travels in the URL as `<publishedAt ISO>_<id>`.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { applications, organisations, positionKind, positions, regions, stations } from '../db/schema';
import { invalid, notFound } from '../errors';
import { listOpenPositions } from '../services/positions';
import { parse } from '../validation';

export const JOBS_PAGE_SIZE = 20;

export function encodeJobsCursor(next: { publishedAt: string; id: number }) {
	return `${next.publishedAt}_${next.id}`;
}

/** The `after` cursor from the URL; a malformed one is the visitor's error (400), not ours. */
export function decodeJobsCursor(raw: string | null) {
	if (!raw) return undefined;
	const cut = raw.lastIndexOf('_');
	const publishedAt = raw.slice(0, cut);
	const id = Number(raw.slice(cut + 1));
	if (cut < 1 || !Number.isSafeInteger(id) || id < 1 || Number.isNaN(Date.parse(publishedAt))) throw invalid({ after: 'cursor' });
	return { publishedAt, id };
}

/** The search as the URL carries it (a plain GET form: shareable, works without JavaScript). */
const searchParams = z.object({
	q: z.string().trim().max(40, 'too_long').optional(),
	kind: z.enum(positionKind.enumValues, { error: 'position_kind' }).optional(),
	category: z.string().trim().max(40, 'too_long').optional(),
	pay: z.coerce.number().int('integer').min(0, 'min').max(1_000_000, 'max').optional(),
	lat: z.coerce.number().min(-90, 'lat_range').max(90, 'lat_range').optional(),
	lng: z.coerce.number().min(-180, 'lng_range').max(180, 'lng_range').optional(),
	/** Radius around lat/lng in km. */
	km: z.coerce.number().min(0.1, 'min').max(50, 'max').optional(),
	/** A station's service circle. */
	station: z.coerce.number().int('integer').positive('positive').optional()
});

export type JobSearch = z.infer<typeof searchParams>;

export function parseJobSearch(params: URLSearchParams): JobSearch {
	const raw = Object.fromEntries(['q', 'kind', 'category', 'pay', 'lat', 'lng', 'km', 'station'].map((k) => [k, params.get(k) || undefined]));
	return parse(searchParams, raw);
}

async function circleOf(ctx: AppContext, s: JobSearch) {
	if (s.station) {
		const [row] = await ctx.db.select({ lat: stations.lat, lng: stations.lng, radiusM: stations.radiusM, name: stations.name }).from(stations).where(eq(stations.id, s.station));
		if (!row) throw invalid({ station: 'not_found' });
		return row;
	}
	if (s.lat !== undefined && s.lng !== undefined) return { lat: s.lat, lng: s.lng, radiusM: Math.round((s.km ?? 3) * 1000), name: null };
	return null;
}

export async function openJobsPage(ctx: AppContext, after: string | null, search: JobSearch = {}) {
	const cursor = decodeJobsCursor(after);
	const circle = await circleOf(ctx, search);
	const page = await listOpenPositions(ctx, {
		after: cursor,
		limit: JOBS_PAGE_SIZE,
		kind: search.kind,
		category: search.category || undefined,
		words: search.q || undefined,
		payAtLeast: search.pay,
		near: circle ? { lat: circle.lat, lng: circle.lng, radiusM: circle.radiusM } : undefined
	});
	const list = page.positions;
	const regionCodes = [...new Set(list.map((p) => p.regionCode))];
	const orgIds = [...new Set(list.map((p) => p.employerOrganisationId).filter((v): v is number => v !== null))];
	const stationIds = [...new Set(list.map((p) => p.stationId).filter((v): v is number => v !== null))];
	const [regionRows, orgRows, stationRows] = await Promise.all([
		regionCodes.length ? ctx.db.select({ code: regions.code, nameZh: regions.nameZh, nameEn: regions.nameEn }).from(regions).where(inArray(regions.code, regionCodes)) : [],
		orgIds.length ? ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds)) : [],
		stationIds.length ? ctx.db.select({ id: stations.id, name: stations.name }).from(stations).where(inArray(stations.id, stationIds)) : []
	]);
	const regionOf = new Map(regionRows.map((r) => [r.code, r]));
	const orgOf = new Map(orgRows.map((o) => [o.id, o.name]));
	const stationOf = new Map(stationRows.map((s) => [s.id, s.name]));
	return {
		positions: list.map((p) => ({
			id: p.id,
			title: p.title,
			category: p.category,
			kind: p.kind,
			payMin: p.payMin,
			payMax: p.payMax,
			payUnit: p.payUnit,
			headcount: p.headcount,
			filledCount: p.filledCount,
			address: p.address,
			regionZh: regionOf.get(p.regionCode)?.nameZh ?? null,
			regionEn: regionOf.get(p.regionCode)?.nameEn ?? null,
			employer: p.employerOrganisationId ? (orgOf.get(p.employerOrganisationId) ?? null) : null,
			station: p.stationId ? (stationOf.get(p.stationId) ?? null) : null,
			startsAt: p.startsAt,
			endsAt: p.endsAt,
			publishedAt: p.publishedAt,
			distanceM: p.distanceM,
			lat: p.lat,
			lng: p.lng
		})),
		next: page.next ? encodeJobsCursor(page.next) : null,
		isFirstPage: !cursor,
		circle: circle && { name: circle.name, lat: circle.lat, lng: circle.lng, radiusM: circle.radiusM }
	};
}

/** Where an application came from, as the apply page's `source` parameter says: a display QR, a room, a fair. */
export function channelOfSource(source: string | null): { channel: 'display_qr' | 'live_room' | 'fair' | 'web'; source: string | null } {
	if (source && /^display:[0-9]{1,10}$/.test(source)) return { channel: 'display_qr', source };
	if (source && /^room:[0-9]{1,10}$/.test(source)) return { channel: 'live_room', source };
	if (source && /^fair:[0-9]{1,10}$/.test(source)) return { channel: 'fair', source };
	return { channel: 'web', source: null };
}

/**
 * One position as the public sees it (/jobs/[id]): public facts, and — for a signed-in seeker — whether
 * they applied already. Drafts and positions in review are not public (404).
 */
export async function jobDetail(ctx: AppContext, actor: Actor, rawId: string) {
	const positionId = Number(rawId);
	if (!Number.isSafeInteger(positionId) || positionId < 1) throw notFound('position');
	const [row] = await ctx.db
		.select({
			id: positions.id,
			title: positions.title,
			category: positions.category,
			kind: positions.kind,
			description: positions.description,
			payMin: positions.payMin,
			payMax: positions.payMax,
			payUnit: positions.payUnit,
			headcount: positions.headcount,
			filledCount: positions.filledCount,
			address: positions.address,
			state: positions.state,
			startsAt: positions.startsAt,
			endsAt: positions.endsAt,
			publishedAt: positions.publishedAt,
			regionZh: regions.nameZh,
			regionEn: regions.nameEn,
			employer: organisations.name,
			station: stations.name
		})
		.from(positions)
		.innerJoin(regions, eq(regions.code, positions.regionCode))
		.leftJoin(organisations, eq(organisations.id, positions.employerOrganisationId))
		.leftJoin(stations, eq(stations.id, positions.stationId))
		.where(and(eq(positions.id, positionId), inArray(positions.state, ['open', 'filled', 'closed', 'expired'])));
	if (!row) throw notFound('position');
	const [mine] =
		actor.kind === 'seeker'
			? await ctx.db
					.select({ status: applications.status, channel: applications.channel, createdAt: applications.createdAt })
					.from(applications)
					.where(and(eq(applications.seekerId, actor.seekerId), eq(applications.positionId, positionId)))
			: [];
	return { position: row, application: mine ?? null };
}
