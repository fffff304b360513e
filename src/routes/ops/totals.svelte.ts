/**
 * The live figures the browser keeps for the filtered stations (how many, open now, people on site),
 * updated from each batch's changed stations instead of recounting 10,000 stations per frame; a full
 * recount happens only when the filters or the data change.
 */
import type { MapStations } from '$lib/components/map/types';
import type { OpsLiveStore } from '$lib/realtime/stores/ops.svelte';

export interface Totals {
	stations: number;
	open: number;
	onSite: number;
}

export class FilteredTotals {
	value = $state.raw<Totals>({ stations: 0, open: 0, onSite: 0 });
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup table, not view state
	#index = new Map<number, number>();
	/** What each station contributed at the last count; -1 occupancy: not counted (filtered out). */
	#occupancy: Int32Array;
	#open: Uint8Array;

	constructor(
		private readonly data: MapStations,
		private readonly store: OpsLiveStore
	) {
		const n = data.id.length;
		data.id.forEach((id, i) => this.#index.set(id, i));
		this.#occupancy = new Int32Array(n).fill(-1);
		this.#open = new Uint8Array(n);
	}

	/** Counts station `i` if it passes: records what it contributes and returns it (null: filtered out). */
	#take(i: number, pass: (i: number) => boolean) {
		if (!pass(i)) {
			this.#occupancy[i] = -1;
			return null;
		}
		const live = this.store.stations.get(this.data.id[i]);
		const occupancy = live?.occupancy ?? this.data.occupancy[i];
		const open = (live?.state ?? this.data.states[this.data.state[i]]) === 'open' ? 1 : 0;
		this.#occupancy[i] = occupancy;
		this.#open[i] = open;
		return { occupancy, open };
	}

	recount(pass: (i: number) => boolean) {
		const totals: Totals = { stations: 0, open: 0, onSite: 0 };
		for (let i = 0; i < this.data.id.length; i++) {
			const f = this.#take(i, pass);
			if (!f) continue;
			totals.stations++;
			totals.open += f.open;
			totals.onSite += f.occupancy;
		}
		this.value = totals;
	}

	/** Stations that changed since the last batch (null: all of them). */
	apply(changed: number[] | null, pass: (i: number) => boolean) {
		if (changed === null) return this.recount(pass);
		let { stations, open, onSite } = this.value;
		for (const id of changed) {
			const i = this.#index.get(id);
			if (i === undefined) continue;
			const was = this.#occupancy[i];
			if (was >= 0) {
				stations--;
				open -= this.#open[i];
				onSite -= was;
			}
			// A state filter can let a station in or out as it changes.
			const f = this.#take(i, pass);
			if (!f) continue;
			stations++;
			open += f.open;
			onSite += f.occupancy;
		}
		if (stations !== this.value.stations || open !== this.value.open || onSite !== this.value.onSite) this.value = { stations, open, onSite };
	}
}
