/**
 * The hiring pipeline as screens show it: its stages in order, and where whoever manages a position may
 * move an application next. The service (services/applications.ts `NEXT`) decides; this mirrors it so a
 * card offers only moves that can succeed. tests/integration/services/pipeline.test.ts checks they agree.
 */
export type ApplicationStatus = 'applied' | 'contacted' | 'interview' | 'hired' | 'rejected' | 'withdrawn';

/** Columns of the pipeline board; `withdrawn` is the seeker's own and is listed apart. */
export const PIPELINE_STAGES = ['applied', 'contacted', 'interview', 'hired', 'rejected'] as const;

const RANK: Record<ApplicationStatus, number> = { applied: 0, contacted: 1, interview: 2, hired: 3, rejected: 3, withdrawn: 3 };

/** Forward only (a step may be skipped); hired, rejected and withdrawn are final; withdrawing is not a manager's move. */
export function managerMoves(from: ApplicationStatus): ApplicationStatus[] {
	if (RANK[from] === 3) return [];
	return PIPELINE_STAGES.filter((s) => RANK[s] > RANK[from]);
}
