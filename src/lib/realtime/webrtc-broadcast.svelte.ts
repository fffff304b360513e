/**
 * The host console's camera (WebRTC): camera and microphone from getUserMedia, and one peer connection per
 * viewer (a mesh: the host's browser uploads once per viewer, so it is for small audiences; large ones use a
 * stream URL). The server relays the signalling and decides who may watch; this class answers each viewer that
 * asks with an offer, and tears everything down when the camera goes off, the room ends or the page closes.
 *
 * On air only while the room is live and the socket is connected; after a reconnect (a new socket id) it goes
 * on air again and the viewers, told the stream restarted, ask anew.
 */
import { untrack } from 'svelte';
import type { RealtimeConnection } from './connection.svelte';
import type { Ack, RtcEndReason, RtcPayload, RtcSettings, RtcSignalled } from './protocol';
import { PeerLink } from './webrtc-peer';

export type CameraState = 'off' | 'starting' | 'on' | 'refused' | 'missing' | 'busy' | 'insecure' | 'failed';

/** Enough for a phone screen, and small enough to send to a score of viewers from one uplink. */
const VIDEO: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 } };
const VIDEO_BITRATE = 500_000;

/** What getUserMedia's refusal means for the host, in the words the console shows. */
function cameraError(error: unknown): CameraState {
	const name = (error as { name?: string } | null)?.name;
	if (name === 'NotAllowedError' || name === 'SecurityError') return 'refused';
	if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
	if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
	return 'failed';
}

export class CameraBroadcast {
	camera = $state<CameraState>('off');
	/** The camera's picture (and sound), for the muted local preview. */
	stream = $state.raw<MediaStream | null>(null);
	/** False when there is a camera but no microphone: the stream goes out without sound. */
	withSound = $state(true);
	/** The server took this window as the room's broadcaster. */
	onAir = $state(false);
	/** Why the camera stopped or could not go on air: a reason key (host_moved, room_not_live, …). */
	notice = $state<string | null>(null);
	/** Viewers whose connection is up. */
	viewers = $state(0);
	readonly maxViewers: number;

	readonly #connection: RealtimeConnection;
	readonly #roomId: number;
	readonly #settings: RtcSettings;
	// Bookkeeping, not view state: `viewers` is the reactive count.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#peers = new Map<string, PeerLink>();
	#live = false;
	#joining = false;
	#off: () => void;

