/**
 * Bulk import of positions from CSV or JSON (issue 4, item 7) with a per-row report (row, field, reason).
 *
 * Every row goes through the positions service's own check (preparePositions / createPositions: the zod
 * schema, the rules, the region and employer lookups), so a row passes here exactly when createPosition
 * would take it. A file with failing rows writes nothing unless the person chose to import the valid rows;
 * writing is one transaction of multi-row inserts with one `position.created` per position, as drafts.
 *
 * CSV: UTF-8 with or without BOM (GB18030 too), headers in Chinese or English — the export's own column
 * names, the API's field names, and a few common synonyms — values as people type them (全职, 月, 2025/3/1 8:00
 * in Beijing time). JSON: an array of objects with the API's field names and types.
 */
import { z } from 'zod';
import { positionKindLabel } from '$lib/i18n/labels';
import { type ImportPhase, type ImportReport, type ImportRowError, IMPORT_MAX_ERRORS, IMPORT_MODES } from '$lib/imports/report';
import { m } from '$lib/paraglide/messages';
import { locales } from '$lib/paraglide/runtime';
import { parseServiceLocal, zoneOffsetMinutes } from '$lib/time';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { parseCsv, decodeText } from '../csv-read';
import { toCsv } from '../csv';
import { payUnit, positionKind } from '../db/schema';
import { forbidden, invalid } from '../errors';
import { id, parse } from '../validation';
import { createPositions, preparePositions } from './positions';

/** One file at most: 10,000 rows import in seconds; a bigger sync belongs to the API's upsert. */
export const IMPORT_MAX_ROWS = 20_000;
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

type Field =
	| 'title' | 'category' | 'kind' | 'description' | 'payMin' | 'payMax' | 'payUnit' | 'headcount' | 'address'
	| 'regionCode' | 'lat' | 'lng' | 'startsAt' | 'endsAt' | 'expiresAt' | 'externalRef' | 'employerOrganisationId';

/** Columns in file order for the example, each with its header message (both languages are accepted). */
const COLUMNS: [Field, typeof m.export_col_title][] = [
	['externalRef', m.import_col_external_ref],
	['title', m.export_col_title],
	['category', m.export_col_category],
	['kind', m.export_col_kind],
	['payMin', m.export_col_pay_min],
	['payMax', m.export_col_pay_max],
	['payUnit', m.export_col_pay_unit],
	['headcount', m.export_col_headcount],
	['regionCode', m.export_col_region],
	['address', m.export_col_address],
	['startsAt', m.export_col_starts_at],
	['endsAt', m.export_col_ends_at],
	['expiresAt', m.import_col_expires_at],
	['description', m.import_col_description],
	['lat', m.import_col_lat],
	['lng', m.import_col_lng],
	['employerOrganisationId', m.import_col_employer_id]
];

/** Other names people give these columns (data the importer recognises, not words it shows). */
const SYNONYMS: Record<Field, string[]> = {
	title: ['职位名称', '岗位', '职位', 'job title', 'position'],
	category: ['岗位类别', '职位类别', '工种', '行业'],
	kind: ['类型', '岗位类型', '用工类型', '工作性质', 'type'],
	description: ['描述', '职位描述', '岗位职责', '岗位要求'],
	payMin: ['pay_min', '最低薪资', '薪资下限', '最低工资', 'min pay', 'salary min'],
	payMax: ['pay_max', '最高薪资', '薪资上限', '最高工资', 'max pay', 'salary max'],
	payUnit: ['pay_unit', '薪资单位', '计薪方式', '工资单位', 'unit'],
	headcount: ['人数', '招聘数量', '需求人数'],
	address: ['地址', '工作地点', '工作地址', '集合地点', 'meeting point'],
	regionCode: ['region_code', 'region', '地区代码', '行政区划代码', '区划'],
	lat: ['latitude', '纬度'],
	lng: ['lon', 'longitude', '经度'],
	startsAt: ['starts_at', 'start', '开始', '开工时间'],
	endsAt: ['ends_at', 'end', '结束', '收工时间'],
	expiresAt: ['expires_at', 'expires', '截止日期', '有效期至', '截止时间'],
	externalRef: ['external_ref', 'ref', 'reference', '外部编号', '岗位编号', '职位编号'],
	employerOrganisationId: ['employer_organisation_id', 'employer_id', 'employer', '用人单位编号', '企业编号']
};

