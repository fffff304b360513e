/**
 * Distances on the map, the one formula everywhere: haversine on a sphere (no PostGIS). The server's SQL
 * twin is `src/lib/server/geo-sql.ts`; browser-side filters (boards, job search) use this one, so both
 * sides agree on who is inside a circle.
 */
export const EARTH_RADIUS_M = 6_371_000;
/** Metres per degree of latitude. */
export const METRES_PER_DEGREE = 111_320;

/** Great-circle distance in metres. */
export function distanceM(aLat: number, aLng: number, bLat: number, bLng: number) {
	const rad = Math.PI / 180;
	const h = Math.sin(((bLat - aLat) * rad) / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(((bLng - aLng) * rad) / 2) ** 2;
	// min(1, …): rounding can push the argument a hair above 1 for antipodal points.
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Half-sides in degrees of the box of `metres` around a point at `lat`: the index-friendly prefilter. */
export function degreesAround(lat: number, metres: number) {
	// A degree of longitude shrinks with cos(latitude); the floor keeps the box finite near the poles.
	return { dLat: metres / METRES_PER_DEGREE, dLng: metres / (METRES_PER_DEGREE * Math.max(Math.cos((lat * Math.PI) / 180), 0.01)) };
}
