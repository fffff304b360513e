/**
 * Supervisor alerts as client and server see them (issue 3, item 5). Raised and cleared by the server's
 * alert engine, acknowledged by supervisors; carried by the `alert.*` events and the region snapshot.
 * Nothing here is personal data: titles are station, display, county or position labels.
 */
export const ALERT_KINDS = ['station_full', 'station_silent', 'display_offline', 'county_below_quota', 'review_overdue'] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

/** A type alias (not an interface) so it is a plain record for event payloads. */
export type AlertView = {
	id: number;
	kind: AlertKind;
	/** What the alert is about: `station:12`, `display:3`, `region:440106`, `position:99`. */
	subject: string;
	/** The region it belongs to (the station's, the display's station's, the county, the position's). */
	regionCode: string;
	stationId: number | null;
	/** Station name, display label, county name or position title. */
	title: string;
	/**
	 * Figures when raised: station_full `{occupancy, capacity}`, station_silent `{minutes, since}`,
	 * display_offline `{minutes, since, station}` (since the last heartbeat, or since it was registered;
	 * `station` is the station's name), county_below_quota `{stations, quota}`, review_overdue `{hours, since}`.
	 * `since` is the ISO instant the condition started, so views can keep counting after the raise.
	 */
	detail: Record<string, number | string>;
	/** ISO instant. */
	raisedAt: string;
	acknowledgedAt: string | null;
	/** The acknowledging user's display name. */
	acknowledgedBy: string | null;
};

/** Event types and payloads (`alert.raised` carries the whole AlertView). */
export const ALERT_EVENTS = { raised: 'alert.raised', cleared: 'alert.cleared', acknowledged: 'alert.acknowledged' } as const;

export type AlertClearedPayload = { alertId: number };

export type AlertAcknowledgedPayload = { alertId: number; acknowledgedAt: string; acknowledgedBy: string };

/** How bad: a full station or a dark screen needs someone now; the others can wait for the next round. */
export const alertSeverity: Record<AlertKind, 'bad' | 'warn'> = {
	station_full: 'bad',
	display_offline: 'bad',
	station_silent: 'warn',
	county_below_quota: 'warn',
	review_overdue: 'warn'
};
