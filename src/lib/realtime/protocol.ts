/**
 * The realtime protocol, typed once for server and client (DESIGN.md "Realtime protocol").
 * Client commands are `domain:verb` with an acknowledgement; server pushes are past tense.
 */
export interface ErrorBody {
	code: 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable';
	reason: string;
	message: string;
	fields?: Record<string, string>;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (answer: Ack<T>) => void;

/** One row of the event log as clients see it. */
export interface LiveEvent<P = Record<string, unknown>> {
	id: number;
	type: string;
	topics: string[];
	payload: P;
	at: string;
	/** Per topic, the id of the previous event this process published on it (null: unknown). A client whose
	 *  cursor for that topic is below `prev` missed something and resyncs. */
	prev: Record<string, number | null>;
}

/** An event inside a room batch: its topic and `prev` are the batch's (see RoomBatch). */
export type BatchedEvent = Pick<LiveEvent, 'id' | 'type' | 'payload' | 'at'>;

/**
 * Several consecutive events of one `room:N` topic in one message (src/lib/server/realtime/room-batch.ts);
 * `expandBatch` (batch.ts) turns it back into LiveEvents for the topic's feed.
 */
export interface RoomBatch {
	topic: string;
	/** Id of the event published on the topic just before this batch's first (null: unknown). */
	prev: number | null;
	/** Time of the batch's newest event. */
	at: string;
	/** In id order. */
	events: BatchedEvent[];
	/** `application.created` events as [event id, position id], in id order: a viewer's card needs the count. */
	applications: [number, number][];
}

export interface SubscribeRequest {
	topic: string;
	/** Last event id applied for this topic; absent on first subscribe. */
	cursor?: number | null;
}

export type SubscribeResult =
	| { topic: string; mode: 'replay'; cursor: number; events: LiveEvent[] }
	| { topic: string; mode: 'snapshot'; cursor: number; snapshot: unknown };

export interface ClientToServerEvents {
	'topic:subscribe': (request: SubscribeRequest, ack: AckFn<SubscribeResult>) => void;
	'topic:unsubscribe': (request: { topic: string }, ack: AckFn<{ topic: string }>) => void;
	/** Generic command channel: `domain:verb` service commands with input validated server-side. */
	'command': (request: { name: string; input: unknown }, ack: AckFn<unknown>) => void;
}

export interface ServerToClientEvents {
	/** A committed event from the log (past tense `type`, e.g. `visit.checked_in`). */
	'event:published': (event: LiveEvent) => void;
	/** A live room's events, batched while a burst lasts (chat, applications); see RoomBatch. */
	'event:batch': (batch: RoomBatch) => void;
	/** Viewers in a live room now (ephemeral presence, never in the log), at most every 2 s per room. */
	'room:viewers': (info: { roomId: number; viewers: number }) => void;
	/** The server ended this session (logout, role change): stop reconnecting as this user. */
	'session:ended': (info: { reason: string }) => void;
}
