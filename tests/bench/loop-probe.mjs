/**
 * Event-loop lag of the app process, as the room suite reads it: preloaded into `node server.js` by the
 * bench only (`node --import ./tests/bench/loop-probe.mjs server.js`, with JC_BENCH_PROBE_FILE set), so the
 * app itself carries no bench switch and this works with or without a /metrics endpoint.
 *
 * perf_hooks' monitorEventLoopDelay arms a timer every RESOLUTION_MS and records the time between two of
 * its ticks; the lag is how late each tick came, i.e. that time minus RESOLUTION_MS (an idle loop reads
 * about 0.1 ms). On SIGUSR2 the probe writes what it recorded since the previous signal (lag percentiles in
 * ms, and the process's memory) to JC_BENCH_PROBE_FILE, atomically, and starts a new window.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const file = process.env.JC_BENCH_PROBE_FILE;

if (file) {
	const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
	histogram.enable();
	let seq = 0;
	let since = performance.now();
	const lag = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
	process.on('SIGUSR2', () => {
		const memory = process.memoryUsage();
		const window = {
			seq: ++seq,
			seconds: (performance.now() - since) / 1000,
			samples: histogram.count,
			resolutionMs: RESOLUTION_MS,
			p50: lag(histogram.percentile(50)),
			p99: lag(histogram.percentile(99)),
			max: lag(histogram.max),
			rss: memory.rss,
			heapUsed: memory.heapUsed,
			external: memory.external
		};
		writeFileSync(`${file}.tmp`, JSON.stringify(window));
		renameSync(`${file}.tmp`, file);
		histogram.reset();
		since = performance.now();
	});
}
