import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// Cross-site form POSTs are refused by SvelteKit's origin check (kept on).
		csrf: { trustedOrigins: [] },
		// Scripts run only with this response's nonce (tests/integration/hostile/http-guards.test.ts, tests/e2e/csp.spec.ts).
		// Styles keep 'unsafe-inline': Leaflet places every marker and tile with style attributes, and Svelte's
		// style: directives write them too; a style cannot run script.
		csp: {
			mode: 'nonce',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:', 'https:'],
				// https: for hls.js, which fetches a room's playlist and segments itself (the URL is https only, checked
				// by rooms.ts). A host's camera (WebRTC) needs nothing here: peer connections and STUN/TURN are not fetches.
				'connect-src': ['self', 'ws:', 'wss:', 'https:'],
				// blob: is the MediaSource hls.js plays through; a camera stream is a srcObject, not a URL.
				'media-src': ['self', 'blob:', 'https:'],
				// A live room's video may be a streaming platform's embed (https only, checked by rooms.ts).
				'frame-src': ['self', 'https:'],
				'frame-ancestors': ['none'],
				'object-src': ['none'],
				'base-uri': ['self']
			}
		}
	}
};

export default config;
