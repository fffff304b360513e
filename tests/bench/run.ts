/**
 * `npm run bench -- [suite…] [--quick]`: runs benchmark suites (all when none is named) against PostgreSQL
 * with the app as a real process, and prints one JSON line per figure as its last lines, in the format of
 * the team's BENCH.md (also written to tests/bench/out/<suite>.json). Progress and notes go to stderr.
 * Exit code 1 when a suite failed or a correctness check broke (the figures measured are still printed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { type Figure, formatFigure } from './figures';
import type { Suite } from './suite';

export const SUITES = ['relay', 'ops', 'desk', 'board', 'room', 'scale'] as const;
type SuiteName = (typeof SUITES)[number];

/** Suites that exist. The others belong to their own issues and must not report invented numbers. */
const implemented: Partial<Record<SuiteName, () => Promise<Suite>>> = {
	relay: () => import('./suites/relay'),
	ops: () => import('./suites/ops'),
	desk: () => import('./suites/desk'),
	board: () => import('./suites/board'),
	room: () => import('./suites/room'),
	scale: () => import('./suites/scale')
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const asked = args.filter((a) => !a.startsWith('--'));
const unknown = [...asked.filter((a) => !(SUITES as readonly string[]).includes(a)), ...args.filter((a) => a.startsWith('--') && a !== '--quick')];
if (unknown.length) {
	console.error(`bench: unknown argument(s) ${unknown.join(', ')}; usage: npm run bench -- [${SUITES.join('|')}] [--quick]`);
	process.exit(2);
}

const figures: Figure[] = [];
let failed = false;
for (const name of (asked.length ? asked : SUITES) as SuiteName[]) {
	const load = implemented[name];
	if (!load) {
		console.error(`bench ${name}: not implemented yet (no figures)`);
		continue;
	}
	const started = Date.now();
	// Shared machines are noisy: say how busy this one was, so odd figures can be explained.
	console.error(`bench ${name}${quick ? ' (quick)' : ''}: starting (${cpus().length} cores, load ${loadavg()[0].toFixed(1)})`);
	try {
		const suite = await load();
		const result = await suite.run({
			quick,
			fail: (message) => {
				failed = true;
				console.error(`bench ${name}: FAILED: ${message}`);
			}
		});
		figures.push(...result);
		mkdirSync('tests/bench/out', { recursive: true });
		writeFileSync(`tests/bench/out/${name}.json`, result.map(formatFigure).join('\n') + '\n');
		console.error(`bench ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s (load ${loadavg()[0].toFixed(1)})`);
	} catch (error) {
		failed = true;
		console.error(`bench ${name}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s:`, error);
	}
}
for (const f of figures) console.log(formatFigure(f));
process.exit(failed ? 1 : 0);
