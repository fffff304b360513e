/**
 * Reaching page N of a keyset-paginated list the way a reader would get there, but in fewer, larger
 * steps: the cursor that opens page N is the key of row (N - 1) × pageSize, so walk with the largest page
 * the list allows until that row. Uses the list's own query, so the cursor is exactly the one its pages
 * hand out (no second copy of its filters in SQL).
 */
export interface Page<Row, Cursor> {
	rows: Row[];
	/** Cursor after the last row, or null at the end of the list. */
	next: Cursor | null;
}

/**
 * The cursor that opens page `page` (1-based; page 1 needs none: `undefined`), or null when the list
 * ends before it. `fetch(after, limit)` returns `limit` rows after the cursor.
 */
export async function cursorOfPage<Row, Cursor>(
	fetch: (after: Cursor | undefined, limit: number) => Promise<Page<Row, Cursor>>,
	page: number,
	pageSize: number,
	maxLimit: number
): Promise<Cursor | undefined | null> {
	if (!Number.isInteger(page) || page < 1) throw new Error(`cursorOfPage: bad page ${page}`);
	let skip = (page - 1) * pageSize;
	let after: Cursor | undefined;
	while (skip > 0) {
		const limit = Math.min(skip, maxLimit);
		const { rows, next } = await fetch(after, limit);
		if (rows.length < limit) return null;
		skip -= limit;
		// `next` is null when the last row of the list was just read: page `page` would be empty.
		if (next === null) return null;
		after = next;
	}
	return after;
}
