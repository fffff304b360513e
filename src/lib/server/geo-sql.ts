/** The SQL twin of `$lib/geo`: the same haversine and bounding box, for queries over lat/lng columns. */
import { type SQL, type SQLWrapper, and, sql } from 'drizzle-orm';
import { EARTH_RADIUS_M, degreesAround } from '$lib/geo';

type Coordinate = SQLWrapper | number;

/** Great-circle distance in metres between two points, each a column, an expression or a number. */
export function distanceSql(lat1: Coordinate, lng1: Coordinate, lat2: Coordinate, lng2: Coordinate): SQL<number> {
	// least(1, …): rounding can push the argument of asin a hair above 1 for antipodal points.
	return sql<number>`(2 * ${sql.raw(String(EARTH_RADIUS_M))} * asin(least(1, sqrt(
		power(sin(radians(${lat2} - ${lat1}) / 2), 2)
		+ cos(radians(${lat1})) * cos(radians(${lat2})) * power(sin(radians(${lng2} - ${lng1}) / 2), 2)))))`;
}

/** Rows whose (lat, lng) columns lie in the box of `metres` around a known point: uses a (lat, lng) index. */
export function inBoxSql(lat: SQLWrapper, lng: SQLWrapper, centre: { lat: number; lng: number }, metres: number): SQL {
	const { dLat, dLng } = degreesAround(centre.lat, metres);
	return and(sql`${lat} between ${centre.lat - dLat} and ${centre.lat + dLat}`, sql`${lng} between ${centre.lng - dLng} and ${centre.lng + dLng}`)!;
}
