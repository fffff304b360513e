/**
 * What applications.ts needs to know about live rooms, kept apart from rooms.ts (which applies through
 * applications.ts) so neither imports the other: the check an application with source `room:N` must pass,
 * and the host console's event for it — the only room event that carries anything about the person, and
 * then only masked, on the host's own topic.
 */
import { eq } from 'drizzle-orm';
import { topic } from '$lib/realtime/topics';
import { maskName, maskPhone } from '$lib/privacy';
import type { Executor } from '../db';
import { applications, type roomState, seekers } from '../db/schema';
import { conflict, invalid } from '../errors';
import type { NewEvent } from '../events/write';

export type RoomState = (typeof roomState.enumValues)[number];

/** `room:12` → 12, anything else → null. */
export function roomIdOfSource(source: string | null | undefined): number | null {
	const match = source ? /^room:([0-9]{1,10})$/.exec(source) : null;
	return match ? Number(match[1]) : null;
}

/**
 * An application made in a room must name a room that has started (live, or ended: its positions stay open
 * for applying afterwards) and a position in its queue. Checked before any write, on what the applicant's
 * read (applications.ts) found: the room's state, null when there is no such room, and the position's id if
 * it is in the room's queue.
 */
export function checkRoomSource(room: { state: RoomState | null; queued: number | null }) {
	if (room.state === null) throw invalid({ source: 'room_not_found' });
	if (room.state === 'scheduled') throw conflict('room_not_started', 'This room has not started', { source: 'room_not_started' });
	if (room.queued === null) throw invalid({ positionId: 'not_in_room' });
}

/** A masked applicant as the host console lists it. */
export interface RoomApplicant {
	applicationId: number;
	positionId: number;
	status: string;
	/** 张** */
	label: string;
	/** 138****5678 */
	contact: string;
	at: string;
}

export function roomApplicantOf(a: { applicationId: number; positionId: number; status: string; createdAt: Date; name: string | null; phone: string | null }): RoomApplicant {
	return { applicationId: a.applicationId, positionId: a.positionId, status: a.status, label: maskName(a.name) || '—', contact: maskPhone(a.phone), at: a.createdAt.toISOString() };
}

/** The host topic's event for a new application in the room (inside the application's transaction). */
export async function roomApplicantEvent(tx: Executor, a: typeof applications.$inferSelect, roomId: number, known?: { name: string | null; phone: string | null }): Promise<NewEvent> {
	const [person] = known ? [known] : await tx.select({ name: seekers.name, phone: seekers.phone }).from(seekers).where(eq(seekers.id, a.seekerId));
	const applicant = roomApplicantOf({ applicationId: a.id, positionId: a.positionId, status: a.status, createdAt: a.createdAt, name: person?.name ?? null, phone: person?.phone ?? null });
	return { type: 'room.applicant_added', topics: [topic.roomHost(roomId)], payload: { roomId, applicant } };
}
