/**
 * Work a process does besides serving requests: seeding an empty database, the demo traffic simulator,
 * periodic sweeps. Each piece registers a stop hook so shutdown is clean.
 */
import type { Runtime } from './runtime';

export async function startBackground(runtime: Runtime) {
	void runtime;
}
