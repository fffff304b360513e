/**
 * A job fair, live: counters (signed in, at booths, applications, offers) and the activity feed, newest first
 * and bounded. The `fair:ID` snapshot carries both, so a resync replaces them; events then apply on top.
 * Events carry ids and counts only, never a person.
 */
import type { RealtimeConnection } from '../connection.svelte';
import type { TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

export interface FairCounters {
	signedIn: number;
	atBooths: number;
	applications: number;
	offers: number;
}

export interface FairFeedItem {
	id: number;
	type: string;
	at: string;
	payload: Record<string, unknown>;
}

export const FAIR_FEED_LIMIT = 50;

export class FairLiveStore {
	counters = $state<FairCounters>({ signedIn: 0, atBooths: 0, applications: 0, offers: 0 });
	items = $state<FairFeedItem[]>([]);
	state = $state<string | null>(null);
	readonly feed: TopicFeed;

	constructor(connection: RealtimeConnection, fairId: number, onApplication?: (event: LiveEvent) => void) {
		this.feed = connection.subscribe(topic.fair(fairId), {
			snapshot: (snapshot) => {
				const s = snapshot as { counters?: FairCounters; feed?: FairFeedItem[] } | null;
				if (s?.counters) this.counters = s.counters;
				if (s?.feed) this.items = s.feed.slice(0, FAIR_FEED_LIMIT);
			},
			event: (event) => this.apply(event, onApplication)
		});
	}

	apply(event: LiveEvent, onApplication?: (event: LiveEvent) => void) {
		if (this.items.some((i) => i.id === event.id)) return;
		const p = event.payload as Record<string, unknown>;
		const c = { ...this.counters };
		if (event.type === 'fair.signed_in') c.signedIn++;
		if (event.type === 'application.created') {
			c.applications++;
			if (p.firstAtFair) c.atBooths++;
			onApplication?.(event);
		}
		if (event.type === 'application.status_changed') {
			if (p.status === 'hired' && p.from !== 'hired') c.offers++;
			onApplication?.(event);
		}
		if (event.type === 'fair.state_changed' && typeof p.state === 'string') this.state = p.state;
		this.counters = c;
		this.items = [{ id: event.id, type: event.type, at: event.at, payload: p }, ...this.items].slice(0, FAIR_FEED_LIMIT);
	}
}
