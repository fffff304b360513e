/**
 * The dashboard's server-side numbers and chart series for the current filters. Server-rendered first;
 * refetched when an event that moves them arrives — right away for the first, then at most every
 * `gapMs`, so a burst of hundreds of events a second costs one request per gap, not one per event.
 */
import type { OpsSummary } from '$lib/server/queries/ops';

export class LiveSummary {
	// Raw: replaced wholesale, and Chart.js must get plain arrays (it patches them; a proxy refuses).
	value = $state.raw<OpsSummary>() as OpsSummary;
	/** The last refresh failed; the figures shown are older than they look. */
	stale = $state(false);
	#query = '';
	#last = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#inFlight: AbortController | null = null;
	#closed = false;

	constructor(
		initial: OpsSummary,
		private readonly gapMs = 700
	) {
		this.value = initial;
	}

	/** New filters: the page's server load brought matching figures; later refreshes use this query. */
	reset(initial: OpsSummary, query: string) {
		this.#inFlight?.abort();
		this.value = initial;
		this.#query = query;
	}

	/** Something changed on the server: refresh soon, coalescing bursts. */
	poke() {
		if (this.#timer || this.#closed) return;
		const wait = Math.max(0, this.#last + this.gapMs - Date.now());
		this.#timer = setTimeout(() => {
			this.#timer = null;
			void this.#refresh();
		}, wait);
	}

	async #refresh() {
		this.#last = Date.now();
		this.#inFlight?.abort();
		const controller = (this.#inFlight = new AbortController());
		try {
			const response = await fetch(`/ops/summary.json${this.#query}`, { signal: controller.signal, headers: { accept: 'application/json' } });
			if (!response.ok) throw new Error(String(response.status));
			const next = (await response.json()) as OpsSummary;
			// Answers can overtake each other; keep the newest view of the log.
			if (next.cursor >= this.value.cursor && !controller.signal.aborted) this.value = next;
			this.stale = false;
		} catch (error) {
			if (!controller.signal.aborted) this.stale = true;
			void error;
		}
	}

	close() {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#inFlight?.abort();
	}
}
