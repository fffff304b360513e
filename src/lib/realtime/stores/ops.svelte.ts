/**
 * Everything live on the supervisor's dashboard, fed by the region topics in scope: station figures for
 * the map and tiles, the activity ticker, and a signal that the server-side numbers have moved.
 *
 * A province's stream can carry hundreds of occupancy events a second. Applying each one to reactive
 * state would re-render per event, so events land in plain maps and are announced in batches, on an
 * animation frame, at most every BATCH_GAP_MS: views read `version`, the map gets the list of stations
 * that changed since the last batch. Painting 60 times a second would cost more main-thread time than
 * the data; a fifth of a second is still well inside "on screen within half a second".
 */
import type { RealtimeConnection } from '../connection.svelte';
import type { FeedHandler, TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';
import { type TickerItem, tickerItemOf } from '../ticker';

export interface StationLive {
	id: number;
	state: 'open' | 'closed' | 'offline';
	occupancy: number;
	capacity: number;
}

interface StationPayload {
	stationId?: number;
	occupancy?: number;
	capacity?: number;
	state?: StationLive['state'];
}

/** Per-frame batch: which stations changed (null: all of them, after a snapshot) and the last event applied. */
export type BatchListener = (changed: number[] | null, lastEventId: number) => void;

/** Another handler on the same region feed (e.g. alerts): gets the snapshot and may claim events. */
export interface RegionSidecar {
	snapshot(snapshot: unknown): void;
	/** True when it handled the event (then the store ignores it). */
	event(event: LiveEvent): boolean;
}

const TICKER_LENGTH = 30;
const BATCH_GAP_MS = 200;
/** Events whose effects the dashboard's server-side numbers and charts include. */
const SUMMARY_TYPES = /^(visit|position|application|service|room|fair|station)\./;

/* eslint-disable svelte/prefer-svelte-reactivity -- plain on purpose: changes are announced per frame through `version` */
export class OpsLiveStore {
	/** Bumped once per animation frame in which something changed. */
	version = $state(0);
	/** Newest first, bounded. */
	ticker = $state.raw<TickerItem[]>([]);
	readonly stations = new Map<number, StationLive>();
	/** Check-ins seen live per station, on top of the counts the map data was loaded with. */
	readonly checkInsSince = new Map<number, number>();
	readonly feeds: TopicFeed[];
	lastEventId = 0;
	/** Check-ins up to this event id are already in the map data's counts. */
	#countCheckInsAfter = 0;
	#changed = new Set<number>();
	#changedAll = false;
	#frame: number | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#lastFlush = 0;
	#listeners = new Set<BatchListener>();
	#summaryListeners = new Set<(event: LiveEvent) => void>();

	constructor(connection: RealtimeConnection, regionCodes: string[], sidecars: (code: string) => RegionSidecar | null = () => null) {
		this.feeds = regionCodes.map((code) => connection.subscribe(topic.region(code), this.#handlerFor(sidecars(code))));
	}

	get synced() {
		return this.feeds.length > 0 && this.feeds.every((f) => f.status === 'live');
	}

	/** The map data arrived, counted up to `cursor`: count live check-ins from there. */
	countCheckInsAfter(cursor: number) {
		this.#countCheckInsAfter = cursor;
		this.checkInsSince.clear();
	}

	/** Called once per frame with the stations that changed. */
	onBatch(listener: BatchListener) {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Called for each event that moves a server-side figure (numbers, charts). */
	onSummaryEvent(listener: (event: LiveEvent) => void) {
		this.#summaryListeners.add(listener);
		return () => this.#summaryListeners.delete(listener);
	}

	#handlerFor(sidecar: RegionSidecar | null): FeedHandler {
		return {
			snapshot: (snapshot) => {
				const s = snapshot as { stations: StationLive[] };
				for (const station of s.stations) this.stations.set(station.id, station);
				sidecar?.snapshot(snapshot);
				this.#changedAll = true;
				this.#schedule();
			},
			event: (event) => {
				this.lastEventId = Math.max(this.lastEventId, event.id);
				if (sidecar?.event(event)) return this.#schedule();
				this.#applyStation(event);
				const item = tickerItemOf(event);
				if (item) this.ticker = [item, ...this.ticker].slice(0, TICKER_LENGTH);
				if (SUMMARY_TYPES.test(event.type)) for (const listener of this.#summaryListeners) listener(event);
				this.#schedule();
			}
		};
	}

	#applyStation(event: LiveEvent) {
		const p = event.payload as StationPayload;
		if (typeof p.stationId !== 'number' || !/^(station|visit)\./.test(event.type)) return;
		const current = this.stations.get(p.stationId);
		if (!current) return;
		const next = { ...current };
		if (typeof p.occupancy === 'number') next.occupancy = p.occupancy;
		if (typeof p.capacity === 'number') next.capacity = p.capacity;
		if (p.state) next.state = p.state;
		this.stations.set(next.id, next);
		if (event.type === 'visit.checked_in' && event.id > this.#countCheckInsAfter) this.checkInsSince.set(next.id, (this.checkInsSince.get(next.id) ?? 0) + 1);
		this.#changed.add(next.id);
	}

	#schedule() {
		if (this.#frame !== null || this.#timer !== null) return;
		const frame = () => {
			this.#timer = null;
			// A hidden tab gets no frames: flush on the timer alone.
			if (typeof requestAnimationFrame !== 'function' || document.hidden) return this.#flush();
			this.#frame = requestAnimationFrame(() => this.#flush());
		};
		const wait = this.#lastFlush + BATCH_GAP_MS - performance.now();
		if (wait > 0) this.#timer = setTimeout(frame, wait);
		else frame();
	}

	#flush() {
		this.#frame = null;
		this.#lastFlush = performance.now();
		const changed = this.#changedAll ? null : [...this.#changed];
		this.#changed.clear();
		this.#changedAll = false;
		this.version++;
		for (const listener of this.#listeners) listener(changed, this.lastEventId);
	}

	close() {
		if (this.#frame !== null) cancelAnimationFrame(this.#frame);
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#listeners.clear();
		this.#summaryListeners.clear();
	}
}
