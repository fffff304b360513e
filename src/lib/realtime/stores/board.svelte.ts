/**
 * A wall display's live board. Starts from the server-rendered content, follows its station's
 * `display:<id>` topic (whose snapshot is the whole board, so a resync replaces it) and the public `jobs`
 * topic (positions opening and closing anywhere; only those inside this station's circle are kept).
 *
 * Built to run for weeks: lists are bounded, a position's highlight timer is cleared when it ends, and
 * `close()` stops everything.
 */
import { distanceM } from '$lib/geo';
import type { BoardContent, BoardPosition } from '$lib/server/queries/board';
import type { RealtimeConnection } from '../connection.svelte';
import type { TopicFeed } from '../feed.svelte';
import type { LiveEvent } from '../protocol';
import { topic } from '../topics';

const POSITIONS = 40;
const ODD_JOBS = 30;
/** How long a new position stays highlighted. */
const FRESH_MS = 10_000;
const DAY = 86_400_000;

interface PositionPayload extends Partial<BoardPosition> {
	positionId?: number;
	state?: string;
	stationId?: number | null;
}

/* eslint-disable svelte/prefer-svelte-reactivity -- sets are replaced whole ($state.raw), never mutated in place */
export class BoardStore {
	content = $state.raw<BoardContent>() as BoardContent;
	/** Ids of positions that arrived in the last few seconds (shown highlighted). */
	fresh = $state.raw<ReadonlySet<number>>(new Set());
	readonly feeds: TopicFeed[];
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	constructor(connection: RealtimeConnection, initial: BoardContent) {
		this.content = initial;
		const station = initial.station.id;
		this.feeds = [
			connection.subscribe(topic.display(station), {
				snapshot: (snapshot) => {
					if (snapshot) this.content = snapshot as BoardContent;
				},
				event: (event) => this.#apply(event)
			}),
			connection.subscribe(topic.jobs, { snapshot: () => {}, event: (event) => this.#apply(event) })
		];
	}

	/** A position event (it can arrive on both topics: applying it twice changes nothing). */
	#apply(event: LiveEvent) {
		if (!event.type.startsWith('position.')) return;
		const p = event.payload as PositionPayload;
		if (typeof p.positionId !== 'number') return;
		const { station } = this.content;
		const id = p.positionId;
		const inside =
			p.stationId === station.id ||
			(typeof p.lat === 'number' && typeof p.lng === 'number' && distanceM(station.lat, station.lng, p.lat, p.lng) <= station.radiusM);
		const odd = p.kind === 'odd_job';
		const shown = odd ? this.#oddJobWindow(p) : true;
		const without = (list: BoardPosition[]) => list.filter((x) => x.id !== id);
		const known = this.content.positions.some((x) => x.id === id) || this.content.oddJobs.some((x) => x.id === id);
		let positions = without(this.content.positions);
		let oddJobs = without(this.content.oddJobs);
		if (p.state === 'open' && inside && shown) {
			const item: BoardPosition = {
				id,
				title: String(p.title ?? ''),
				category: String(p.category ?? ''),
				kind: String(p.kind ?? ''),
				payMin: Number(p.payMin ?? 0),
				payMax: Number(p.payMax ?? 0),
				payUnit: (p.payUnit ?? 'month') as BoardPosition['payUnit'],
				startsAt: p.startsAt ?? null,
				endsAt: p.endsAt ?? null,
				publishedAt: event.at,
				lat: Number(p.lat),
				lng: Number(p.lng)
			};
			if (odd) oddJobs = [...oddJobs, item].sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? '')).slice(0, ODD_JOBS);
			else positions = [item, ...positions].slice(0, POSITIONS);
			if (!known) this.#highlight(id);
		}
		this.content = { ...this.content, positions, oddJobs };
	}

	/** Odd jobs of today and tomorrow that have not ended. */
	#oddJobWindow(p: PositionPayload) {
		if (!p.startsAt || !p.endsAt) return false;
		const now = Date.now();
		return Date.parse(p.endsAt) > now && Date.parse(p.startsAt) < now + 2 * DAY;
	}

	#highlight(id: number) {
		this.fresh = new Set([...this.fresh, id]);
		clearTimeout(this.#timers.get(id));
		this.#timers.set(
			id,
			setTimeout(() => {
				this.#timers.delete(id);
				const next = new Set(this.fresh);
				next.delete(id);
				this.fresh = next;
			}, FRESH_MS)
		);
	}

	close() {
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
	}
}