/** Case, spaces, underscores, a required-marker `*` and a unit in brackets (`薪酬下限（元）`) do not matter. */
function headerKey(header: string) {
	return header
		.replace(/[（(][^）)]*[）)]/g, '')
		.replace(/[*＊\s_-]/g, '')
		.toLowerCase();
}

let headerIndex: Map<string, Field> | null = null;
function fieldOfHeader(header: string): Field | undefined {
	if (!headerIndex) {
		headerIndex = new Map();
		for (const [field, message] of COLUMNS) {
			headerIndex.set(headerKey(field), field);
			for (const locale of locales) headerIndex.set(headerKey(message({}, { locale })), field);
		}
		for (const [field, names] of Object.entries(SYNONYMS) as [Field, string[]][]) for (const name of names) headerIndex.set(headerKey(name), field);
	}
	return headerIndex.get(headerKey(header));
}

let kindIndex: Map<string, string> | null = null;
function kindOf(value: string) {
	if (!kindIndex) {
		kindIndex = new Map();
		for (const kind of positionKind.enumValues) {
			kindIndex.set(kind, kind);
			for (const locale of locales) kindIndex.set(headerKey(positionKindLabel[kind]({}, { locale })), kind);
		}
	}
	return kindIndex.get(headerKey(value)) ?? kindIndex.get(value.trim());
}

const PAY_UNITS: Record<(typeof payUnit.enumValues)[number], string[]> = {
	hour: ['hour', 'hourly', '小时', '时', '元/小时', '元/时', '每小时', '按小时'],
	day: ['day', 'daily', '天', '日', '元/天', '元/日', '每天', '按天', '按日'],
	month: ['month', 'monthly', '月', '元/月', '每月', '按月'],
	piece: ['piece', 'per piece', '件', '计件', '元/件', '按件']
};
const payUnitIndex = new Map(Object.entries(PAY_UNITS).flatMap(([unit, names]) => names.map((n) => [headerKey(n), unit])));

/** A cell the import could not read: the reason, and a value the service is sure to refuse in that field. */
class Unreadable {
	constructor(
		readonly reason: string,
		readonly refused: unknown
	) {}
}

function numberCell(value: string) {
	const plain = value.replace(/[\s,，]/g, '');
	// The stand-in is text no number parser reads (the cell itself might, e.g. `1e3` through z.coerce).
	return /^[+-]?\d+(\.\d+)?$/.test(plain) ? Number(plain) : new Unreadable('number', 'not a number');
}

/** Beijing-time offsets per day: Intl is slow, and 10,000 rows repeat their days. */
const offsets = new Map<string, number>();
function serviceInstant(y: number, mo: number, d: number, h: number, mi: number) {
	const day = `${y}-${mo}-${d}`;
	if (!offsets.has(day)) {
		const probe = parseServiceLocal(`${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:00`);
		offsets.set(day, Number.isNaN(probe.getTime()) ? Number.NaN : zoneOffsetMinutes(probe));
	}
	const at = new Date(Date.UTC(y, mo - 1, d, h, mi) - offsets.get(day)! * 60_000);
	// Date.UTC rolls 2025-02-30 over to March: a day that does not exist is refused, not moved.
	const back = new Date(at.getTime() + offsets.get(day)! * 60_000);
	return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 ? at : null;
}

/**
 * `2025-03-01 08:00`, `2025/3/1 8:00`, `2025-03-01T08:00` in Beijing time, or an ISO instant with its zone.
 * A day alone is its first minute — or, for an expiry (`endOfDay`), the first minute after it, as the form does.
 */
function dateCell(value: string, endOfDay = false) {
	const text = value.trim();
	const local = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2})[:：](\d{2})(?::\d{2})?)?$/.exec(text);
	if (local) {
		const [y, mo, d] = [Number(local[1]), Number(local[2]), Number(local[3])];
		const timed = local[4] !== undefined;
		const at = serviceInstant(y, mo, d, timed ? Number(local[4]) : 0, timed ? Number(local[5]) : 0);
		if (!at) return new Unreadable('date', 'not a date');
		return !timed && endOfDay ? new Date(at.getTime() + 86_400_000) : at;
	}
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
		const at = new Date(text);
		if (!Number.isNaN(at.getTime())) return at;
	}
	return new Unreadable('date', 'not a date');
}

