/**
 * The booths of the new-fair form: a checkbox `booth` per employer taking part, its label `label-<org>` and
 * the positions it brings `positions-<org>`. A label left empty is numbered A1, A2… in the order chosen.
 */
export function boothsFromForm(form: FormData) {
	return form.getAll('booth').map((org, i) => {
		const label = String(form.get(`label-${org}`) ?? '').trim();
		return { organisationId: org, label: label || `A${i + 1}`, positionIds: form.getAll(`positions-${org}`) };
	});
}
