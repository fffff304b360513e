/** What each seeding phase shares: the transaction, the PRNG, the clock and the rows made so far. */
import type { Tx } from '../index';
import type { organisations, positions, seekers, stations, users } from '../schema';
import type { Random } from './random';

export interface SeedSize {
	stations: number;
	employers: number;
	positions: number;
	seekers: number;
	applications: number;
	serviceRecords: number;
}

export const DEMO_SIZE: SeedSize = { stations: 320, employers: 150, positions: 5500, seekers: 2000, applications: 3000, serviceRecords: 3000 };

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type Organisation = typeof organisations.$inferSelect;
export type Station = typeof stations.$inferSelect;
export type Seeker = typeof seekers.$inferSelect;
export type User = typeof users.$inferSelect;
export type Position = typeof positions.$inferSelect;

export interface Community {
	code: string;
	zh: string;
	streetZh: string;
	lat: number;
	lng: number;
}

export interface County {
	code: string;
	zh: string;
	en: string;
	cityZh: string;
	lat: number;
	lng: number;
	/** Share of the city's weight: how many stations it gets. */
	weight: number;
	quota: number;
	communities: Community[];
}

export interface Seeding {
	tx: Tx;
	rnd: Random;
	size: SeedSize;
	now: Date;
	/** Start of the service day (Asia/Shanghai). */
	today: Date;
	passwordHash: string;
}
