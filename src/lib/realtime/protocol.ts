/**
 * The realtime protocol, typed once for server and client (DESIGN.md "Realtime protocol").
 * Client commands are `domain:verb` with an acknowledgement; server pushes are past tense.
 */
export interface ErrorBody {
	code: 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable';
	reason: string;
	message: string;
	fields?: Record<string, string>;
	/** For `rate_limited`: seconds to wait before trying again. */
	retryAfter?: number;
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
	/** `application.created` events, one run per position (see ApplicationRun): a viewer's card needs the count. */
	applications: ApplicationRun[];
	/**
	 * `room.message_posted` events as [event id, message], in id order: the event's payload is the room (the
	 * topic's) and the message, its time the message's. A busy room's batches are mostly chat, and this form
	 * is some 40 % fewer bytes for every phone in the room to receive and parse.
	 */
	messages: [number, BatchedMessage][];
}

/**
 * A position's `application.created` events in a room batch: `[positionId, firstEventId, ...gaps]`, each gap
 * the difference to the event id before it. In a rush after "apply now!" a batch carries hundreds of
 * applications, mostly to the pinned position and a few ids apart, for every phone in the room to receive
 * and parse: about two bytes each this way, against ten as [event id, position id] pairs.
 */
export type ApplicationRun = number[];

/** A chat line in a room batch (the service's RoomMessage; only its time matters here). */
export type BatchedMessage = Record<string, unknown> & { at: string };

export interface SubscribeRequest {
	topic: string;
	/** Last event id applied for this topic; absent on first subscribe. */
	cursor?: number | null;
}

export type SubscribeResult =
	| { topic: string; mode: 'replay'; cursor: number; events: LiveEvent[] }
	| { topic: string; mode: 'snapshot'; cursor: number; snapshot: unknown };

/**
 * Camera streams (WebRTC, a mesh from the host's browser to each viewer), signalled through our socket server.
 * Ephemeral: never in the event log. Every signal names its room and its target socket; the server fills in
 * `from` and relays it only between the room's broadcasting host socket and the sockets watching that room.
 */
export interface RtcIceServer {
	urls: string | string[];
	username?: string;
	credential?: string;
}

/** What a page needs to open peer connections (STUN/TURN from the server's configuration). */
export interface RtcSettings {
	iceServers: RtcIceServer[];
	maxViewers: number;
}

export interface RtcCandidate {
	candidate: string;
	sdpMid?: string | null;
	sdpMLineIndex?: number | null;
	usernameFragment?: string | null;
}

/** Upper bounds the server enforces (a browser's SDP for one audio and one video track is 3–8 KB). */
export const RTC_SDP_MAX = 16 * 1024;
export const RTC_CANDIDATE_MAX = 1024;

export type RtcPayload = { kind: 'offer' | 'answer'; sdp: string } | { kind: 'candidate'; candidate: RtcCandidate };
/** A signal as sent: to one socket (the host's for answers, a viewer's for offers). */
export type RtcSignal = { roomId: number; to: string } & RtcPayload;
/** A signal as received: who sent it, filled in by the server. */
export type RtcSignalled = { roomId: number; from: string } & RtcPayload;

/** A viewer's request answered: the broadcasting socket, whose offer follows; null when nobody broadcasts. */
export interface RtcWatchResult {
	roomId: number;
	hostId: string | null;
}

/** Why a stream stopped: the host turned the camera off, left, moved to another window, or the room ended. */
export type RtcEndReason = 'host_stopped' | 'host_left' | 'host_moved' | 'room_ended';

export interface ClientToServerEvents {
	'topic:subscribe': (request: SubscribeRequest, ack: AckFn<SubscribeResult>) => void;
	'topic:unsubscribe': (request: { topic: string }, ack: AckFn<{ topic: string }>) => void;
	/** Generic command channel: `domain:verb` service commands with input validated server-side. */
	'command': (request: { name: string; input: unknown }, ack: AckFn<unknown>) => void;
	/** Host: send my camera to this room's viewers (this socket becomes the room's broadcaster). */
	'rtc:broadcast': (request: { roomId: number }, ack: AckFn<{ roomId: number; maxViewers: number }>) => void;
	/** Host: camera off. */
	'rtc:stop': (request: { roomId: number }, ack: AckFn<{ roomId: number }>) => void;
	/** Viewer (subscribed to `room:N`): I want the stream. `hostId: null` → the host's camera is off. */
	'rtc:watch': (request: { roomId: number }, ack: AckFn<RtcWatchResult>) => void;
	'rtc:unwatch': (request: { roomId: number }, ack: AckFn<{ roomId: number }>) => void;
	/** An offer or ICE candidate to a viewer (host), an answer or ICE candidate to the host (viewer). */
	'rtc:signal': (request: RtcSignal, ack: AckFn<{ delivered: true }>) => void;
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
	/** To the broadcasting host: a viewer asked for the stream (again, after a failure): offer to it. */
	'rtc:viewer_joined': (info: { roomId: number; viewerId: string }) => void;
	/** To the broadcasting host: a viewer stopped watching or went away: close its connection. */
	'rtc:viewer_left': (info: { roomId: number; viewerId: string }) => void;
	'rtc:signalled': (signal: RtcSignalled) => void;
	/** To everyone in `room:N`: the host's camera is on (again), from socket `hostId`: ask for the stream. */
	'rtc:broadcast_started': (info: { roomId: number; hostId: string }) => void;
	/** To the viewers (or to a host socket that was replaced): the stream stopped. */
	'rtc:broadcast_ended': (info: { roomId: number; reason: RtcEndReason }) => void;
}
