/** Great-circle distance in metres (the same haversine the server's queries use), for browser-side filters. */
export function distanceM(aLat: number, aLng: number, bLat: number, bLng: number) {
	const rad = Math.PI / 180;
	const h = Math.sin(((bLat - aLat) * rad) / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(((bLng - aLng) * rad) / 2) ** 2;
	return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
