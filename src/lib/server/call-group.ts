/**
 * Calls made together: what arrives while one group runs waits for the next, which handles all of it at
 * once. A rush of applies after "apply now!" is hundreds of identical small calls a second, and on a small
 * machine each statement's cost is mostly fixed (a socket write that wakes a backend, a query build, a round
 * trip). So a hot write commits in groups (BEGIN, the locks, the inserts, the events and COMMIT paid once per
 * group), and a hot read is one statement for every caller waiting on it.
 *
 * Nothing waits for a group to fill: a call that finds no group running starts one at once, so a quiet
 * app answers exactly as before, and groups grow only as fast as calls queue behind a running one. If a
 * group fails as a whole, each of its calls is made again alone (`single`), so one bad call is answered
 * with its own error and costs the others nothing.
 */
export class CallGroup<Item, Result> {
	#queue: { item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
	#running = false;

	constructor(
		/** Handles the items at once (one transaction, one statement): one outcome per item, in order (an Error rejects that item). */
		private readonly many: (items: Item[]) => Promise<(Result | Error)[]>,
		/** The same call for one item, used when a group fails as a whole. */
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
