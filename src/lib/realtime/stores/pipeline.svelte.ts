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
	/** Application id → the newest status announced since the page subscribed. */
	readonly status = new SvelteMap<number, ApplicationStatus>();
	/** Application id → the id of the event that announced it (set with `status`, read through it). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- always written together with `status`, which is what makes a read reactive
	readonly #announcedBy = new Map<number, number>();
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
					this.#announcedBy.set(p.applicationId, event.id);
					this.status.set(p.applicationId, p.status);
					if (!hooks.known(p.applicationId)) hooks.reload();
				}
			},
			scope.cursor
		);
	}

	/**
	 * What to show for an application the page's list, read at `listCursor`, has as `listed`: the announced
	 * status when it came after that list, the list's otherwise. A list reloaded since (after the employer's
	 * own move, say) already has every event up to its cursor (queries/pipeline.ts reads the cursor first), and
	 * an older announcement must not pull the card back to where it was.
	 */
	current(applicationId: number, listed: ApplicationStatus, listCursor: number): ApplicationStatus {
		const announced = this.status.get(applicationId);
		return announced !== undefined && (this.#announcedBy.get(applicationId) ?? 0) > listCursor ? announced : listed;
	}
}
