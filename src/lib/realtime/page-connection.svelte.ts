/**
 * A page's realtime connection, created when the page mounts in the browser and closed when it leaves.
 * Pages render server data first; live figures take over once the feed has synced.
 */
import { onDestroy } from 'svelte';
import { RealtimeConnection, type ConnectionOptions } from './connection.svelte';

export function usePageConnection(options: ConnectionOptions = {}): RealtimeConnection | null {
	if (typeof window === 'undefined') return null;
	const connection = new RealtimeConnection(options);
	onDestroy(() => connection.close());
	return connection;
}
