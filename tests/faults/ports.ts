/**
 * Free loopback ports for the suite's own PostgreSQL, app processes and proxies. By default the system
 * hands out an ephemeral port; FAULTS_PORTS=4300-4399 keeps everything inside a range (a shared machine
 * where each person has been given ports of their own).
 */
import { createServer } from 'node:net';

const range = /^(\d+)-(\d+)$/.exec(process.env.FAULTS_PORTS ?? '');
let next = range ? Number(range[1]) + (process.pid % 10) * 3 : 0;

function tryListen(port: number): Promise<number | null> {
	return new Promise((resolve) => {
		const s = createServer();
		s.once('error', () => resolve(null));
		s.listen(port, '127.0.0.1', () => {
			const { port: got } = s.address() as { port: number };
			s.close(() => resolve(got));
		});
	});
}

export async function freePort(): Promise<number> {
	if (!range) {
		const port = await tryListen(0);
		if (port === null) throw new Error('no free loopback port');
		return port;
	}
	const [lo, hi] = [Number(range[1]), Number(range[2])];
	for (let i = 0; i <= hi - lo; i++) {
		const port = lo + ((next - lo + i) % (hi - lo + 1));
		if ((await tryListen(port)) !== null) {
			next = port + 1;
			return port;
		}
	}
	throw new Error(`no free port in FAULTS_PORTS=${process.env.FAULTS_PORTS}`);
}
