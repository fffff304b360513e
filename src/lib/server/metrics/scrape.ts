/**
 * One scrape of /metrics. A standalone process answers with its own registry. Under APP_PROCESSES the
 * port is shared, so the scrape reaches whichever process the primary picked: that process asks the
 * primary (server.js → processes.js), which gathers every process's registry. If the primary does not
 * answer in time (a process restarting), this process answers for itself rather than not at all.
 */
import cluster from 'node:cluster';
import { timingSafeEqual, createHash } from 'node:crypto';
import { metrics } from './registry';

const ASK_PRIMARY_MS = 6000;
let asked = 0;

function askPrimary(): Promise<string> {
	return new Promise((resolve, reject) => {
		const id = `${process.pid}:${asked++}`;
		const onMessage = (message: { type?: string; id?: string; text?: string; error?: string }) => {
			if (message?.type !== 'jobcircle:metrics' || message.id !== id) return;
			done();
			if (typeof message.text === 'string') resolve(message.text);
			else reject(new Error(message.error ?? 'no metrics'));
		};
		const timer = setTimeout(() => {
			done();
			reject(new Error('the primary did not answer'));
		}, ASK_PRIMARY_MS);
		const done = () => {
			clearTimeout(timer);
			process.off('message', onMessage);
		};
		process.on('message', onMessage);
		process.send!({ type: 'jobcircle:metrics-request', id });
	});
}

export async function scrape(): Promise<{ text: string; contentType: string }> {
	const { registry } = metrics();
	if (cluster.isWorker && process.send) {
		try {
			return { text: await askPrimary(), contentType: registry.contentType };
		} catch {
			// fall through: this process's own figures, still labelled with its process id
		}
	}
	return { text: await registry.metrics(), contentType: registry.contentType };
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | null, token: string) {
	const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
	if (!given) return false;
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(token));
}
