/**
 * The public job list (/jobs): newest open positions through the positions service, with place and
 * employer names added for display. The keyset cursor travels in the URL as `<publishedAt ISO>_<id>`.
 */
import { inArray } from 'drizzle-orm';
import type { AppContext } from '../context';
import { organisations, regions, stations } from '../db/schema';
import { invalid } from '../errors';
import { listOpenPositions } from '../services/positions';

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

export async function openJobsPage(ctx: AppContext, after: string | null) {
	const cursor = decodeJobsCursor(after);
	const page = await listOpenPositions(ctx, { after: cursor, limit: JOBS_PAGE_SIZE });
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
			publishedAt: p.publishedAt
		})),
		next: page.next ? encodeJobsCursor(page.next) : null,
		isFirstPage: !cursor
	};
}
