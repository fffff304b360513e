/**
 * Vite dev and preview servers get socket.io through the same `attachRealtime` the production server
 * calls. Loaded through Vite's SSR loader (dev) so the app's modules are compiled like SvelteKit's own;
 * the runtime itself is a per-process singleton, so both module graphs share one database and relay.
 */
import type { Plugin } from 'vite';

export function realtime(): Plugin {
	return {
		name: 'jobcircle-realtime',
		configureServer(server) {
			if (!server.httpServer || process.env.VITEST) return;
			const httpServer = server.httpServer;
			httpServer.once('listening', async () => {
				const mod = await server.ssrLoadModule('/src/lib/server/runtime.ts');
				await mod.attachRealtime(httpServer);
			});
		},
		configurePreviewServer(server) {
			if (!server.httpServer) return;
			const httpServer = server.httpServer;
			// SvelteKit's preview plugin has run its server's init (hooks.server `init`) before ours, which
			// registered `attachRealtime` on globalThis for servers outside SvelteKit's bundle.
			const attach = (globalThis as Record<symbol, (s: unknown) => Promise<unknown>>)[Symbol.for('jobcircle.attach')];
			void attach?.(httpServer);
		}
	};
}
