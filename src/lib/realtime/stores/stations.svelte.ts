/**
 * Live station figures (occupancy, capacity, state) for one station (the region-wide view is ops.svelte.ts).
 * Events carry absolute values (occupancy after the change), so applying one twice could not drift;
 * the feed still applies each id once.
 */
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

/** Applies a station-related event to a map of stations. */
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