	constructor(connection: RealtimeConnection, roomId: number, settings: RtcSettings) {
		this.#connection = connection;
		this.#roomId = roomId;
		this.#settings = settings;
		this.maxViewers = settings.maxViewers;
		const socket = connection.socket;
		const mine = (info: { roomId: number }) => info.roomId === roomId;
		const onJoined = (info: { roomId: number; viewerId: string }) => {
			if (mine(info) && this.onAir) void this.#offer(info.viewerId);
		};
		const onLeft = (info: { roomId: number; viewerId: string }) => {
			if (mine(info)) this.#drop(info.viewerId);
		};
		const onSignalled = (signal: RtcSignalled) => {
			if (mine(signal)) void this.#signalled(signal);
		};
		const onEnded = (info: { roomId: number; reason: RtcEndReason }) => {
			if (!mine(info)) return;
			// Sent to a broadcaster only when another window took over, or the room ended: let go of the camera.
			// The server has already let this window go; a stop from here could only end the new window's viewers.
			this.#release(info.reason === 'host_moved' ? 'host_moved' : null);
		};
		const onConnect = () => void this.#goOnAir();
		const onDisconnect = () => this.#leaveAir();
		socket.on('rtc:viewer_joined', onJoined);
		socket.on('rtc:viewer_left', onLeft);
		socket.on('rtc:signalled', onSignalled);
		socket.on('rtc:broadcast_ended', onEnded);
		socket.on('connect', onConnect);
		socket.on('disconnect', onDisconnect);
		this.#off = () => {
			socket.off('rtc:viewer_joined', onJoined);
			socket.off('rtc:viewer_left', onLeft);
			socket.off('rtc:signalled', onSignalled);
			socket.off('rtc:broadcast_ended', onEnded);
			socket.off('connect', onConnect);
			socket.off('disconnect', onDisconnect);
		};
	}

	/** Turn on camera and microphone (the browser asks the host first); goes on air if the room is live. */
	async start() {
		if (this.camera === 'starting' || this.camera === 'on') return;
		this.notice = null;
		if (!navigator.mediaDevices?.getUserMedia) {
			// Browsers offer cameras only to secure pages (https, or localhost).
			this.camera = 'insecure';
			return;
		}
		this.camera = 'starting';
		let stream: MediaStream;
		try {
			stream = await navigator.mediaDevices.getUserMedia({ video: VIDEO, audio: true });
			this.withSound = true;
		} catch (error) {
			if (cameraError(error) !== 'missing') {
				this.camera = cameraError(error);
				return;
			}
			// No microphone (or none that works): a picture without sound still shows the workplace.
			try {
				stream = await navigator.mediaDevices.getUserMedia({ video: VIDEO });
				this.withSound = false;
			} catch (again) {
				this.camera = cameraError(again);
				return;
			}
		}
		if (this.camera !== 'starting') {
			// Stopped (or the page closed) while the browser was asking.
			for (const track of stream.getTracks()) track.stop();
			return;
		}
		this.stream = stream;
		this.camera = 'on';
		for (const track of stream.getTracks()) {
			// Unplugged, or taken away by the system: say so rather than sending a frozen picture.
			track.addEventListener('ended', () => {
				if (this.stream === stream) this.stop('device_lost');
			});
		}
		await this.#goOnAir();
	}

	/** Camera off: every viewer's connection closes and the viewers see the slide. */
	stop(notice: string | null = null) {
		const wasOnAir = this.onAir;
		this.#release(notice);
		if (wasOnAir && this.#connection.socket.connected) this.#connection.socket.emit('rtc:stop', { roomId: this.#roomId }, () => {});
	}

	#release(notice: string | null) {
		this.#leaveAir();
		for (const track of this.stream?.getTracks() ?? []) track.stop();
		this.stream = null;
		this.camera = 'off';
		this.notice = notice;
	}

	/** From the page, as the room moves: on air while it is live (and the camera on); an ended room lets go. */
	roomState(state: 'scheduled' | 'live' | 'ended') {
		untrack(() => {
			this.#live = state === 'live';
			if (this.#live) void this.#goOnAir();
			else if (state === 'ended' && this.camera !== 'off') this.stop();
		});
	}

	close() {
		this.stop();
		this.#off();
	}

	async #goOnAir() {
		if (!this.#live || this.camera !== 'on' || this.onAir || this.#joining || !this.#connection.socket.connected) return;
		this.#joining = true;
		const answer = await this.#ask('rtc:broadcast');
		this.#joining = false;
		if (answer.ok) {
			// Whatever peers there were belong to an earlier socket; the viewers ask again now.
			this.#closePeers();
			this.onAir = this.camera === 'on';
			if (!this.onAir) this.#connection.socket.emit('rtc:stop', { roomId: this.#roomId }, () => {});
		} else {
			this.notice = answer.error.reason;
		}
	}

	#leaveAir() {
		this.onAir = false;
		this.#closePeers();
	}

	async #offer(viewerId: string) {
		const stream = this.stream;
		if (!stream) return;
		this.#drop(viewerId); // a viewer asking again gets a fresh connection
		const link = new PeerLink(viewerId, this.#settings.iceServers, (payload) => this.#send(viewerId, payload));
		this.#peers.set(viewerId, link);
		link.pc.onconnectionstatechange = () => {
			if (link.pc.connectionState === 'failed') this.#drop(viewerId); // the viewer retries by asking again
			this.#count();
		};
		for (const track of stream.getTracks()) {
			const sender = link.pc.addTrack(track, stream);
			if (track.kind === 'video') void capBitrate(sender);
		}
		try {
			const offer = await link.pc.createOffer();
			await link.pc.setLocalDescription(offer);
			if (!link.closed) this.#send(viewerId, { kind: 'offer', sdp: link.pc.localDescription!.sdp });
		} catch {
			this.#drop(viewerId);
		}
	}

	async #signalled(signal: RtcSignalled) {
		const link = this.#peers.get(signal.from);
		if (!link || link.closed) return;
		try {
			if (signal.kind === 'answer') await link.remote({ type: 'answer', sdp: signal.sdp });
			else if (signal.kind === 'candidate') await link.candidate(signal.candidate);
		} catch {
			this.#drop(signal.from);
		}
	}

	#send(viewerId: string, payload: RtcPayload) {
		const signal = { roomId: this.#roomId, to: viewerId, ...payload };
		this.#connection.socket.emit('rtc:signal', signal, (answer: Ack<{ delivered: true }>) => {
			// The viewer is gone (or no longer in the stream): nothing to keep a connection for.
			if (!answer.ok) this.#drop(viewerId);
		});
	}

	#drop(viewerId: string) {
		const link = this.#peers.get(viewerId);
		if (!link) return;
		this.#peers.delete(viewerId);
		link.close();
		this.#count();
	}

	#closePeers() {
		for (const link of this.#peers.values()) link.close();
		this.#peers.clear();
		this.#count();
	}

	#count() {
		let n = 0;
		for (const link of this.#peers.values()) if (link.pc.connectionState === 'connected') n++;
		this.viewers = n;
	}

	#ask(event: 'rtc:broadcast'): Promise<Ack<{ roomId: number; maxViewers: number }>> {
		return this.#connection.socket
			.timeout(10_000)
			.emitWithAck(event, { roomId: this.#roomId })
			.catch(() => ({ ok: false as const, error: { code: 'unavailable' as const, reason: 'timeout', message: 'No answer from the server' } }));
	}
}

/** One viewer's copy of the picture at most this many bits a second (where the browser lets us set it). */
async function capBitrate(sender: RTCRtpSender) {
	try {
		const parameters = sender.getParameters();
		if (!parameters.encodings?.length) parameters.encodings = [{}];
		parameters.encodings[0].maxBitrate = VIDEO_BITRATE;
		await sender.setParameters(parameters);
	} catch {
		// Not every browser allows it before negotiation; the default rate still works.
	}
}
