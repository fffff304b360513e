/**
 * /jobs while it is open: positions on the page that close, fill or expire leave the list at once; new
 * positions that match the search on screen are counted, and the seeker chooses when to load them (a list
 * that reorders itself under a thumb is worse than a polite "3 new"). Follows the public `jobs` topic only.
 */
import { type Circle, matchesSearch, type PositionFacts, type SearchFilters } from '$lib/jobs/search-match';
import type { RealtimeConnection } from '../connection.svelte';
import type { FeedHandler, TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

/* eslint-disable svelte/prefer-svelte-reactivity -- sets are replaced whole, never mutated in place */
export class JobSearchLiveStore implements FeedHandler {
	/** Listed positions that are no longer open. */
	gone = $state.raw(new Set<number>());
	/** Open positions matching the search that the list does not show yet. */
	fresh = $state.raw(new Set<number>());
	readonly feed: TopicFeed;
	#listed = new Set<number>();
	#synced = false;

	constructor(
		connection: RealtimeConnection,
		listed: number[],
		private readonly search: SearchFilters,
		private readonly circle: Circle | null,
		/** After a gap (a long disconnect) events may be missing: the page reloads its list instead. */
		private readonly onResync: () => void
	) {
		this.#listed = new Set(listed);
		this.feed = connection.subscribe(topic.jobs, this);
	}

	/** The list was reloaded: start counting afresh from what it shows now. */
	rebase(listed: number[]) {
		this.#listed = new Set(listed);
		this.gone = new Set();
		this.fresh = new Set();
	}

	snapshot() {
		if (this.#synced) this.onResync();
		this.#synced = true;
	}

	event(event: LiveEvent) {
		if (!event.type.startsWith('position.')) return;
		const p = event.payload as PositionFacts & { positionId?: number };
		if (typeof p.positionId !== 'number') return;
		const id = p.positionId;
		if (this.#listed.has(id)) {
			if (p.state !== 'open' && !this.gone.has(id)) this.gone = new Set([...this.gone, id]);
			if (p.state === 'open' && this.gone.has(id)) this.gone = new Set([...this.gone].filter((g) => g !== id));
			return;
		}
		const matches = matchesSearch(p, this.search, this.circle);
		if (matches && !this.fresh.has(id)) this.fresh = new Set([...this.fresh, id]);
		else if (!matches && this.fresh.has(id)) this.fresh = new Set([...this.fresh].filter((f) => f !== id));
	}
}
