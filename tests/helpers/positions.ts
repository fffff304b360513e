import type { Actor } from '../../src/lib/server/actor';
import type { AppContext } from '../../src/lib/server/context';
import { createPosition, reviewPosition, submitPosition } from '../../src/lib/server/services/positions';

export const positionInput = (over: Record<string, unknown> = {}) => ({
	title: '仓库分拣员',
	category: 'warehouse',
	kind: 'full_time',
	payMin: 5000,
	payMax: 7000,
	payUnit: 'month',
	headcount: 3,
	regionCode: '440106',
	lat: 23.13,
	lng: 113.35,
	...over
});

/** A position taken through create → submit → approve by an admin. */
export async function openPosition(ctx: AppContext, owner: Actor, over: Record<string, unknown> = {}) {
	const draft = await createPosition(ctx, owner, positionInput(over));
	await submitPosition(ctx, owner, { positionId: draft.id });
	return reviewPosition(ctx, { kind: 'admin', userId: 0 }, { positionId: draft.id, decision: 'approve' });
}
