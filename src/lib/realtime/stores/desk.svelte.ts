/**
 * The counter console's live figures: occupancy, state, today's visits and today's services by kind.
 *
 * It starts from the page's own snapshot (queries/desk.ts) and follows the station topic from that
 * snapshot's event id, so a tap recorded between page load and subscription is neither lost nor counted
 * twice. Services are kept as "page data up to cursor C" plus "events after C": when fresh page data arrives
 * (`rebase`), events it already includes are dropped. If the server can only offer a fresh snapshot (the
 * socket was away too long), the station figures come from it and `onStale` asks the page to reload the rest.
 */
import type { serviceKindLabel } from '$lib/i18n/labels';
import type { RealtimeConnection } from '../connection.svelte';
import type { FeedHandler, TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';
import type { StationLive } from './stations.svelte';

export type ServiceKind = keyof typeof serviceKindLabel;

export interface DeskService {
	id: number;
	kind: ServiceKind;
	at: string;
}

export interface DeskBase {
	station: StationLive;
	visitsToday: number;
	servicesByKind: Partial<Record<ServiceKind, number>>;
	recentServices: DeskService[];
	/** The newest event id the figures above include. */
	cursor: number;
}

interface DeskPayload {
	stationId?: number;
	occupancy?: number;
	capacity?: number;
	state?: StationLive['state'];
	kind?: ServiceKind;
	serviceRecordId?: number;
}

export class DeskLiveStore implements FeedHandler {
	station = $state<StationLive>({ id: 0, state: 'closed', occupancy: 0, capacity: 0 });
	visitsToday = $state(0);
	#baseByKind = $state<Partial<Record<ServiceKind, number>>>({});
	#baseRecent = $state<DeskService[]>([]);
	/** Services announced after the page data's cursor, with the event id that announced them. */
	#added = $state<Array<{ eventId: number; service: DeskService }>>([]);
	readonly feed: TopicFeed;

	constructor(
		connection: RealtimeConnection,
		base: DeskBase,
		private readonly onStale: () => void = () => {}
	) {
		this.station = base.station;
		this.visitsToday = base.visitsToday;
		this.rebase(base);
		this.feed = connection.subscribe(topic.station(base.station.id), this, base.cursor);
	}

	/** Newer page data: its services replace what it already includes; later events stay on top. */
	rebase(base: Pick<DeskBase, 'servicesByKind' | 'recentServices' | 'cursor'>) {
		this.#baseByKind = base.servicesByKind;
		this.#baseRecent = base.recentServices;
		this.#added = this.#added.filter((a) => a.eventId > base.cursor);
	}

	get servicesByKind(): Partial<Record<ServiceKind, number>> {
		const counts = { ...this.#baseByKind };
		for (const { service } of this.#added) counts[service.kind] = (counts[service.kind] ?? 0) + 1;
		return counts;
	}

	get servicesToday(): number {
		return Object.values(this.servicesByKind).reduce((sum, n) => sum + (n ?? 0), 0);
	}

	/** Newest first, each record once. */
	recent(limit = 8): DeskService[] {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local index, built and dropped in this call
		const byId = new Map(this.#baseRecent.map((s) => [s.id, s]));
		for (const { service } of this.#added) byId.set(service.id, service);
		return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
	}

	snapshot(snapshot: unknown) {
		const s = snapshot as { station: StationLive | null; visitsToday: number };
		if (s.station) this.station = s.station;
		this.visitsToday = s.visitsToday;
		// The station snapshot has no services: the page reloads its data and calls rebase().
		this.onStale();
	}

	event(event: LiveEvent) {
		const p = event.payload as DeskPayload;
		if (p.stationId !== this.station.id) return;
		const next = { ...this.station };
		if (typeof p.occupancy === 'number') next.occupancy = p.occupancy;
		if (typeof p.capacity === 'number') next.capacity = p.capacity;
		if (p.state) next.state = p.state;
		this.station = next;
		if (event.type === 'visit.checked_in') this.visitsToday++;
		if (event.type === 'service.recorded' && p.kind && typeof p.serviceRecordId === 'number') {
			this.#added = [...this.#added, { eventId: event.id, service: { id: p.serviceRecordId, kind: p.kind, at: event.at } }];
		}
	}
}
