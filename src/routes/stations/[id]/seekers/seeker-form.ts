/**
 * The seeker form as the services take it: lists typed as text ("叉车，电工、仓储"), the radius in
 * kilometres, days as checkboxes. Nothing is validated here; the service names every field at fault.
 */
const LIST_SEPARATORS = /[,，、;；\n]/;

function list(value: FormDataEntryValue | null): string[] {
	return typeof value === 'string' ? value.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean) : [];
}

/** Empty is "not given"; anything else a number (NaN reaches the service, which names the field). */
function number(value: FormDataEntryValue | null): number | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	return Number(value.trim());
}

export function profileFromForm(form: FormData) {
	const radiusKm = number(form.get('radiusKm'));
	return {
		keyGroups: form.getAll('keyGroups').map(String),
		skills: list(form.get('skills')),
		wantedCategories: list(form.get('wantedCategories')),
		homeLat: number(form.get('homeLat')),
		homeLng: number(form.get('homeLng')),
		...(radiusKm === null ? {} : { radiusM: Math.round(radiusKm * 1000) }),
		oddJobDays: form.getAll('oddJobDays').map(Number)
	};
}

/** What the form showed, to fill it again after a refusal (the same staff member typed it; page is no-store). */
export function echo(form: FormData) {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v.slice(0, 200) : '';
	};
	return {
		name: text('name'),
		phone: text('phone'),
		keyGroups: form.getAll('keyGroups').map(String),
		skills: text('skills'),
		wantedCategories: text('wantedCategories'),
		homeLat: text('homeLat'),
		homeLng: text('homeLng'),
		radiusKm: text('radiusKm'),
		oddJobDays: form.getAll('oddJobDays').map(Number)
	};
}

export type SeekerFormValues = ReturnType<typeof echo>;