/** A spreadsheet cell as the service's input value (undefined: not given). */
function cellValue(field: Field, raw: string): unknown {
	// The export writes a leading apostrophe before text a spreadsheet would run as a formula; undo it.
	const value = /^'[=+\-@\t\r]/.test(raw) ? raw.slice(1) : raw;
	const empty = value.trim() === '';
	switch (field) {
		case 'title':
		case 'category':
		case 'description':
		case 'address':
			return value;
		case 'externalRef':
		case 'regionCode':
			return empty ? undefined : value.trim();
		case 'kind':
			return empty ? '' : (kindOf(value) ?? new Unreadable('kind', value));
		case 'payUnit':
			return empty ? '' : (payUnitIndex.get(headerKey(value)) ?? new Unreadable('pay_unit', value));
		case 'payMin':
		case 'payMax':
		case 'headcount':
		case 'lat':
		case 'lng':
		case 'employerOrganisationId':
			return empty ? undefined : numberCell(value);
		case 'startsAt':
		case 'endsAt':
			return empty ? undefined : dateCell(value);
		case 'expiresAt':
			return empty ? undefined : dateCell(value, true);
	}
}

/** What zod says when a cell does not fit, as the report's short keys. */
function reasonOf(message: string) {
	if (/received undefined/i.test(message)) return 'required';
	if (/expected number/i.test(message)) return 'number';
	if (/expected string/i.test(message)) return 'text';
	if (/invalid option|expected one of/i.test(message)) return 'option';
	if (/expected object/i.test(message)) return 'object';
	return message;
}

interface Rows {
	format: 'csv' | 'json';
	inputs: unknown[];
	/** Row numbers as the report gives them. */
	rowNumbers: number[];
	/** Cells that could not be read, by input index and field. */
	unreadable: Map<number, Record<string, string>>;
	columnOf: Partial<Record<string, string>>;
	ignoredColumns: string[];
}

function readCsv(text: string): Rows {
	const records = parseCsv(text);
	const blank = (r: string[]) => r.every((c) => c.trim() === '');
	const headerAt = records.findIndex((r) => !blank(r));
	if (headerAt < 0) throw invalid({ file: 'file_empty' });
	const header = records[headerAt];
	const columns: (Field | null)[] = [];
	const columnOf: Partial<Record<string, string>> = {};
	const ignoredColumns: string[] = [];
	for (const name of header) {
		const field = fieldOfHeader(name) ?? null;
		if (field && columnOf[field] !== undefined) throw invalid({ [field]: 'duplicate_column' });
		if (field) columnOf[field] = name.trim();
		else if (name.trim()) ignoredColumns.push(name.trim());
		columns.push(field);
	}
	const missing = (['title', 'category', 'kind', 'payMin', 'payMax', 'payUnit', 'headcount'] as const).filter((f) => columnOf[f] === undefined);
	if (missing.length) throw invalid(Object.fromEntries(missing.map((f) => [f, 'missing_column'])), 'missing_columns');
	const rows: Rows = { format: 'csv', inputs: [], rowNumbers: [], unreadable: new Map(), columnOf, ignoredColumns };
	for (let r = headerAt + 1; r < records.length; r++) {
		const record = records[r];
		if (blank(record)) continue;
		if (rows.inputs.length >= IMPORT_MAX_ROWS) throw invalid({ file: 'too_many_rows' }, 'too_many_rows');
		const input: Record<string, unknown> = {};
		const unreadable: Record<string, string> = {};
		columns.forEach((field, c) => {
			if (!field) return;
			const value = cellValue(field, record[c] ?? '');
			if (value instanceof Unreadable) {
				unreadable[field] = value.reason;
				input[field] = value.refused;
			} else if (value !== undefined) input[field] = value;
		});
		if (Object.keys(unreadable).length) rows.unreadable.set(rows.inputs.length, unreadable);
		rows.inputs.push(input);
		rows.rowNumbers.push(r + 1);
	}
	return rows;
}

function readJson(text: string): Rows {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		throw invalid({ file: 'json_syntax' });
	}
	// `{ "positions": [...] }` (what GET /api/v1/positions answers) reads as its array.
	const list = Array.isArray(data) ? data : (data as { positions?: unknown })?.positions;
	if (!Array.isArray(list)) throw invalid({ file: 'json_array' });
	if (list.length > IMPORT_MAX_ROWS) throw invalid({ file: 'too_many_rows' }, 'too_many_rows');
	return { format: 'json', inputs: list, rowNumbers: list.map((_, i) => i + 1), unreadable: new Map(), columnOf: {}, ignoredColumns: [] };
}

