/**
 * A viewer's side of a room's camera stream (WebRTC): asks for the stream while the room is live and this
 * socket follows it, answers the host's offer, and hands the picture to the page's <video>. Every way it can go
 * wrong — the host's camera is off, the stream is full, the connection fails — ends in an honest `status` the
 * page shows beside the slide of the pinned position, and never touches the rest of the page.
 *
 * The host restarting (camera off and on, a reload, another window) is announced by the server: the viewer
 * then asks again by itself. A failed connection is retried twice before it gives up and offers a button.
 */
import { untrack } from 'svelte';
import type { RealtimeConnection } from './connection.svelte';
import type { Ack, RtcEndReason, RtcSettings, RtcSignalled, RtcWatchResult } from './protocol';
import { PeerLink } from './webrtc-peer';

export type StreamStatus = 'idle' | 'asking' | 'waiting' | 'connecting' | 'playing' | 'full' | 'failed' | 'unsupported';

/** Longest wait from asking to a picture before this try counts as failed. */
const CONNECT_TIMEOUT_MS = 20_000;
/** A connection that drops (network change) may come back by itself within this long. */
const DISCONNECTED_GRACE_MS = 6_000;
const RETRIES = 2;

export class CameraStream {
	status = $state<StreamStatus>('idle');
	stream = $state.raw<MediaStream | null>(null);
	/** The host sends sound too (there is an audio track): the page offers "unmute". */
	hasSound = $state(false);
	readonly maxViewers: number;

	readonly #connection: RealtimeConnection;
	readonly #roomId: number;
	readonly #settings: RtcSettings;
	#link: PeerLink | null = null;
	/** The broadcasting socket this try is with (from the server's answer, or its offer). */
	#hostId: string | null = null;
	/** A broadcast started while our request was on its way: its answer may predate it. */
	#startedMeanwhile = false;
	#wanted = false;
	#retries = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#generation = 0;
	#off: () => void;

