/**
 * The ops page's live totals: kept from each batch's changed stations, they must always equal a full
 * recount over the same filters — including stations a state filter lets in or out as they change.
 */
import { describe, expect, it } from 'vitest';
import type { MapStations } from '../../src/lib/components/map/types';
import type { OpsLiveStore, StationLive } from '../../src/lib/realtime/stores/ops.svelte';
import { stationPass } from '../../src/routes/ops/filter';
import { FilteredTotals } from '../../src/routes/ops/totals.svelte';

const data: MapStations = {
	cursor: 0,
	kinds: ['community', 'mobile'],
	states: ['open', 'closed', 'offline'],
	organisations: { 1: 'HR' },
	id: [10, 11, 12, 13],
	name: ['a', 'b', 'c', 'd'],
	kind: [0, 1, 0, 0],
	lead: [1, 1, 1, 1],
	region: ['440106', '440106', '440305', '440106'],
	lat: [23, 23, 22.5, 23],
	lng: [113, 113, 114, 113],
	radius: [1200, 1200, 1200, 1200],
	capacity: [10, 10, 10, 10],
	occupancy: [1, 2, 3, 4],
	state: [0, 0, 0, 1],
	openPositions: [0, 0, 0, 0],
	visitsToday: [0, 0, 0, 0]
};

/** Just the part of the store the totals read: live figures by station id. */
function liveStations() {
	const stations = new Map<number, StationLive>();
	return { store: { stations } as unknown as OpsLiveStore, stations };
}

const filters = (over: Partial<{ region: string; kind: string; org: string; state: string }> = {}) => ({ region: '', kind: '', org: '', state: '', ...over });

describe('FilteredTotals', () => {
	it('counts what passes the filters', () => {
		const { store } = liveStations();
		const totals = new FilteredTotals(data, store);
		totals.recount(stationPass(filters(), data, () => undefined));
		expect(totals.value).toEqual({ stations: 4, open: 3, onSite: 10 });
		totals.recount(stationPass(filters({ region: '440106', kind: 'community' }), data, () => undefined));
		expect(totals.value).toEqual({ stations: 2, open: 1, onSite: 5 });
	});

	it('follows changed stations and always equals a recount, state filter included', () => {
		const { store, stations } = liveStations();
		const liveState = (id: number) => stations.get(id)?.state;
		const pass = stationPass(filters({ state: 'open' }), data, liveState);
		const totals = new FilteredTotals(data, store);
		totals.recount(pass);
		expect(totals.value).toEqual({ stations: 3, open: 3, onSite: 6 });

		const steps: StationLive[] = [
			{ id: 10, state: 'open', occupancy: 7, capacity: 10 },
			{ id: 13, state: 'open', occupancy: 4, capacity: 10 },
			{ id: 11, state: 'offline', occupancy: 0, capacity: 10 },
			{ id: 10, state: 'open', occupancy: 6, capacity: 10 }
		];
		for (const step of steps) {
			stations.set(step.id, step);
			totals.apply([step.id], pass);
			const fresh = new FilteredTotals(data, store);
			fresh.recount(pass);
			expect(totals.value).toEqual(fresh.value);
		}
		expect(totals.value).toEqual({ stations: 3, open: 3, onSite: 13 });
	});
});
