/**
 * Group commit for a hot write: what arrives while one group's transaction runs waits for the next group,
 * which writes all of it in one transaction. A rush of applies after "apply now!" is hundreds of identical
 * small writes a second, and on a small machine each statement's cost is mostly fixed (a socket write that
 * wakes a backend, a query build, a round trip): five statements per apply held one process near 190
 * applies a second. Grouped, BEGIN, the locks, the inserts, the events and COMMIT are paid once per group.
 *
 * Nothing waits for a group to fill: a request that finds no group running starts one at once, so a quiet
 * app answers exactly as before, and groups grow only as fast as requests queue behind a running one. If a
 * group's transaction fails as a whole, each of its requests is retried alone (`single`), so one bad request
 * is answered with its own error and costs the others nothing.
 */
export class WriteGroup<Item, Result> {
	#queue: { item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
	#running = false;

	constructor(
		/** Writes the items in one transaction: one outcome per item, in order (an Error rejects that item). */
		private readonly many: (items: Item[]) => Promise<(Result | Error)[]>,
		/** The same write for one item, used when a group fails as a whole. */
		private readonly single: (item: Item) => Promise<Result>,
		private readonly max = 200
	) {}

	submit(item: Item): Promise<Result> {
		const done = new Promise<Result>((resolve, reject) => this.#queue.push({ item, resolve, reject }));
		if (!this.#running) void this.#drain();
		return done;
	}

	async #drain() {
		this.#running = true;
		try {
			while (this.#queue.length) {
				const group = this.#queue.splice(0, this.max);
				let outcomes: (Result | Error)[];
				try {
					outcomes = await this.many(group.map((g) => g.item));
				} catch (error) {
					if (group.length === 1) group[0].reject(error);
					else await Promise.all(group.map((g) => this.single(g.item).then(g.resolve, g.reject)));
					continue;
				}
				group.forEach((g, i) => {
					const outcome = outcomes[i];
					if (outcome instanceof Error) g.reject(outcome);
					else g.resolve(outcome);
				});
			}
		} finally {
			this.#running = false;
		}
	}
}
