/**
 * From "what was written when" and "what the page said it had painted when" to a latency per event.
 * The page exposes only the highest event id it has painted (`data-applied-event` on the map), so an event
 * is on screen at the first observation whose painted id is at least its own: ids are handed out in commit
 * order and the page applies them in order, so everything below a painted id is painted too.
 */
export interface Written {
	/** Event id (from the events table). */
	id: number;
	/** `Date.now()` just before the write was sent. */
	sentAt: number;
	/** `Date.now()` when the write's commit was confirmed, where known. */
	committedAt?: number;
}

export interface Observed {
	/** Highest event id painted, as the page reported it. */
	applied: number;
	/** `Date.now()` in the page when it changed. */
	at: number;
}

/** Latency in ms of each written event (same order), or null when no observation ever covered it. */
export function screenLatencies(written: Written[], observed: Observed[]): (number | null)[] {
	const byTime = observed.filter((o) => Number.isFinite(o.applied)).sort((a, b) => a.at - b.at);
	// Running maximum: if the page ever reported a lower id after a higher one, the higher one still stands.
	const reach: number[] = [];
	let max = -Infinity;
	for (const o of byTime) reach.push((max = Math.max(max, o.applied)));
	return written.map((w) => {
		let lo = 0;
		let hi = reach.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (reach[mid] >= w.id) hi = mid;
			else lo = mid + 1;
		}
		// Both clocks are this machine's wall clock at millisecond resolution: never below zero.
		return lo < reach.length ? Math.max(0, byTime[lo].at - w.sentAt) : null;
	});
}

export interface WrittenVisit {
	type: string;
	visitId: number;
	sentAt: number;
	committedAt?: number;
}

/**
 * Event ids for the visits written, matched on (event type, visit id): each check-in and each check-out of
 * a visit appends exactly one event. Returns the matched events and the writes no event was found for.
 */
export function matchVisitEvents(writes: WrittenVisit[], rows: { id: number; type: string; visitId: number }[]) {
	const ids = new Map(rows.map((r) => [`${r.type}:${r.visitId}`, r.id]));
	const matched: Written[] = [];
	const unmatched: WrittenVisit[] = [];
	for (const w of writes) {
		const id = ids.get(`${w.type}:${w.visitId}`);
		if (id === undefined) unmatched.push(w);
		else matched.push(w.committedAt === undefined ? { id, sentAt: w.sentAt } : { id, sentAt: w.sentAt, committedAt: w.committedAt });
	}
	return { matched, unmatched };
}
