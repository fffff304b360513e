/**
 * One line saying why something fits, in the reader's language, built from the server's reasons
 * (reasons.ts): "1.1 公里，符合“仓库”，周六有空" / "1.1 km, matches 'warehouse', free Saturday".
 */
import { m } from '$lib/paraglide/messages';
import type { MatchReasons } from './reasons';

const dayName = [m.match_day_0, m.match_day_1, m.match_day_2, m.match_day_3, m.match_day_4, m.match_day_5, m.match_day_6];

export function formatDistance(metres: number): string {
	// Under a kilometre in tens of metres; above it one decimal ("1.1 km"), as people say it.
	if (metres < 1000) return m.match_distance_m({ m: String(Math.max(10, Math.round(metres / 10) * 10)) });
	return m.match_distance_km({ km: (metres / 1000).toFixed(1) });
}

export function explainMatch(r: MatchReasons): string {
	const parts: string[] = [];
	if (r.distanceM !== null) parts.push(r.inCircle ? formatDistance(r.distanceM) : m.match_outside({ distance: formatDistance(r.distanceM) }));
	if (r.matchedWord) parts.push(m.match_word({ word: r.matchedWord }));
	if (r.freeDay !== null) parts.push(m.match_free_day({ day: dayName[r.freeDay]() }));
	if (r.busyDay !== null) parts.push(m.match_busy_day({ day: dayName[r.busyDay]() }));
	if (r.fresh) parts.push(m.match_fresh());
	return parts.join(m.match_separator());
}
