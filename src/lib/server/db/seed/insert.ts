/** Bulk inserts in chunks (one statement per ~1,000 rows keeps under the bind-parameter limit). */
import type { Tx } from '../index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTable = any;

/** Insert and return the rows (with their ids). Wide rows, so smaller chunks. */
export async function insertReturning<T>(tx: Tx, table: AnyTable, rows: unknown[], chunk = 500): Promise<T[]> {
	const out: T[] = [];
	for (let i = 0; i < rows.length; i += chunk) {
		out.push(...((await tx.insert(table).values(rows.slice(i, i + chunk)).returning()) as T[]));
	}
	return out;
}

export async function insertRows(tx: Tx, table: AnyTable, rows: unknown[], chunk = 1000) {
	for (let i = 0; i < rows.length; i += chunk) await tx.insert(table).values(rows.slice(i, i + chunk));
}
