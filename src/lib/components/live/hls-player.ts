/**
 * An HLS stream into a <video>, as a Svelte attachment. Browsers that play HLS themselves (Safari, most phones)
 * get the URL directly; elsewhere hls.js is loaded — only then, so no other page carries its weight — with its
 * transmuxing worker served from our own origin (the CSP allows no blob: workers). A fatal error that a media
 * recovery cannot fix calls `fail`, once; the Hls instance is destroyed on teardown.
 */
import type { Attachment } from 'svelte/attachments';

export function hlsPlayer(url: string, fail: () => void): Attachment<HTMLVideoElement> {
	return (video) => {
		if (video.canPlayType('application/vnd.apple.mpegurl')) {
			video.src = url;
			return () => {
				video.removeAttribute('src');
				video.load();
			};
		}
		let gone = false;
		let hls: import('hls.js').default | null = null;
		const give = () => {
			hls?.destroy();
			hls = null;
			if (!gone) fail();
		};
		void Promise.all([import('hls.js'), import('hls.js/dist/hls.worker.js?url')]).then(
			([{ default: Hls }, { default: workerPath }]) => {
				if (gone) return;
				if (!Hls.isSupported()) return give();
				const player = new Hls({ workerPath });
				hls = player;
				let recovered = false;
				player.on(Hls.Events.ERROR, (_event, data) => {
					if (!data.fatal) return; // hls.js retries those itself
					if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
						recovered = true;
						player.recoverMediaError();
						return;
					}
					give();
				});
				player.loadSource(url);
				player.attachMedia(video);
			},
			// The player's code itself could not be loaded (offline, a deploy in between): same as a dead stream.
			give
		);
		return () => {
			gone = true;
			hls?.destroy();
			hls = null;
		};
	};
}
