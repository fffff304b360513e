/**
 * `npm run bench -- [suite…] [--quick]`: runs benchmark suites against PostgreSQL with the app as a real
 * process, and prints one JSON line per figure as its last lines (also kept in tests/bench/out/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Figure, formatFigure } from './figures';

const SUITES = ['relay', 'ops', 'desk', 'board', 'room', 'scale'] as const;
const implemented: Partial<Record<(typeof SUITES)[number], () => Promise<{ run: (o: { quick: boolean }) => Promise<Figure[]> }>>> = {
	relay: () => import('./suites/relay')
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const asked = args.filter((a) => !a.startsWith('--'));
const unknown = asked.filter((a) => !(SUITES as readonly string[]).includes(a));
if (unknown.length) {
	console.error(`unknown suite(s): ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
	process.exit(2);
}

const figures: Figure[] = [];
let failed = false;
for (const name of asked.length ? asked : SUITES) {
	const load = implemented[name as (typeof SUITES)[number]];
	if (!load) {
		console.error(`bench ${name}: not implemented yet (no figures)`);
		continue;
	}
	const started = Date.now();
	try {
		const suite = await load();
		const result = await suite.run({ quick });
		figures.push(...result);
		mkdirSync('tests/bench/out', { recursive: true });
		writeFileSync(`tests/bench/out/${name}.json`, result.map(formatFigure).join('\n') + '\n');
		console.error(`bench ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} catch (error) {
		failed = true;
		console.error(`bench ${name} failed:`, error);
	}
}
for (const f of figures) console.log(formatFigure(f));
process.exit(failed ? 1 : 0);
