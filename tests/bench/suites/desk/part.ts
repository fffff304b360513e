/**
 * The desk suite is made of parts, one file each in this folder, so that each desk figure can be written
 * (and run) on its own: desk.ts calls every part in turn and prints their figures together.
 *
 * A part owns everything it needs: its own fresh database (freshDatabase('jc_bench_desk_<part>')), its own
 * app process when its metric is about the app, its own data, and it stops all of it before it returns
 * (in a `finally`). Parts never share state, so one failing part does not spoil the others' figures.
 */
import type { Figure } from '../../figures';
import type { SuiteOptions } from '../../suite';

export interface DeskPartOptions extends SuiteOptions {
	/** Progress and notes (stderr), prefixed with the part's name. */
	note(message: string): void;
}

/** measureCheckin, measureSearch, measureMatch, measureImport: each returns its desk.* figures. */
export type DeskPart = (options: DeskPartOptions) => Promise<Figure[]>;
