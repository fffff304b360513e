/**
 * One position's applicant pipeline (/employer/positions/[id]/applicants): the position, its applicants with
 * contact details, and the newest event id the list reflects. Scope and contact details come from
 * `listApplicationsForPosition` (employer of the position or staff of its station, nobody else).
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../actor';
import type { AppContext } from '../context';
import { applications, events } from '../db/schema';
import { id, parse } from '../validation';
import { listApplicationsForPosition } from '../services/applications';
import { getPosition } from '../services/positions';

/** A pipeline board shows one page; past this the page says it shows the newest only. */
export const PIPELINE_LIMIT = 500;

export async function positionPipeline(ctx: AppContext, actor: Actor, positionId: unknown) {
	const pid = parse(id, positionId);
	// The cursor first, the list after: event ids are handed out in commit order (events/write.ts), so every
	// change at or below the cursor is in the list, and anything later is replayed to the page's socket. A
	// replayed change the list already shows is harmless (statuses are set, not added).
	const [last] = await ctx.db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1);
	const rows = await listApplicationsForPosition(ctx, actor, { positionId: pid, limit: PIPELINE_LIMIT });
	const position = await getPosition(ctx, actor, pid);
	// Where exactly each application came from (a display, room, fair or station): not personal, not in the
	// service's contact list.
	const ids = rows.map((r) => r.applicationId);
	const sources = ids.length
		? await ctx.db
				.select({ id: applications.id, source: applications.source })
				.from(applications)
				.where(and(eq(applications.positionId, pid), inArray(applications.id, ids)))
		: [];
	const sourceOf = new Map(sources.map((s) => [s.id, s.source]));
	return {
		position: { id: position.id, title: position.title, kind: position.kind, state: position.state, organisationId: position.employerOrganisationId },
		applicants: rows.map((r) => ({
			applicationId: r.applicationId,
			status: r.status,
			channel: r.channel,
			source: sourceOf.get(r.applicationId) ?? null,
			createdAt: r.createdAt.toISOString(),
			name: r.name,
			phone: r.phone
		})),
		truncated: rows.length === PIPELINE_LIMIT,
		cursor: last?.id ?? 0
	};
}
