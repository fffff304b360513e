// A Node module hook (registered by server.js before the app loads) that mends one defect of postgres.js
// 3.4.x in place, as its source is loaded (the package itself is not changed).
//
// When the connection under a transaction dies (a network cut, a terminated backend, a failover),
// postgres.js still writes that transaction's ROLLBACK to it. The write is deferred to a setImmediate
// that then finds no socket and throws a TypeError nobody can catch: the whole process dies
// (porsager/postgres#1154, #1208). Two small changes, as in the fixes proposed upstream (#1168, #1209):
// - a query executed on a connection that has no socket is rejected with CONNECTION_CLOSED instead of
//   being written (the transaction then fails as it already has), and the connection is left where the
//   pool reconnects it rather than parked as busy for good;
// - closing a connection also forgets a write it had deferred, so the reconnected connection is not left
//   with a stale timer that stops it from ever sending again, and forgets the error its last query got
//   (e.g. the FATAL of a database shutting down), which postgres.js otherwise hands to the first query
//   on the new connection: after a database restart, one query per pooled connection failed.
//   (The query that was running when the connection closed has already been rejected by then.)
// Without this a fault test that cuts the app's database connections kills the app. If a new postgres.js
// no longer has the code these patches expect, they are skipped with a warning.

const TARGET = /\/node_modules\/postgres\/src\/connection\.js$/;

/** [what to find, what to put after it] */
const PATCHES = [
	[
		"    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n",
		// true: "handled", so a transaction's handler leaves the connection in the closed queue to be reconnected.
		"\n    if (!socket)\n      return queryError(q, Errors.connection('CONNECTION_CLOSED', options)), true\n"
	],
	["    connectTimer.cancel()\n\n    socket.removeAllListeners()\n    socket = null\n", '    chunk = nextWriteTimer = errorResponse = null\n']
];

/**
 * @param {string} url
 * @param {unknown} context
 * @param {(url: string, context: unknown) => Promise<{ format?: string; source?: string | ArrayBuffer | Uint8Array }>} nextLoad
 */
export async function load(url, context, nextLoad) {
	const result = await nextLoad(url, context);
	if (!TARGET.test(url) || result.source == null) return result;
	let source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
	for (const [find, add] of PATCHES) {
		if (!source.includes(find)) {
			console.warn(`postgres-guard: postgres.js has changed (no "${find.trim().split('\n')[0]}"); its closed-socket fix is not applied`);
			return result;
		}
		source = source.replace(find, find + add);
	}
	return { ...result, source };
}