	constructor(connection: RealtimeConnection, roomId: number, settings: RtcSettings) {
		this.#connection = connection;
		this.#roomId = roomId;
		this.#settings = settings;
		this.maxViewers = settings.maxViewers;
		const socket = connection.socket;
		const mine = (info: { roomId: number }) => info.roomId === roomId;
		const onSignalled = (signal: RtcSignalled) => {
			if (mine(signal)) void this.#signalled(signal);
		};
		const onStarted = (info: { roomId: number; hostId: string }) => {
			if (!mine(info) || !this.#wanted) return;
			if (this.status === 'asking') {
				this.#startedMeanwhile = true;
				return;
			}
			// Already on the way with this very broadcast (we asked just as it began): asking again would only
			// make the host start over.
			if ((this.status === 'connecting' || this.status === 'playing') && info.hostId === this.#hostId) return;
			this.#retries = 0;
			void this.#ask();
		};
		const onEnded = (info: { roomId: number; reason: RtcEndReason }) => {
			if (!mine(info)) return;
			this.#reset(this.#wanted && info.reason !== 'room_ended' ? 'waiting' : 'idle');
		};
		// A new socket is a new viewer to the server: the page asks again once the room feed is back.
		const onDisconnect = () => this.#reset('idle');
		socket.on('rtc:signalled', onSignalled);
		socket.on('rtc:broadcast_started', onStarted);
		socket.on('rtc:broadcast_ended', onEnded);
		socket.on('disconnect', onDisconnect);
		this.#off = () => {
			socket.off('rtc:signalled', onSignalled);
			socket.off('rtc:broadcast_started', onStarted);
			socket.off('rtc:broadcast_ended', onEnded);
			socket.off('disconnect', onDisconnect);
		};
	}

	/**
	 * From the page, whenever either changes: `live` — the room is live; `following` — this socket's room feed
	 * is synced (the server lets only followers of the room watch). Reads nothing reactive of its own, so the
	 * page's effect depends on those two alone.
	 */
	update(live: boolean, following: boolean) {
		untrack(() => {
			this.#wanted = live;
			if (!live) {
				if (this.status !== 'idle') {
					if (this.#connection.socket.connected) this.#connection.socket.emit('rtc:unwatch', { roomId: this.#roomId }, () => {});
					this.#reset('idle');
				}
				return;
			}
			if (following && this.status === 'idle' && this.#connection.socket.connected) void this.#ask();
		});
	}

	/** The viewer's own "try again" (after a failure or a full stream). */
	retry() {
		this.#retries = 0;
		void this.#ask();
	}

	close() {
		this.#wanted = false;
		this.#reset('idle');
		this.#off();
	}

	async #ask() {
		if (typeof RTCPeerConnection === 'undefined') {
			this.status = 'unsupported';
			return;
		}
		this.#reset('asking');
		this.#startedMeanwhile = false;
		const generation = this.#generation;
		const answer: Ack<RtcWatchResult> = await this.#connection.socket
			.timeout(10_000)
			.emitWithAck('rtc:watch', { roomId: this.#roomId })
			.catch(() => ({ ok: false as const, error: { code: 'unavailable' as const, reason: 'timeout', message: 'No answer from the server' } }));
		if (generation !== this.#generation || !this.#wanted) return; // superseded, or the room ended meanwhile
		if (!answer.ok) {
			const reason = answer.error.reason;
			if (reason === 'stream_full') this.status = 'full';
			else if (reason === 'room_not_live') this.status = 'waiting'; // the room feed says "live" a moment early
			else this.#failed();
			return;
		}
		if (answer.data.hostId === null) {
			if (this.#startedMeanwhile) void this.#ask();
			else this.status = 'waiting';
			return;
		}
		this.#hostId ??= answer.data.hostId;
		// The host's offer comes next (it may even have come first); give up on this try if no picture arrives in time.
		if (this.status === 'asking') {
			this.status = 'connecting';
			this.#arm(CONNECT_TIMEOUT_MS);
		}
	}

	async #signalled(signal: RtcSignalled) {
		if (!this.#wanted) return;
		if (signal.kind === 'offer') {
			// Offers come from the broadcaster the server named, or (before its answer arrives) from whoever it is.
			if (this.#hostId !== null && signal.from !== this.#hostId) return;
			this.#hostId = signal.from;
			await this.#answer(signal.from, signal.sdp);
			return;
		}
		if (signal.kind === 'candidate' && this.#link?.remoteId === signal.from) await this.#link.candidate(signal.candidate);
	}

	async #answer(hostId: string, sdp: string) {
		this.#link?.close();
		const generation = this.#generation;
		const link = new PeerLink(hostId, this.#settings.iceServers, (payload) =>
			this.#connection.socket.emit('rtc:signal', { roomId: this.#roomId, to: hostId, ...payload }, () => {})
		);
		this.#link = link;
		link.pc.ontrack = (event) => {
			const stream = event.streams[0] ?? new MediaStream([event.track]);
			this.stream = stream;
			this.hasSound = stream.getAudioTracks().length > 0;
		};
		link.pc.onconnectionstatechange = () => {
			if (this.#link !== link) return;
			const state = link.pc.connectionState;
			if (state === 'connected') {
				this.#disarm();
				this.#retries = 0;
				this.status = 'playing';
			} else if (state === 'failed') {
				this.#failed();
			} else if (state === 'disconnected') {
				this.#arm(DISCONNECTED_GRACE_MS);
			}
		};
		if (this.status !== 'playing') this.status = 'connecting';
		this.#arm(CONNECT_TIMEOUT_MS);
		try {
			await link.remote({ type: 'offer', sdp });
			const answer = await link.pc.createAnswer();
			await link.pc.setLocalDescription(answer);
			if (generation === this.#generation && this.#link === link) {
				this.#connection.socket.emit('rtc:signal', { roomId: this.#roomId, to: hostId, kind: 'answer', sdp: link.pc.localDescription!.sdp }, () => {});
			}
		} catch {
			if (this.#link === link) this.#failed();
		}
	}

	/** This try failed: ask again (the host makes a fresh connection), twice, then say so and wait for a tap. */
	#failed() {
		if (this.#retries < RETRIES && this.#wanted) {
			this.#retries++;
			this.#reset('connecting');
			const generation = this.#generation;
			this.#timer = setTimeout(() => {
				if (generation === this.#generation) void this.#ask();
			}, 1000 * this.#retries);
			return;
		}
		this.#reset('failed');
	}

	#arm(ms: number) {
		this.#disarm();
		const generation = this.#generation;
		this.#timer = setTimeout(() => {
			if (generation === this.#generation && this.#link?.pc.connectionState !== 'connected') this.#failed();
		}, ms);
	}

	#disarm() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}

	/** Close whatever connection there is; every pending answer or timer of an earlier try is void after this. */
	#reset(status: StreamStatus) {
		this.#generation++;
		this.#disarm();
		this.#link?.close();
		this.#link = null;
		this.#hostId = null;
		this.stream = null;
		this.hasSound = false;
		this.status = status;
	}
}
