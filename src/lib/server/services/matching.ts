/**
 * Matching (issue 4, item 5): positions ranked for a seeker, and seekers who fit a position, each with the
 * reasons it fits (matching/fit.ts scores; the page words the reasons).
 *
 * Speed: one seeker over 100,000 open positions must answer in ≤ 50 ms (p95). SQL never scores: it picks a
 * bounded candidate set through the open-positions geo index (positions_open_geo_idx, a lat/lng bounding
 * box around the seeker's centre, widened in a few steps only while too few are found), nearest first and
 * LIMITed, plus the nearest ones that mention the seeker's words; TypeScript scores those few hundred.
 *
 * Privacy: positions are public, so a seeker may match themself, and the staff of a station the person is
 * at (or an admin) may match for them. Seekers for a position are personal data: staff see only people at
 * their own station, admins anyone; employers and supervisors never get this list. People who withdrew
 * consent (or never gave it) are never listed.
 */
import { and, desc, eq, exists, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { PositionMatch, SeekerCentre, SeekerMatch } from '$lib/matching/reasons';
import { zoneOffsetMinutes } from '$lib/time';

export type { PositionMatch, SeekerCentre, SeekerMatch };
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import type { Executor } from '../db';
import { applications, fairSignIns, jobFairs, organisations, positions, seekers, serviceRecords, stations } from '../db/schema';
import { conflict, forbidden, notFound } from '../errors';
import { inBoxSql } from '../geo-sql';
import { type SeekerSide, byFit, fit } from '../matching/fit';
import { id, parse } from '../validation';
import { type Position, loadPosition } from './positions';
import { seekerAtStation } from './seekers';

/** Boxes tried around the centre, in circle radii, until enough candidates are found. */
const BOX_STEPS = [1, 3, 10];
const MAX_BOX_M = 50_000;
/** Nearest positions scored per seeker (and half as many mentioning their words): enough to rank a dense circle. */
const CANDIDATES = 150;
/** Recent positions scanned (newest first) when a seeker has no centre at all: bounded, never the table. */
const NO_CENTRE_WINDOW = 5000;

/** The service zone's offset, worked out once an hour: Intl costs about half a millisecond a call, and China keeps one offset all year. */
let offsetMemo = { hour: -1, minutes: 0 };
function serviceOffset(now: Date) {
	const hour = Math.floor(now.getTime() / 3_600_000);
	if (offsetMemo.hour !== hour) offsetMemo = { hour, minutes: zoneOffsetMinutes(now) };
	return offsetMemo.minutes;
}

const forSeekerInput = z.object({
	seekerId: id,
	limit: z.number().int().min(1).max(50).default(10),
	/** The counter the person stands at: the centre when they have no home and registered nowhere. */
	stationId: id.optional()
});
const forPositionInput = z.object({
	positionId: id,
	limit: z.number().int().min(1).max(100).default(20),
	/** Only the people at this station (a station's page); staff are always held to their own. */
	stationId: id.optional()
});



/** Columns a candidate needs: enough to score and show it, not the description. */
const candidateColumns = {
	id: positions.id,
	title: positions.title,
	category: positions.category,
	kind: positions.kind,
	payMin: positions.payMin,
	payMax: positions.payMax,
	payUnit: positions.payUnit,
	headcount: positions.headcount,
	address: positions.address,
	lat: positions.lat,
	lng: positions.lng,
	startsAt: positions.startsAt,
	endsAt: positions.endsAt,
	publishedAt: positions.publishedAt,
	employerOrganisationId: positions.employerOrganisationId
};
type Candidate = Pick<Position, keyof typeof candidateColumns>;

/**
 * A literal, not a parameter: the partial index's predicate (state = 'open') must be provable from the
 * query text itself, also under a generic prepared plan.
 */
const isOpen = sql`${positions.state} = 'open'`;

/** `%` and `_` in a seeker's word are literal. */
const likeWord = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function mentions(words: string[]): SQL | undefined {
	if (!words.length) return undefined;
	return or(...words.flatMap((w) => [sql`${positions.category} ilike ${likeWord(w)}`, sql`${positions.title} ilike ${likeWord(w)}`]));
}

/** Nearest open positions inside a box `boxM` around the centre (squared equirectangular order: cheap, monotone enough). */
function nearest(db: Executor, c: { lat: number; lng: number }, boxM: number, take: number, also?: SQL) {
	const k = Math.cos((c.lat * Math.PI) / 180);
	return db
		.select(candidateColumns)
		.from(positions)
		.where(and(isOpen, inBoxSql(positions.lat, positions.lng, c, boxM), also))
		.orderBy(sql`power(${positions.lat} - ${c.lat}, 2) + power((${positions.lng} - ${c.lng}) * ${k}, 2)`)
		.limit(take);
}

/**
 * The newest open positions (positions_state_published_idx). With `patterns`, only those whose category or
 * title is like one of them, looked for among a bounded window of the newest: never the whole table.
 */
async function newest(db: Executor, take: number, patterns?: SQL): Promise<Candidate[]> {
	const recent = db.select(candidateColumns).from(positions).where(isOpen).orderBy(desc(positions.publishedAt), desc(positions.id));
	if (!patterns) return recent.limit(take);
	const window = recent.limit(NO_CENTRE_WINDOW).as('recent');
	return db
		.select()
		.from(window)
		.where(or(sql`${window.category} ilike any (${patterns})`, sql`${window.title} ilike any (${patterns})`))
		.limit(take);
}

/**
 * The candidates for one seeker: the nearest inside the circle's box, plus the nearest there that mention
 * their words (so a warehouse job at 2.5 km is not crowded out by thirty shops next door). Positions
 * outside the circle rank below every one inside, so the box widens only while it holds fewer than `need`
 * positions at all — and then it is a sparse area, where a wider box is still cheap. The newest open
 * positions fill in when even the widest box is nearly empty. A few hundred rows at most, each query on an
 * index.
 */
async function candidatesFor(db: Executor, seeker: SeekerSide, need: number, take: number): Promise<Candidate[]> {
	const words = [...new Set(seeker.words.map((w) => w.trim()).filter(Boolean))];
	if (!seeker.centre) {
		const pattern = words.length ? sql`array[${sql.join(words.map((w) => sql`${likeWord(w)}`), sql`, `)}]::text[]` : undefined;
		const [recent, worded] = await Promise.all([newest(db, take), pattern ? newest(db, take, pattern) : Promise.resolve([])]);
		return [...recent, ...worded];
	}
	const centre = seeker.centre;
	const boxes = BOX_STEPS.map((s) => Math.min(MAX_BOX_M, s * seeker.radiusM));
	const [first, worded] = await Promise.all([
		nearest(db, centre, boxes[0], take),
		words.length ? nearest(db, centre, boxes[0], Math.ceil(take / 2), mentions(words)) : Promise.resolve([])
	]);
	let near: Candidate[] = first;
	for (let i = 1; i < boxes.length && near.length < need && boxes[i] > boxes[i - 1]; i++) near = await nearest(db, centre, boxes[i], take);
	const fallback = near.length < need ? await newest(db, need) : [];
	return [...near, ...worded, ...fallback];
}

async function loadSeekerSide(db: Executor, seekerId: number) {
	const [row] = await db
		.select({ seeker: seekers, stationLat: stations.lat, stationLng: stations.lng })
		.from(seekers)
		.leftJoin(stations, eq(stations.id, seekers.registeredAtStationId))
		.where(eq(seekers.id, seekerId))
		.limit(1);
	return row ?? null;
}

/** The seeker themself, an admin, or staff of a station the person is at (others: not found, not a hint). */
async function mayMatchFor(db: Executor, actor: Actor, seekerId: number) {
	if (actor.kind === 'admin') return;
	if (actor.kind === 'seeker' && actor.seekerId === seekerId) return;
	if (actor.kind === 'staff') {
		if (await seekerAtStation(db, seekerId, actor.stationId)) return;
		throw notFound('seeker');
	}
	throw forbidden();
}

/** Home, else the station they registered at, else the counter they stand at; the radius is always theirs. */
async function centreOf(
	db: Executor,
	row: NonNullable<Awaited<ReturnType<typeof loadSeekerSide>>>,
	counter: number | undefined
): Promise<SeekerCentre | null> {
	const s = row.seeker;
	if (s.homeLat !== null && s.homeLng !== null) return { lat: s.homeLat, lng: s.homeLng, radiusM: s.radiusM, from: 'home' };
	if (row.stationLat !== null && row.stationLng !== null) return { lat: row.stationLat, lng: row.stationLng, radiusM: s.radiusM, from: 'registered_station' };
	if (counter) {
		const [st] = await db.select({ lat: stations.lat, lng: stations.lng }).from(stations).where(eq(stations.id, counter)).limit(1);
		if (st) return { lat: st.lat, lng: st.lng, radiusM: s.radiusM, from: 'counter' };
	}
	return null;
}

/** Open positions for one seeker, best first, each with its reasons and the seeker's application if any. */
export async function matchPositionsForSeeker(
	ctx: AppContext,
	actor: Actor,
	input: unknown
): Promise<{ centre: SeekerCentre | null; matches: PositionMatch[] }> {
	const { seekerId, limit, stationId } = parse(forSeekerInput, input);
	if (stationId && actor.kind === 'staff' && stationId !== actor.stationId) throw forbidden();
	await mayMatchFor(ctx.db, actor, seekerId);
	const row = await loadSeekerSide(ctx.db, seekerId);
	if (!row) throw notFound('seeker');
	// Without consent their preferences are not ours to use.
	if (!row.seeker.consentAt || row.seeker.consentWithdrawnAt) throw conflict('consent_withdrawn', 'This person withdrew consent');

	const centre = await centreOf(ctx.db, row, stationId ?? (actor.kind === 'staff' ? actor.stationId : undefined));
	const side: SeekerSide = {
		centre,
		radiusM: row.seeker.radiusM,
		words: [...row.seeker.wantedCategories, ...row.seeker.skills],
		oddJobDays: row.seeker.oddJobDays
	};
	const now = ctx.now();
	const offset = serviceOffset(now);
	const candidates = await candidatesFor(ctx.db, side, limit, CANDIDATES);

	const unique = new Map(candidates.map((c) => [c.id, c]));
	const ranked = [...unique.values()]
		.map((c) => ({ c, id: c.id, publishedAt: c.publishedAt, fit: fit(side, c, now, offset) }))
		.sort(byFit)
		.slice(0, limit);

	const ids = ranked.map((r) => r.id);
	const orgIds = [...new Set(ranked.map((r) => r.c.employerOrganisationId).filter((x): x is number => x !== null))];
	const [applied, orgs] = await Promise.all([
		ids.length
			? ctx.db
					.select({ applicationId: applications.id, positionId: applications.positionId, status: applications.status, channel: applications.channel })
					.from(applications)
					.where(and(eq(applications.seekerId, seekerId), inArray(applications.positionId, ids)))
			: Promise.resolve([]),
		orgIds.length ? ctx.db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, orgIds)) : Promise.resolve([])
	]);
	const applicationOf = new Map(applied.map((a) => [a.positionId, a]));
	const orgName = new Map(orgs.map((o) => [o.id, o.name]));

	return {
		centre,
		matches: ranked.map(({ c, fit: f }) => {
			const a = applicationOf.get(c.id);
			return {
				positionId: c.id,
				title: c.title,
				category: c.category,
				kind: c.kind,
				payMin: c.payMin,
				payMax: c.payMax,
				payUnit: c.payUnit,
				headcount: c.headcount,
				address: c.address,
				startsAt: c.startsAt?.toISOString() ?? null,
				endsAt: c.endsAt?.toISOString() ?? null,
				publishedAt: c.publishedAt?.toISOString() ?? null,
				employerName: c.employerOrganisationId ? (orgName.get(c.employerOrganisationId) ?? null) : null,
				score: Math.round(f.score * 1000) / 1000,
				reasons: f.reasons,
				application: a ? { applicationId: a.applicationId, status: a.status, channel: a.channel } : null
			};
		})
	};
}


