/** The services' field reasons (validation.ts and each service's own), in the reader's words, for every form. */
import { m } from '$lib/paraglide/messages';

const WORDS: Record<string, () => string> = {
	required: m.form_error_required,
	phone_format: m.form_error_phone_format,
	consent_required: m.form_error_consent,
	too_long: m.form_error_too_long,
	radius_range: m.form_error_range,
	lat_range: m.form_error_range,
	lng_range: m.form_error_range,
	lat_lng_pair: m.form_error_number,
	phone_taken: m.form_error_phone_taken,
	not_registered: m.form_error_not_registered,
	confirm_required: m.form_error_confirm,
	not_found: m.form_error_not_found,
	duplicate: m.form_error_duplicate,
	before_start: m.form_error_before_start,
	not_open: m.form_error_not_open,
	too_many: m.form_error_too_many,
	password_short: m.form_error_password_short,
	rate_limited: m.form_error_rate_limited
};

export function reasonWords(reason: string): string {
	if (WORDS[reason]) return WORDS[reason]();
	// zod's own messages for a wrong type or size (e.g. "expected number, received NaN", "Too big").
	if (/expected number/i.test(reason)) return m.form_error_number();
	if (/too big/i.test(reason)) return m.form_error_too_many();
	if (/expected date|invalid date/i.test(reason)) return m.form_error_date();
	return m.form_error_generic();
}

/** The message for a form field, also when the service named one of its items (`skills.3`). */
export function fieldError(fields: Record<string, string> | undefined, ...names: string[]): string | null {
	if (!fields) return null;
	for (const [key, reason] of Object.entries(fields)) {
		if (names.some((n) => key === n || key.startsWith(`${n}.`))) return reasonWords(reason);
	}
	return null;
}
