/** The import report in the reader's words: field names as the example file heads them, reasons, file errors. */
import { m } from '$lib/paraglide/messages';

const FIELD: Record<string, () => string> = {
	externalRef: m.import_col_external_ref,
	title: m.export_col_title,
	category: m.export_col_category,
	kind: m.export_col_kind,
	payMin: m.export_col_pay_min,
	payMax: m.export_col_pay_max,
	payUnit: m.export_col_pay_unit,
	headcount: m.export_col_headcount,
	regionCode: m.export_col_region,
	address: m.export_col_address,
	startsAt: m.export_col_starts_at,
	endsAt: m.export_col_ends_at,
	expiresAt: m.import_col_expires_at,
	description: m.import_col_description,
	lat: m.import_col_lat,
	lng: m.import_col_lng,
	employerOrganisationId: m.import_col_employer_id,
	_: m.import_field_row
};

export function fieldWords(field: string): string {
	return FIELD[field]?.() ?? field;
}

const REASON: Record<string, () => string> = {
	required: m.import_reason_required,
	number: m.import_reason_number,
	integer: m.import_reason_integer,
	date: m.import_reason_date,
	kind: m.import_reason_kind,
	pay_unit: m.import_reason_pay_unit,
	option: m.import_reason_option,
	text: m.import_reason_text,
	too_long: m.import_reason_too_long,
	pay_range: m.import_reason_pay_range,
	headcount_range: m.import_reason_headcount_range,
	below_pay_min: m.import_reason_below_pay_min,
	required_for_odd_job: m.import_reason_required_for_odd_job,
	before_start: m.import_reason_before_start,
	region_code: m.import_reason_region_code,
	unknown_region: m.import_reason_unknown_region,
	not_an_employer: m.import_reason_not_an_employer,
	unknown_organisation: m.import_reason_unknown_organisation,
	not_your_organisation: m.import_reason_not_your_organisation,
	lat_range: m.import_reason_lat_range,
	lng_range: m.import_reason_lng_range,
	taken: m.import_reason_taken,
	duplicate_in_batch: m.import_reason_duplicate_in_batch,
	external_ref_format: m.import_reason_external_ref_format,
	positive: m.import_reason_positive,
	object: m.import_reason_object
};

/** A reason key in words; an unknown key shows as it is (better a key than nothing). */
export function reasonWords(reason: string): string {
	return REASON[reason]?.() ?? reason;
}

const FILE: Record<string, () => string> = {
	no_file: m.import_error_no_file,
	file_encoding: m.import_error_file_encoding,
	csv_unclosed_quote: m.import_error_csv_unclosed_quote,
	file_empty: m.import_error_file_empty,
	no_rows: m.import_error_no_rows,
	too_many_rows: m.import_error_too_many_rows,
	file_too_large: m.import_error_file_too_large,
	json_syntax: m.import_error_json_syntax,
	json_array: m.import_error_json_array
};

/** Why a whole file was refused: missing or doubled columns by name, a file problem, or a general failure. */
export function importErrorWords(error: { code?: string; reason: string; fields?: Record<string, string> }): string {
	const fields = error.fields ?? {};
	const named = (reason: string) => Object.keys(fields).filter((f) => fields[f] === reason).map(fieldWords).join('、');
	if (named('missing_column')) return m.import_error_missing_columns({ columns: named('missing_column') });
	if (named('duplicate_column')) return m.import_error_duplicate_column({ columns: named('duplicate_column') });
	if (fields.file && FILE[fields.file]) return FILE[fields.file]();
	if (error.code === 'forbidden' || error.reason === 'wrong_role') return m.post_error_forbidden();
	return m.import_error_failed();
}
