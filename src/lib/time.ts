/**
 * "Today" is the service's local day (stations are in China), not the server's: a server running in UTC
 * would otherwise roll "visits today" over at 08:00 Beijing time.
 */
export const SERVICE_TIME_ZONE = 'Asia/Shanghai';

/** Offset of a time zone from UTC at a given instant, in minutes (Asia/Shanghai: +480). */
export function zoneOffsetMinutes(at: Date, timeZone = SERVICE_TIME_ZONE): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	}).formatToParts(at);
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant the service day containing `at` began. */
export function startOfServiceDay(at: Date, timeZone = SERVICE_TIME_ZONE): Date {
	const offset = zoneOffsetMinutes(at, timeZone) * 60_000;
	const local = new Date(at.getTime() + offset);
	local.setUTCHours(0, 0, 0, 0);
	return new Date(local.getTime() - offset);
}

/** Month, day and time of an instant as people at the stations read it: in service time, in their language. */
export function formatServiceDateTime(at: Date | string, locale: string, timeZone = SERVICE_TIME_ZONE): string {
	return new Date(at).toLocaleString(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone });
}

/** Hours and minutes of an instant in service time (ticker lines, "since 10:42"). */
export function formatServiceTime(at: Date | string, locale: string, timeZone = SERVICE_TIME_ZONE): string {
	return new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
}

/** The service day an instant falls in, as `yyyy-mm-dd` (for file names, day keys and `<time datetime>`). */
export function serviceDateKey(at: Date, timeZone = SERVICE_TIME_ZONE): string {
	return new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000).toISOString().slice(0, 10);
}

/**
 * A form's `<input type="datetime-local">` value (`yyyy-mm-ddThh:mm`, no zone) read as service time, so a
 * fair "at 14:00" starts at 14:00 in Beijing whatever zone the server or the browser runs in. Anything else
 * gives an invalid Date, which the services' date check refuses with a field-named error.
 */
export function parseServiceLocal(value: string, timeZone = SERVICE_TIME_ZONE): Date {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
	if (!match) return new Date(Number.NaN);
	const [, y, mo, d, h, mi] = match.map(Number);
	const asUtc = Date.UTC(y, mo - 1, d, h, mi);
	return new Date(asUtc - zoneOffsetMinutes(new Date(asUtc), timeZone) * 60_000);
}

/** An instant as a `datetime-local` value in service time: the other half of parseServiceLocal. */
export function toServiceLocalInput(at: Date, timeZone = SERVICE_TIME_ZONE): string {
	return new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000).toISOString().slice(0, 16);
}
