/**
 * "Something happened to these positions": follows a topic (the employer's organisation, the station) and
 * calls back on `position.*` events, optionally for one position only. The pages reload their lists over
 * HTTP, which carry what the events do not (names, review notes). A resync after the first one (a gap, a
 * long disconnect) may have missed changes, so it calls back too.
 */
import type { RealtimeConnection } from '../connection.svelte';
import type { FeedHandler, TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';

export class PositionChangesStore implements FeedHandler {
	/** How many changes arrived since the page loaded (for a polite "updated" note). */
	changes = $state(0);
	readonly feed: TopicFeed;
	#synced = false;

	constructor(
		connection: RealtimeConnection,
		topicName: string,
		private readonly onChange: () => void,
		private readonly positionId: number | null = null
	) {
		this.feed = connection.subscribe(topicName, this);
	}

	snapshot() {
		if (this.#synced) this.#changed();
		this.#synced = true;
	}

	event(event: LiveEvent) {
		if (!event.type.startsWith('position.')) return;
		const p = event.payload as { positionId?: number };
		if (this.positionId !== null && p.positionId !== this.positionId) return;
		this.#changed();
	}

	#changed() {
		this.changes++;
		this.onChange();
	}
}
