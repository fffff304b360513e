/**
 * When each kind of alert should be open, as one query per kind: "which subjects are in alarm now",
 * over everything (the sweep) or over a few keys (after an event, and the re-check under the subject lock).
 * Titles and details are labels and figures only, never personal data. Time-based details carry `since`
 * (the instant the condition started) besides the figure at raise time, so a view can count on.
 */
import { and, eq, gt, gte, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import type { AlertKind } from '$lib/alerts';
import { config } from '../config';
import type { Executor } from '../db';
import { displays, positions, regions, stations } from '../db/schema';
import type { AlertCondition } from '../services/alerts';

export interface AlertSettings {
	/** An open station with no activity for this long is silent. */
	silentMinutes: number;
	/** Displays beat this often; two missed beats make one offline. */
	heartbeatSeconds: number;
	/** A position pending review longer than this is overdue. */
	reviewHours: number;
}

export function alertSettings(overrides: Partial<AlertSettings> = {}): AlertSettings {
	return {
		silentMinutes: config.alertSilentMinutes,
		heartbeatSeconds: config.displayHeartbeatSeconds,
		reviewHours: config.alertReviewHours,
		...overrides
	};
}

export interface AlertRule<K extends number | string = number | string> {
	kind: AlertKind;
	subject(key: K): string;
	keyOf(subject: string): K;
	/** Conditions true at `now` (only for `keys` when given). */
	find(db: Executor, now: Date, settings: AlertSettings, keys?: K[]): Promise<AlertCondition[]>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** County codes are the first six digits of every code below them (topics.ts REGION_CODE_LENGTHS). */
const COUNTY_CODE_LENGTH = 6;

const numericKey = (prefix: string) => ({
	subject: (key: number) => `${prefix}:${key}`,
	keyOf: (subject: string) => Number(subject.slice(prefix.length + 1))
});

const stationFull: AlertRule<number> = {
	kind: 'station_full',
	...numericKey('station'),
	async find(db, _now, _settings, keys) {
		const rows = await db
			.select({ id: stations.id, name: stations.name, regionCode: stations.regionCode, occupancy: stations.occupancy, capacity: stations.capacity })
			.from(stations)
			.where(and(gte(stations.occupancy, stations.capacity), keys ? inArray(stations.id, keys) : undefined));
		return rows.map((s) => ({
			kind: 'station_full',
			subject: `station:${s.id}`,
			regionCode: s.regionCode,
			stationId: s.id,
			title: s.name,
			detail: { occupancy: s.occupancy, capacity: s.capacity }
		}));
	}
};

const stationSilent: AlertRule<number> = {
	kind: 'station_silent',
	...numericKey('station'),
	async find(db, now, settings, keys) {
		const before = new Date(now.getTime() - settings.silentMinutes * MINUTE);
		const rows = await db
			.select({ id: stations.id, name: stations.name, regionCode: stations.regionCode, lastActivityAt: stations.lastActivityAt })
			.from(stations)
			.where(and(eq(stations.state, 'open'), lte(stations.lastActivityAt, before), keys ? inArray(stations.id, keys) : undefined));
		return rows.map((s) => ({
			kind: 'station_silent',
			subject: `station:${s.id}`,
			regionCode: s.regionCode,
			stationId: s.id,
			title: s.name,
			detail: { minutes: Math.floor((now.getTime() - s.lastActivityAt.getTime()) / MINUTE), since: s.lastActivityAt.toISOString() }
		}));
	}
};

const displayOffline: AlertRule<number> = {
	kind: 'display_offline',
	...numericKey('display'),
	async find(db, now, settings, keys) {
		const before = new Date(now.getTime() - 2 * settings.heartbeatSeconds * 1000);
		// A display that never beat counts from when it was registered.
		const lastSign = sql<Date>`coalesce(${displays.lastHeartbeatAt}, ${displays.createdAt})`.mapWith(displays.createdAt);
		const rows = await db
			.select({ id: displays.id, label: displays.label, lastSign, stationId: stations.id, stationName: stations.name, regionCode: stations.regionCode })
			.from(displays)
			.innerJoin(stations, eq(stations.id, displays.stationId))
			.where(and(isNull(displays.revokedAt), sql`${lastSign} < ${before.toISOString()}::timestamptz`, keys ? inArray(displays.id, keys) : undefined));
		return rows.map((d) => ({
			kind: 'display_offline',
			subject: `display:${d.id}`,
			regionCode: d.regionCode,
			stationId: d.stationId,
			title: d.label,
			detail: { minutes: Math.floor((now.getTime() - d.lastSign.getTime()) / MINUTE), since: d.lastSign.toISOString(), station: d.stationName }
		}));
	}
};

const countyBelowQuota: AlertRule<string> = {
	kind: 'county_below_quota',
	subject: (code) => `region:${code}`,
	keyOf: (subject) => subject.slice('region:'.length),
	async find(db, _now, _settings, keys) {
		// A literal length, not a parameter: GROUP BY must see the same expression as the select list.
		const county = sql<string>`left(${stations.regionCode}, ${sql.raw(String(COUNTY_CODE_LENGTH))})`;
		const counts = db
			.select({ county: county.as('county'), n: sql<number>`count(*)::int`.as('n') })
			.from(stations)
			.where(and(ne(stations.state, 'offline'), keys ? inArray(county, keys) : undefined))
			.groupBy(county)
			.as('counts');
		const n = sql<number>`coalesce(${counts.n}, 0)`.mapWith(Number);
		const rows = await db
			.select({ code: regions.code, name: regions.nameZh, quota: regions.stationQuota, n })
			.from(regions)
			.leftJoin(counts, eq(counts.county, regions.code))
			.where(and(eq(regions.level, 'county'), gt(regions.stationQuota, 0), sql`${n} < ${regions.stationQuota}`, keys ? inArray(regions.code, keys) : undefined));
		return rows.map((r) => ({
			kind: 'county_below_quota',
			subject: `region:${r.code}`,
			regionCode: r.code,
			stationId: null,
			title: r.name,
			detail: { stations: r.n, quota: r.quota ?? 0 }
		}));
	}
};

const reviewOverdue: AlertRule<number> = {
	kind: 'review_overdue',
	...numericKey('position'),
	async find(db, now, settings, keys) {
		const before = new Date(now.getTime() - settings.reviewHours * HOUR);
		const rows = await db
			.select({ id: positions.id, title: positions.title, regionCode: positions.regionCode, stationId: positions.stationId, submittedAt: positions.submittedAt })
			.from(positions)
			.where(and(eq(positions.state, 'pending_review'), lte(positions.submittedAt, before), keys ? inArray(positions.id, keys) : undefined));
		return rows.map((p) => ({
			kind: 'review_overdue',
			subject: `position:${p.id}`,
			regionCode: p.regionCode,
			stationId: p.stationId,
			title: p.title,
			detail: { hours: Math.floor((now.getTime() - p.submittedAt!.getTime()) / HOUR), since: p.submittedAt!.toISOString() }
		}));
	}
};

export const alertRules = {
	station_full: stationFull,
	station_silent: stationSilent,
	display_offline: displayOffline,
	county_below_quota: countyBelowQuota,
	review_overdue: reviewOverdue
} satisfies Record<AlertKind, AlertRule<number> | AlertRule<string>>;
