/**
 * The position form as people fill it and as the positions service takes it: pay and headcount as typed
 * numbers, an odd job's day with start and end hours (Beijing time), an expiry day that lasts to its end.
 * Nothing is validated here; the service names every field at fault, and the form shows it by its field.
 */
import { m } from '$lib/paraglide/messages';
import { parseServiceLocal, serviceDateKey, toServiceLocalInput } from '$lib/time';
import { fieldError } from './field-errors';

export const POSITION_KINDS = ['odd_job', 'full_time', 'part_time', 'internship', 'public_welfare'] as const;
export const PAY_UNITS = ['hour', 'day', 'month', 'piece'] as const;

export interface PositionFormValues {
	title: string;
	category: string;
	kind: string;
	description: string;
	payMin: string;
	payMax: string;
	payUnit: string;
	headcount: string;
	address: string;
	regionCode: string;
	lat: string;
	lng: string;
	/** Work day (odd jobs) or first day (others), `yyyy-mm-dd` in service time. */
	workDate: string;
	startTime: string;
	endTime: string;
	/** The last day the posting stays up. */
	expiresOn: string;
	/** Staff posting for a walk-in employer; '' is "the station itself". */
	employerOrganisationId: string;
}

const DAY_MS = 86_400_000;

export function blankPosition(over: Partial<PositionFormValues> = {}): PositionFormValues {
	return {
		title: '',
		category: '',
		kind: 'full_time',
		description: '',
		payMin: '',
		payMax: '',
		payUnit: 'month',
		headcount: '1',
		address: '',
		regionCode: '',
		lat: '',
		lng: '',
		workDate: '',
		startTime: '',
		endTime: '',
		expiresOn: '',
		employerOrganisationId: '',
		...over
	};
}

interface PositionLike {
	title: string;
	category: string;
	kind: string;
	description: string;
	payMin: number;
	payMax: number;
	payUnit: string;
	headcount: number;
	address: string;
	regionCode: string;
	lat: number;
	lng: number;
	startsAt: Date | string | null;
	endsAt: Date | string | null;
	expiresAt: Date | string | null;
	employerOrganisationId: number | null;
}

/**
 * A position as form values: for editing it, or (`duplicate`) as the start of a new post — the same work
 * and hours, but the day and the expiry are left for the new post to choose (the old ones have passed).
 */
export function valuesOf(p: PositionLike, { duplicate = false } = {}): PositionFormValues {
	const starts = p.startsAt ? toServiceLocalInput(new Date(p.startsAt)) : '';
	const ends = p.endsAt ? toServiceLocalInput(new Date(p.endsAt)) : '';
	return {
		title: p.title,
		category: p.category,
		kind: p.kind,
		description: p.description,
		payMin: String(p.payMin),
		payMax: String(p.payMax),
		payUnit: p.payUnit,
		headcount: String(p.headcount),
		address: p.address,
		regionCode: p.regionCode,
		lat: String(p.lat),
		lng: String(p.lng),
		workDate: duplicate ? '' : starts.slice(0, 10),
		startTime: starts.slice(11, 16),
		endTime: ends.slice(11, 16),
		// Stored as the first instant after the last day.
		expiresOn: !duplicate && p.expiresAt ? serviceDateKey(new Date(new Date(p.expiresAt).getTime() - 1)) : '',
		employerOrganisationId: p.employerOrganisationId ? String(p.employerOrganisationId) : ''
	};
}

/** What the form showed, to fill it again after a refusal. */
export function echo(form: FormData): PositionFormValues {
	const blank = blankPosition();
	const values = { ...blank };
	for (const key of Object.keys(blank) as (keyof PositionFormValues)[]) {
		const v = form.get(key);
		values[key] = typeof v === 'string' ? v.slice(0, key === 'description' ? 4000 : 200) : '';
	}
	return values;
}

/** Empty is "not given"; anything else a number (NaN reaches the service, which names the field). */
function number(value: string): number | undefined {
	return value.trim() === '' ? undefined : Number(value.trim());
}

/** `yyyy-mm-dd` + `hh:mm` in service time; a day alone starts at midnight; nothing given is null. */
function instant(date: string, time: string): Date | null {
	if (!date.trim()) return null;
	return parseServiceLocal(`${date.trim()}T${time.trim() || '00:00'}`);
}

/** The service's input from the form (create: omitted place fields default to the station's or the region's). */
export function positionFromForm(form: FormData) {
	const v = echo(form);
	const startsAt = instant(v.workDate, v.startTime);
	const endsAt = v.workDate.trim() && v.endTime.trim() ? instant(v.workDate, v.endTime) : null;
	const lastDay = instant(v.expiresOn, '');
	return {
		title: v.title,
		category: v.category,
		kind: v.kind,
		description: v.description,
		payMin: number(v.payMin),
		payMax: number(v.payMax),
		payUnit: v.payUnit,
		headcount: number(v.headcount),
		address: v.address,
		regionCode: v.regionCode.trim() || undefined,
		lat: number(v.lat),
		lng: number(v.lng),
		startsAt,
		endsAt,
		expiresAt: lastDay ? new Date(lastDay.getTime() + DAY_MS) : null,
		employerOrganisationId: number(v.employerOrganisationId) ?? null
	};
}

/** The positions service's own reasons, in the reader's words; the rest as every form words them. */
const WORDS: Record<string, () => string> = {
	pay_range: m.form_error_range,
	headcount_range: m.form_error_range,
	below_pay_min: m.post_error_below_pay_min,
	required_for_odd_job: m.post_error_required_for_odd_job,
	region_code: m.post_error_region,
	unknown_region: m.post_error_region,
	not_an_employer: m.post_error_employer,
	unknown_organisation: m.post_error_employer,
	integer: m.post_error_integer,
	date: m.form_error_date
};

export function positionFieldError(fields: Record<string, string> | undefined, ...names: string[]): string | null {
	for (const [key, reason] of Object.entries(fields ?? {})) {
		if (!names.includes(key)) continue;
		if (WORDS[reason]) return WORDS[reason]();
		// zod says "expected number, received undefined" for an empty box: that is a missing value.
		if (/received undefined/i.test(reason)) return m.form_error_required();
	}
	return fieldError(fields, ...names);
}

/** A region in the form's select: counties grouped under their city, and any other region the post uses. */
export interface RegionChoice {
	code: string;
	zh: string;
	en: string;
	/** Counties: the city they belong to. Others (the organisation's city, the station's community): none. */
	cityZh: string | null;
	cityEn: string | null;
}

export interface EmployerChoice {
	id: number;
	name: string;
}

/** A refusal as a whole (not one field's): what the form's summary says. */
export function refusalWords(reason: string | undefined): string {
	switch (reason) {
		case 'invalid_input':
			return m.form_error_summary();
		case 'wrong_state':
		case 'position_not_editable':
			return m.post_error_wrong_state();
		case 'out_of_scope':
		case 'not_your_organisation':
			return m.post_error_forbidden();
		case 'position_not_found':
			return m.post_error_not_found();
		case 'database_unavailable':
			return m.post_error_unavailable();
		default:
			return m.form_error_generic();
	}
}
