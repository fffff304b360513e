import type { Figure } from './figures';

export interface SuiteOptions {
	/** The smaller variant (under 60 s). */
	quick: boolean;
	/** Mark the run failed (a correctness check broke) while still reporting the figures measured. */
	fail(message: string): void;
}

/** One benchmark suite: tests/bench/suites/<name>.ts exports `name` and `run`. */
export interface Suite {
	name: string;
	run(options: SuiteOptions): Promise<Figure[]>;
}