const importInput = z.object({
	mode: z.enum(IMPORT_MODES, { error: 'mode' }),
	format: z.enum(['csv', 'json'], { error: 'format' }).optional(),
	/** The station page's import: staff of that station only. */
	stationId: id.optional()
});

export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void;

/**
 * Check (and, unless `mode` is `check`, write) the positions in a file. The actor posts as it would one by
 * one: an employer for its own organisation, staff for their station. Answers with the report.
 */
export async function importPositions(ctx: AppContext, actor: Actor, input: unknown, file: Uint8Array | string, progress?: ImportProgress): Promise<ImportReport> {
	if (actor.kind !== 'employer' && actor.kind !== 'staff' && actor.kind !== 'admin') throw forbidden();
	const { mode, format, stationId } = parse(importInput, input);
	if (stationId !== undefined && !(actor.kind === 'staff' && actor.stationId === stationId)) throw forbidden();
	if ((typeof file === 'string' ? file.length : file.byteLength) > IMPORT_MAX_BYTES) throw invalid({ file: 'file_too_large' }, 'file_too_large');
	progress?.('reading', 0, 0);
	const text = typeof file === 'string' ? file.replace(/^\uFEFF/, '') : decodeText(file);
	const rows = (format ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv')) === 'json' ? readJson(text) : readCsv(text);
	if (!rows.inputs.length) throw invalid({ file: 'no_rows' }, 'no_rows');
	progress?.('reading', rows.inputs.length, rows.inputs.length);

	// A file that cannot be written as a whole is only checked: the report is the same either way.
	const checkOnly = mode === 'check' || (mode === 'all' && rows.unreadable.size > 0);
	let failures: { index: number; fields: Record<string, string> }[];
	let imported = 0;
	if (checkOnly) {
		const prepared = await preparePositions(ctx, actor, rows.inputs, progress);
		failures = prepared.flatMap((p, index) => (p.ok ? [] : [{ index, fields: p.fields }]));
	} else {
		const result = await createPositions(ctx, actor, rows.inputs, { validOnly: mode === 'valid', progress });
		failures = result.failures;
		imported = result.ids.length;
	}

	const errors: ImportRowError[] = [];
	let count = 0;
	for (const { index, fields } of failures) {
		// What the import could not read says more than what zod made of the stand-in value.
		const merged: Record<string, string> = { ...fields, ...rows.unreadable.get(index) };
		for (const [field, reason] of Object.entries(merged)) {
			count++;
			if (errors.length < IMPORT_MAX_ERRORS) errors.push({ row: rows.rowNumbers[index], field, column: rows.columnOf[field] ?? null, reason: reasonOf(reason) });
		}
	}
	return {
		mode,
		format: rows.format,
		total: rows.inputs.length,
		valid: rows.inputs.length - failures.length,
		invalid: failures.length,
		imported,
		refused: mode === 'all' && failures.length > 0,
		errors,
		errorsOmitted: count - errors.length,
		ignoredColumns: rows.ignoredColumns
	};
}

/** The example file: every column the import knows, headed in the reader's language, with two sample rows. */
export function importExampleCsv(locale: (typeof locales)[number]) {
	const o = { locale };
	const sample: Partial<Record<Field, string | number>>[] = [
		{ externalRef: 'HR-0001', title: m.import_example_title_full_time({}, o), category: m.import_example_category_warehouse({}, o), kind: positionKindLabel.full_time({}, o), payMin: 5000, payMax: 7000, payUnit: 'month', headcount: 3, address: m.import_example_address({}, o), expiresAt: '2030-12-31' },
		{ externalRef: 'HR-0002', title: m.import_example_title_odd_job({}, o), category: m.import_example_category_moving({}, o), kind: positionKindLabel.odd_job({}, o), payMin: 200, payMax: 260, payUnit: 'day', headcount: 5, address: m.import_example_address({}, o), startsAt: '2030-06-01 08:00', endsAt: '2030-06-01 17:00' }
	];
	return toCsv([COLUMNS.map(([, message]) => message({}, o)), ...sample.map((row) => COLUMNS.map(([field]) => row[field] ?? ''))]);
}
