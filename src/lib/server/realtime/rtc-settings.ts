/**
 * What a page needs to open camera-stream connections (WebRTC): the configured STUN/TURN servers and the
 * viewer limit. Given only to pages of rooms scheduled for the host's camera; the TURN credentials in it are
 * the browser's to use, so configure short-lived or restricted ones.
 */
import type { RtcSettings } from '$lib/realtime/protocol';
import { config } from '../config';

export function rtcSettingsFor(room: { videoKind: string }): RtcSettings | null {
	if (room.videoKind !== 'webrtc') return null;
	return { iceServers: config.webrtcIceServers, maxViewers: config.webrtcMaxViewers };
}
