// Preloaded into app processes under fault tests (`node --import ./tests/faults/lag-probe.js server.js`):
// measures the process's own event-loop delay and answers the test over the IPC channel. Nothing in the
// app changes; without an IPC channel (a normal start) it does nothing.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;

if (process.send) {
	const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
	histogram.enable();
	/** The histogram records whole timer intervals; the lag is what exceeds the resolution. */
	const lag = (/** @type {number} */ ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
	process.on('message', (/** @type {{ type?: string; id?: number }} */ message) => {
		if (message?.type === 'lag:reset') {
			histogram.reset();
			process.send?.({ type: 'lag:reset', id: message.id });
		} else if (message?.type === 'lag:read') {
			process.send?.({
				type: 'lag',
				id: message.id,
				p50: lag(histogram.percentile(50)),
				p99: lag(histogram.percentile(99)),
				max: lag(histogram.max),
				samples: histogram.count
			});
		}
	});
	// The probe must never keep a stopping server alive.
	process.channel?.unref();
}
