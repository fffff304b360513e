/**
 * Live station figures (occupancy, capacity, state) for one station or every station of a region.
 * Events carry absolute values (occupancy after the change), so applying one twice could not drift;
 * the feed still applies each id once.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { RealtimeConnection } from '../connection.svelte';
import type { FeedHandler, TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

export interface StationLive {
	id: number;
	state: 'open' | 'closed' | 'offline';
	occupancy: number;
	capacity: number;
}

interface StationEventPayload {
	stationId?: number;
	occupancy?: number;
	capacity?: number;
	state?: StationLive['state'];
}

/** Applies station-related events to a map of stations. Shared by the one-station and region stores. */
function applyStationEvent(stations: Map<number, StationLive>, event: LiveEvent): StationLive | null {
	const p = event.payload as StationEventPayload;
	if (typeof p.stationId !== 'number') return null;
	const current = stations.get(p.stationId);
	if (!current) return null;
	const next = { ...current };
	if (typeof p.occupancy === 'number') next.occupancy = p.occupancy;
	if (typeof p.capacity === 'number') next.capacity = p.capacity;
	if (p.state) next.state = p.state;
	stations.set(next.id, next);
	return next;
}

export class StationLiveStore implements FeedHandler {
	station = $state<StationLive | null>(null);
	visitsToday = $state(0);
	readonly feed: TopicFeed;

	constructor(connection: RealtimeConnection, stationId: number) {
		this.feed = connection.subscribe(topic.station(stationId), this);
	}

	snapshot(snapshot: unknown) {
		const s = snapshot as { station: StationLive | null; visitsToday: number };
		this.station = s.station;
		this.visitsToday = s.visitsToday;
	}

	event(event: LiveEvent) {
		if (!this.station) return;
		// A throwaway one-entry map so both stores share applyStationEvent.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const map = new Map([[this.station.id, this.station]]);
		const next = applyStationEvent(map, event);
		if (next) this.station = next;
		if (event.type === 'visit.checked_in') this.visitsToday++;
	}
}

export class RegionLiveStore implements FeedHandler {
	/** Station id → live figures; fine-grained: one event touches one entry, not the whole map. */
	readonly stations = new SvelteMap<number, StationLive>();
	readonly feed: TopicFeed;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, not view state
	#listeners = new Set<(changed: StationLive) => void>();

	constructor(connection: RealtimeConnection, regionCode: string) {
		this.feed = connection.subscribe(topic.region(regionCode), this);
	}

	get peopleOnSite() {
		let n = 0;
		for (const s of this.stations.values()) n += s.occupancy;
		return n;
	}

	/** Per-station change notifications, for views that update one marker rather than re-rendering all. */
	onChange(listener: (changed: StationLive) => void) {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	snapshot(snapshot: unknown) {
		const s = snapshot as { stations: StationLive[] };
		this.stations.clear();
		for (const station of s.stations) this.stations.set(station.id, station);
	}

	event(event: LiveEvent) {
		const next = applyStationEvent(this.stations, event);
		if (!next) return;
		for (const listener of this.#listeners) listener(next);
	}
}
