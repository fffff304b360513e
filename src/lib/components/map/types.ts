/** The stations the supervisor's map shows, column by column (see queries/ops.ts opsMapStations). */
export interface MapStations {
	/** Event id the figures are as of. */
	cursor: number;
	kinds: readonly string[];
	states: readonly string[];
	organisations: Record<string, string>;
	id: number[];
	name: string[];
	/** Index into `kinds`. */
	kind: number[];
	lead: number[];
	region: string[];
	lat: number[];
	lng: number[];
	radius: number[];
	capacity: number[];
	occupancy: number[];
	/** Index into `states`. */
	state: number[];
	openPositions: number[];
	visitsToday: number[];
}

export interface RegionLabel {
	code: string;
	level: 'province' | 'city' | 'county' | 'street' | 'community';
	nameZh: string;
	nameEn: string;
	lat: number;
	lng: number;
}
