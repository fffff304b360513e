/** A camera stream (a MediaStream, not a URL) into a <video>, as a Svelte attachment; detached on teardown. */
import type { Attachment } from 'svelte/attachments';

export function mediaStream(stream: MediaStream | null): Attachment<HTMLVideoElement> {
	return (video) => {
		video.srcObject = stream;
		return () => {
			video.srcObject = null;
		};
	};
}
