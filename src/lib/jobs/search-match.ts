/**
 * Would the /jobs search on screen list this position? The same filters as listOpenPositions (kind,
 * category, words in the title, pay reaching the floor, inside the circle), applied in the browser to a
 * live `position.*` event so the page can say "new positions match" without asking the server each time.
 */
import { distanceM } from '$lib/geo';

export interface SearchFilters {
	kind?: string;
	category?: string;
	q?: string;
	pay?: number;
}

export interface Circle {
	lat: number;
	lng: number;
	radiusM: number;
}

export interface PositionFacts {
	state?: string;
	kind?: string;
	category?: string;
	title?: string;
	payMax?: number;
	lat?: number;
	lng?: number;
}

export function matchesSearch(p: PositionFacts, search: SearchFilters, circle: Circle | null): boolean {
	if (p.state !== 'open') return false;
	if (search.kind && p.kind !== search.kind) return false;
	if (search.category && p.category !== search.category) return false;
	if (search.q && !(p.title ?? '').toLowerCase().includes(search.q.toLowerCase())) return false;
	if (search.pay !== undefined && !((p.payMax ?? -1) >= search.pay)) return false;
	if (circle) {
		if (typeof p.lat !== 'number' || typeof p.lng !== 'number') return false;
		if (distanceM(circle.lat, circle.lng, p.lat, p.lng) > circle.radiusM) return false;
	}
	return true;
}
