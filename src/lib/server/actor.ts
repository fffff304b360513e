/**
 * Who is acting. Every service function takes one and checks its scope (DESIGN.md "Security").
 * A supervisor's scope is a region code prefix: region codes nest, so 4401 covers 440106 and below.
 */
export type Actor =
	| { kind: 'admin'; userId: number }
	| { kind: 'supervisor'; userId: number; regionCode: string }
	| { kind: 'staff'; userId: number; stationId: number }
	| { kind: 'employer'; userId: number; organisationId: number }
	| { kind: 'seeker'; userId: number; seekerId: number }
	| { kind: 'display'; displayId: number; stationId: number }
	| { kind: 'anonymous' };

export const anonymous: Actor = { kind: 'anonymous' };

export function regionCovers(scope: string, regionCode: string) {
	return regionCode.startsWith(scope);
}

/** Can this actor act on (or read the private side of) a station in this region? */
export function coversStation(actor: Actor, station: { id: number; regionCode: string }) {
	switch (actor.kind) {
		case 'admin':
			return true;
		case 'supervisor':
			return regionCovers(actor.regionCode, station.regionCode);
		case 'staff':
			return actor.stationId === station.id;
		default:
			return false;
	}
}
