/** Real socket.io clients (through our RealtimeConnection class) for integration tests. */
import { RealtimeConnection } from '../../src/lib/realtime/connection.svelte';

export function connect(url: string, options: { cookie?: string; displayToken?: string; origin?: string } = {}) {
	const headers: Record<string, string> = {};
	if (options.cookie) headers.cookie = options.cookie;
	if (options.origin) headers.origin = options.origin;
	return new RealtimeConnection({
		url,
		displayToken: options.displayToken,
		socket: { transports: ['websocket'], extraHeaders: headers, reconnectionDelay: 50, reconnectionDelayMax: 200 }
	});
}

export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition') {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}
