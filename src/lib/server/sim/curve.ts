/** How busy stations are over the service day (Beijing time), as a share of capacity. */
import { zoneOffsetMinutes } from '$lib/time';

/** A morning peak, a lunch dip, an afternoon peak; a floor at night (rest stations for outdoor workers stay busy). */
export function dailyLoad(now: Date) {
	const h = ((now.getUTCHours() * 60 + now.getUTCMinutes() + zoneOffsetMinutes(now)) / 60) % 24;
	if (h < 7 || h > 20) return 0.2;
	const morning = Math.exp(-((h - 10) ** 2) / 3);
	const afternoon = Math.exp(-((h - 15) ** 2) / 4);
	return 0.25 + 0.5 * Math.max(morning, afternoon * 0.9);
}
