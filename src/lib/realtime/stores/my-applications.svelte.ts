/**
 * A seeker's own applications, live: statuses follow `application.status_changed` on the seeker's topic;
 * a new application (applied elsewhere: a room, a board, the counter) asks the page to reload its list,
 * which carries titles and pay the events do not.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { RealtimeConnection } from '../connection.svelte';
import type { TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

type Status = 'applied' | 'contacted' | 'interview' | 'hired' | 'rejected' | 'withdrawn';

export class MyApplicationsStore {
	/** Application id → live status. */
	readonly status = new SvelteMap<number, Status>();
	readonly feed: TopicFeed;

	constructor(connection: RealtimeConnection, seekerId: number, onNew: () => void) {
		this.feed = connection.subscribe(topic.seeker(seekerId), {
			snapshot: (snapshot) => {
				const list = (snapshot as { applications?: { id: number; status: Status }[] } | null)?.applications ?? [];
				for (const a of list) this.status.set(a.id, a.status);
			},
			event: (event: LiveEvent) => {
				const p = event.payload as { applicationId?: number; status?: Status };
				if (typeof p.applicationId !== 'number' || !p.status) return;
				if (event.type === 'application.created' && !this.status.has(p.applicationId)) onNew();
				this.status.set(p.applicationId, p.status);
			}
		});
	}
}
