/**
 * How well one position fits one seeker: a pure function used in both directions (positions for a seeker,
 * seekers for a position), so the two lists can never disagree about a pair.
 *
 * Ranking: inside the seeker's circle first (a hard tier), then one score mixing distance, category fit,
 * odd-job day fit and recency. The weights make a category match inside the circle beat any closer
 * position that does not match (what the counter staff expect: "warehouse work near you" before "a
 * restaurant next door"), while distance still orders positions that fit equally well.
 */
import { distanceM as metresBetween } from '$lib/geo';
import type { MatchReasons } from '$lib/matching/reasons';

export interface SeekerSide {
	centre: { lat: number; lng: number } | null;
	radiusM: number;
	/** Skills and wanted categories, as the seeker gave them. */
	words: string[];
	/** Weekdays (0 = Sunday) free for odd jobs; empty = not said. */
	oddJobDays: number[];
}

export interface PositionSide {
	lat: number;
	lng: number;
	title: string;
	category: string;
	kind: string;
	startsAt: Date | null;
	publishedAt: Date | null;
}

export interface Fit {
	score: number;
	reasons: MatchReasons;
}

const W_DISTANCE = 3;
const W_CATEGORY = 3;
const W_DAY = 1.5;
const W_RECENCY = 1;
const DAY_MS = 86_400_000;
/** Recency halves about every ten days. */
const RECENCY_DAYS = 14;
const FRESH_MS = 2 * DAY_MS;

/** The seeker's word that fits best: the category itself, then a word inside the category, then the title. */
export function matchWord(words: string[], category: string, title: string): { word: string; on: 'category' | 'title'; weight: number } | null {
	const cat = category.toLowerCase();
	const tit = title.toLowerCase();
	let best: { word: string; on: 'category' | 'title'; weight: number } | null = null;
	for (const word of words) {
		const w = word.trim().toLowerCase();
		if (!w) continue;
		const weight = w === cat ? 1 : cat.includes(w) || (w.length >= 2 && w.includes(cat)) ? 0.8 : tit.includes(w) ? 0.7 : 0;
		if (weight > (best?.weight ?? 0)) best = { word: word.trim(), on: weight === 0.7 ? 'title' : 'category', weight };
		if (weight === 1) break;
	}
	return best;
}

/**
 * The weekday of an instant in service time. `offsetMinutes` is the service zone's offset (China keeps one
 * offset all year), worked out once per request rather than through Intl for every candidate.
 */
export function serviceWeekday(at: Date, offsetMinutes: number) {
	return new Date(at.getTime() + offsetMinutes * 60_000).getUTCDay();
}

export function fit(seeker: SeekerSide, position: PositionSide, now: Date, offsetMinutes: number): Fit {
	const distanceM = seeker.centre ? metresBetween(seeker.centre.lat, seeker.centre.lng, position.lat, position.lng) : null;
	const inCircle = distanceM !== null && distanceM <= seeker.radiusM;
	// Inside: 1 at the centre down to 0.5 at the edge; outside: falling on from 0.5 with distance.
	const near = distanceM === null ? 0 : inCircle ? 1 - (0.5 * distanceM) / seeker.radiusM : (0.5 * seeker.radiusM) / distanceM;

	const word = matchWord(seeker.words, position.category, position.title);

	let freeDay: number | null = null;
	let busyDay: number | null = null;
	if (position.kind === 'odd_job' && position.startsAt && seeker.oddJobDays.length) {
		const day = serviceWeekday(position.startsAt, offsetMinutes);
		if (seeker.oddJobDays.includes(day)) freeDay = day;
		else busyDay = day;
	}
	const dayFit = freeDay !== null ? 1 : busyDay !== null ? -1 : 0;

	const ageMs = position.publishedAt ? Math.max(0, now.getTime() - position.publishedAt.getTime()) : Infinity;
	const recency = Number.isFinite(ageMs) ? Math.exp(-ageMs / (RECENCY_DAYS * DAY_MS)) : 0;

	return {
		score: W_DISTANCE * near + W_CATEGORY * (word?.weight ?? 0) + W_DAY * dayFit + W_RECENCY * recency,
		reasons: {
			distanceM: distanceM === null ? null : Math.round(distanceM),
			inCircle,
			matchedWord: word?.word ?? null,
			matchedOn: word?.on ?? null,
			freeDay,
			busyDay,
			fresh: ageMs <= FRESH_MS
		}
	};
}

/** Circle first, then score, then newest and highest id: the same pair always lands in the same place. */
export function byFit(a: { fit: Fit; publishedAt: Date | null; id: number }, b: { fit: Fit; publishedAt: Date | null; id: number }) {
	return (
		Number(b.fit.reasons.inCircle) - Number(a.fit.reasons.inCircle) ||
		b.fit.score - a.fit.score ||
		(b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0) ||
		b.id - a.id
	);
}
