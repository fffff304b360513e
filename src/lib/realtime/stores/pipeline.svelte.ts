/**
 * One position's applicants, live, for the employer's pipeline page. Application events reach the
 * organisation's topic (`org:ID`) with ids and statuses only, never a person: a status move applies in
 * place; a new application asks the page to reload its list, which carries name and phone.
 *
 * The page reads its list after taking the newest event id (`cursor`) and subscribes from there, so an
 * application made between the page load and the subscription is replayed, not lost. The org topic has no
 * snapshot: when the server can only offer one (the cursor is too old), the page reloads instead.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { ApplicationStatus } from '$lib/applications/pipeline';
import type { RealtimeConnection } from '../connection.svelte';
import type { TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

export interface PipelineScope {
	organisationId: number;
	positionId: number;
	/** The newest event id the page's list reflects. */
	cursor: number;
}

export interface PipelineHooks {
	/** Is this application already in the page's list? */
	known(applicationId: number): boolean;
	/** Fetch the list again (a new applicant, or a gap too old to replay). */
	reload(): void;
}

export class PipelineStore {
	/** Application id → status announced after the page's list was read. */
	readonly status = new SvelteMap<number, ApplicationStatus>();
	readonly feed: TopicFeed;

	constructor(connection: RealtimeConnection, scope: PipelineScope, hooks: PipelineHooks) {
		this.feed = connection.subscribe(
			topic.org(scope.organisationId),
			{
				snapshot: () => hooks.reload(),
				event: (event: LiveEvent) => {
					const p = event.payload as { applicationId?: number; positionId?: number; status?: ApplicationStatus };
					if (p.positionId !== scope.positionId || typeof p.applicationId !== 'number' || !p.status) return;
					if (event.type !== 'application.created' && event.type !== 'application.status_changed') return;
					this.status.set(p.applicationId, p.status);
					if (!hooks.known(p.applicationId)) hooks.reload();
				}
			},
			scope.cursor
		);
	}
}
