/**
 * One browser-to-browser connection of a camera stream, on either side (the host keeps one per viewer, a viewer
 * one to the host). Wraps RTCPeerConnection with what both sides need: candidates that arrive before the remote
 * description are held until it is set, and local candidates go out through our signalling as they are found.
 */
import type { RtcCandidate, RtcIceServer, RtcPayload } from './protocol';

export type SendSignal = (payload: RtcPayload) => void;

export class PeerLink {
	readonly pc: RTCPeerConnection;
	#pending: RTCIceCandidateInit[] = [];
	#closed = false;

	constructor(
		/** The socket id at the other end: where our signals go, and whose signals are ours. */
		readonly remoteId: string,
		iceServers: RtcIceServer[],
		send: SendSignal
	) {
		this.pc = new RTCPeerConnection({ iceServers });
		this.pc.onicecandidate = (event) => {
			// null marks the end of gathering: the other side needs no word of it.
			if (event.candidate) send({ kind: 'candidate', candidate: event.candidate.toJSON() as RtcCandidate });
		};
	}

	get closed() {
		return this.#closed || this.pc.connectionState === 'closed';
	}

	async remote(description: RTCSessionDescriptionInit) {
		await this.pc.setRemoteDescription(description);
		const pending = this.#pending;
		this.#pending = [];
		for (const candidate of pending) await this.#add(candidate);
	}

	async candidate(candidate: RtcCandidate) {
		if (!this.pc.remoteDescription) this.#pending.push(candidate);
		else await this.#add(candidate);
	}

	async #add(candidate: RTCIceCandidateInit) {
		try {
			await this.pc.addIceCandidate(candidate);
		} catch {
			// One unusable candidate (another network, a stale generation) is not a failed connection.
		}
	}

	close() {
		if (this.#closed) return;
		this.#closed = true;
		this.pc.onicecandidate = null;
		this.pc.onconnectionstatechange = null;
		this.pc.ontrack = null;
		this.pc.close();
	}
}
