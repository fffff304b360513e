/** The dashboard filters as the browser applies them to the map data (the server applies the same to its figures). */
import type { MapStations } from '$lib/components/map/types';

export interface OpsFilterValues {
	region: string;
	kind: string;
	org: string;
	state: string;
}

export function stationPass(f: OpsFilterValues, data: MapStations, liveState: (id: number) => string | undefined): (i: number) => boolean {
	const kind = f.kind ? data.kinds.indexOf(f.kind) : -1;
	const org = f.org ? Number(f.org) : 0;
	return (i) =>
		(!f.region || data.region[i].startsWith(f.region)) &&
		(kind < 0 || data.kind[i] === kind) &&
		(!org || data.lead[i] === org) &&
		(!f.state || (liveState(data.id[i]) ?? data.states[data.state[i]]) === f.state);
}

/** `?region=…&kind=…` with empty filters left out, so URLs stay short and shareable. */
export function filterQuery(f: OpsFilterValues): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(f)) if (value) params.set(key, value);
	const query = params.toString();
	return query ? `?${query}` : '';
}