/** Candidate seekers scanned per position: the newest people in scope, bounded. */
const SEEKER_WINDOW = 2000;

/**
 * Seekers who fit a position: inside their circle or matching their words, best first. Staff: only people
 * at their own station, for a position they can see (open, or their station's); admins: anyone, or the people of a
 * station they name. Only people whose consent stands.
 */
export async function matchSeekersForPosition(ctx: AppContext, actor: Actor, input: unknown): Promise<SeekerMatch[]> {
	const { positionId, limit, stationId: asked } = parse(forPositionInput, input);
	if (actor.kind !== 'staff' && actor.kind !== 'admin') throw forbidden();
	if (actor.kind === 'staff' && asked && asked !== actor.stationId) throw forbidden();
	const position = await loadPosition(ctx.db, positionId);
	if (actor.kind === 'staff' && position.state !== 'open' && position.stationId !== actor.stationId) throw notFound('position');

	const stationId = actor.kind === 'staff' ? actor.stationId : (asked ?? null);
	const atStation =
		stationId === null
			? undefined
			: or(
					eq(seekers.registeredAtStationId, stationId),
					exists(
						ctx.db
							.select({ one: sql`1` })
							.from(serviceRecords)
							.where(and(eq(serviceRecords.stationId, stationId), eq(serviceRecords.seekerId, seekers.id)))
					),
					exists(
						ctx.db
							.select({ one: sql`1` })
							.from(fairSignIns)
							.innerJoin(jobFairs, eq(jobFairs.id, fairSignIns.fairId))
							.where(and(eq(jobFairs.stationId, stationId), eq(fairSignIns.seekerId, seekers.id)))
					)
				);
	const rows = await ctx.db
		.select({ seeker: seekers, stationLat: stations.lat, stationLng: stations.lng })
		.from(seekers)
		.leftJoin(stations, eq(stations.id, seekers.registeredAtStationId))
		.where(and(isNotNull(seekers.consentAt), isNull(seekers.consentWithdrawnAt), atStation))
		.orderBy(desc(seekers.id))
		.limit(SEEKER_WINDOW);

	const now = ctx.now();
	const offset = serviceOffset(now);
	const fitting = rows
		.map((r) => {
			const s = r.seeker;
			const centre = s.homeLat !== null && s.homeLng !== null ? { lat: s.homeLat, lng: s.homeLng } : r.stationLat !== null && r.stationLng !== null ? { lat: r.stationLat, lng: r.stationLng } : null;
			const f = fit({ centre, radiusM: s.radiusM, words: [...s.wantedCategories, ...s.skills], oddJobDays: s.oddJobDays }, position, now, offset);
			return { s, id: s.id, publishedAt: null, fit: f };
		})
		// Fits: inside their circle, or their kind of work.
		.filter((r) => r.fit.reasons.inCircle || r.fit.reasons.matchedWord !== null)
		.sort(byFit)
		.slice(0, limit);

	const ids = fitting.map((r) => r.id);
	const applied = ids.length
		? await ctx.db
				.select({ applicationId: applications.id, seekerId: applications.seekerId, status: applications.status, channel: applications.channel })
				.from(applications)
				.where(and(eq(applications.positionId, position.id), inArray(applications.seekerId, ids)))
		: [];
	const applicationOf = new Map(applied.map((a) => [a.seekerId, a]));
	return fitting.map(({ s, fit: f }) => {
		const a = applicationOf.get(s.id);
		return {
			seekerId: s.id,
			name: s.name ?? '',
			phone: s.phone ?? '',
			keyGroups: s.keyGroups,
			score: Math.round(f.score * 1000) / 1000,
			reasons: f.reasons,
			application: a ? { applicationId: a.applicationId, status: a.status, channel: a.channel } : null
		};
	});
}
