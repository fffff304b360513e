/**
 * The report of a positions import (issue 4, item 7), shared by the service, the API and the import page:
 * every failing row with the field at fault and why, counts, and what was written.
 */

/** `check`: a dry run; `all`: write everything, or nothing when a row fails; `valid`: write the rows that pass. */
export const IMPORT_MODES = ['check', 'all', 'valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportRowError {
	/** CSV: the spreadsheet row (the header is row 1). JSON: the item's position in the array, from 1. */
	row: number;
	/** The position field (`payMin`), or `_` for the row as a whole. */
	field: string;
	/** The column as the file named it (CSV), so people find it in their own sheet. */
	column: string | null;
	/** A stable key (`required`, `number`, `unknown_region` …); the page words it. */
	reason: string;
}

export interface ImportReport {
	mode: ImportMode;
	format: 'csv' | 'json';
	/** Data rows read (blank lines are not rows). */
	total: number;
	valid: number;
	invalid: number;
	/** Positions written (as drafts). 0 for a dry run and for a refused `all`. */
	imported: number;
	/** `all` with failing rows: nothing was written. */
	refused: boolean;
	errors: ImportRowError[];
	/** Errors beyond the first IMPORT_MAX_ERRORS, counted but not listed. */
	errorsOmitted: number;
	/** CSV columns the import does not know (an export's state or id, notes): read past, never an error. */
	ignoredColumns: string[];
}

export type ImportPhase = 'reading' | 'checking' | 'writing';

/** What the import page's stream sends: progress lines, then one report or one error. */
export type ImportStreamLine =
	| { type: 'progress'; phase: ImportPhase; done: number; total: number }
	| { type: 'report'; report: ImportReport }
	| { type: 'error'; code: string; reason: string; message: string; fields?: Record<string, string> };

export const IMPORT_MAX_ERRORS = 1000;
