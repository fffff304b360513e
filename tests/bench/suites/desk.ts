/**
 * desk.*: the station counter's work, as the staff at the desk feel it. Each figure is measured by a part
 * in tests/bench/suites/desk/ (see desk/part.ts for what a part owns); this file runs them in turn and
 * keeps going when one fails, so the others' figures are still reported.
 */
import type { Figure } from '../figures';
import type { SuiteOptions } from '../suite';
import type { DeskPart } from './desk/part';

export const name = 'desk';

/** [label, loader]: loaded lazily so that a part's imports cost nothing when it is not run. */
const parts: [string, () => Promise<DeskPart>][] = [
	['checkin', async () => (await import('./desk/checkin')).measureCheckin],
	['match', async () => (await import('./desk/match')).measureMatch],
	['search', async () => (await import('./desk/search')).measureSearch],
	['import', async () => (await import('./desk/import')).measureImport]
];

export async function run(options: SuiteOptions): Promise<Figure[]> {
	const figures: Figure[] = [];
	for (const [label, load] of parts) {
		const started = Date.now();
		try {
			const part = await load();
			figures.push(...(await part({ ...options, note: (message) => console.error(`desk ${label}: ${message}`) })));
			console.error(`desk ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		} catch (error) {
			options.fail(`desk ${label} failed: ${(error as Error)?.stack ?? error}`);
		}
	}
	return figures;
}
