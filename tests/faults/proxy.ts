/**
 * A small TCP fault proxy on loopback, between clients and the app (or between the app and PostgreSQL).
 * It forwards bytes both ways and can, on command: cut every connection now, refuse new ones for a while,
 * delay every chunk, and stall (stop forwarding without closing, as a dead network does).
 *
 * Connections can be told apart by a label: the first line a client sends (the HTTP request line of a
 * socket.io handshake) is searched for `fp=<label>` in its query, so one proxy serves many clients and
 * cuts or refuses one of them alone.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports';

interface Link {
	client: Socket;
	upstream: Socket | null;
	label: string | null;
	stalled: boolean;
}

export interface ProxyStats {
	accepted: number;
	refused: number;
	cut: number;
	open: number;
}

const LABEL = /[?&]fp=([A-Za-z0-9_-]{1,40})/;

export class FaultProxy {
	readonly stats: ProxyStats = { accepted: 0, refused: 0, cut: 0, open: 0 };
	#server: Server | null = null;
	#port = 0;
	#links = new Set<Link>();
	#refuseUntil = 0;
	#refuseLabel = new Map<string, number>();
	#delayMs = 0;
	#stalled = false;
	#due = new WeakMap<Socket, number>();

	/**
	 * `labels: false` for protocols whose first bytes are not a text line (PostgreSQL's startup message):
	 * then the proxy connects upstream at once and connections have no label.
	 */
	constructor(
		private readonly target: { host: string; port: number },
		private readonly options: { labels?: boolean } = {}
	) {}

	get port() {
		return this.#port;
	}

	get url() {
		return `http://127.0.0.1:${this.#port}`;
	}

	/** Open connections, by label (unlabelled ones under ''). */
	openLabels(): Map<string, number> {
		const out = new Map<string, number>();
		for (const l of this.#links) out.set(l.label ?? '', (out.get(l.label ?? '') ?? 0) + 1);
		return out;
	}

	async listen(port?: number): Promise<number> {
		const want = port ?? (await freePort());
		this.#server = createServer((client) => this.#accept(client));
		await new Promise<void>((resolve, reject) => {
			this.#server!.once('error', reject);
			this.#server!.listen(want, '127.0.0.1', () => resolve());
		});
		this.#port = (this.#server.address() as { port: number }).port;
		return this.#port;
	}

	/** Close every open connection now (both sides reset). Returns how many were cut. */
	cut(label?: string): number {
		let n = 0;
		for (const link of [...this.#links]) {
			if (label !== undefined && link.label !== label) continue;
			this.#drop(link);
			n++;
		}
		this.stats.cut += n;
		return n;
	}

	/** Reset new connections (all, or one label's) for `ms` from now. */
	refuse(ms: number, label?: string) {
		const until = Date.now() + ms;
		if (label === undefined) this.#refuseUntil = Math.max(this.#refuseUntil, until);
		else this.#refuseLabel.set(label, Math.max(this.#refuseLabel.get(label) ?? 0, until));
	}

	/** Every chunk waits this long before it is forwarded, both ways (0: none). Order is kept. */
	delay(ms: number) {
		this.#delayMs = Math.max(0, ms);
	}

	/** Stop forwarding on every connection, new ones included, without closing anything; `resume()` ends it. */
	stall() {
		this.#stalled = true;
		for (const link of this.#links) this.#pause(link);
	}

	resume() {
		this.#stalled = false;
		for (const link of this.#links) this.#unpause(link);
	}

	async close() {
		this.cut();
		await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
		this.#server = null;
	}

	#refusing(label: string | null) {
		const now = Date.now();
		return now < this.#refuseUntil || (label !== null && now < (this.#refuseLabel.get(label) ?? 0));
	}

	#accept(client: Socket) {
		client.setNoDelay(true);
		if (this.#refusing(null)) return this.#refuse(client);
		const link: Link = { client, upstream: null, label: null, stalled: false };
		this.#links.add(link);
		this.stats.accepted++;
		this.stats.open = this.#links.size;
		client.on('error', () => this.#drop(link));
		client.on('close', () => this.#drop(link));
		if (this.options.labels === false) return this.#connectUpstream(link, Buffer.alloc(0));
		// The label is in the first line; connect upstream once we have it (or after 64 KB without one).
		let head = Buffer.alloc(0);
		const onFirst = (chunk: Buffer) => {
			head = Buffer.concat([head, chunk]);
			const text = head.toString('latin1');
			const eol = text.indexOf('\r\n');
			if (eol < 0 && head.length < 65_536) return;
			client.off('data', onFirst);
			link.label = LABEL.exec(eol < 0 ? text : text.slice(0, eol))?.[1] ?? null;
			if (this.#refusing(link.label)) {
				this.#links.delete(link);
				this.stats.accepted--;
				return this.#refuse(client);
			}
			this.#connectUpstream(link, head);
		};
		client.on('data', onFirst);
	}

	#refuse(client: Socket) {
		this.stats.refused++;
		client.on('error', () => {});
		reset(client);
	}

	#connectUpstream(link: Link, head: Buffer) {
		const upstream = createConnection({ host: this.target.host, port: this.target.port });
		link.upstream = upstream;
		upstream.setNoDelay(true);
		upstream.on('error', () => this.#drop(link));
		upstream.on('close', () => this.#drop(link));
		this.#forward(link, link.client, upstream);
		this.#forward(link, upstream, link.client);
		if (head.length) this.#send(upstream, head);
		if (this.#stalled) this.#pause(link);
	}

	#forward(link: Link, from: Socket, to: Socket) {
		from.on('data', (chunk: Buffer) => this.#send(to, chunk));
	}

	#send(to: Socket, chunk: Buffer) {
		const pending = this.#due.get(to) ?? 0;
		if (this.#delayMs === 0 && pending <= Date.now()) {
			if (!to.destroyed) to.write(chunk);
			return;
		}
		// Never earlier than a chunk sent before it (the delay may have been lowered meanwhile): bytes keep their order.
		const due = Math.max(Date.now() + this.#delayMs, pending);
		this.#due.set(to, due);
		setTimeout(() => {
			if (!to.destroyed) to.write(chunk);
		}, due - Date.now());
	}

	#pause(link: Link) {
		link.stalled = true;
		link.client.pause();
		link.upstream?.pause();
	}

	#unpause(link: Link) {
		link.stalled = false;
		link.client.resume();
		link.upstream?.resume();
	}

	#drop(link: Link) {
		if (!this.#links.delete(link)) return;
		this.stats.open = this.#links.size;
		reset(link.client);
		if (link.upstream) reset(link.upstream);
	}
}

function reset(socket: Socket) {
	try {
		socket.resetAndDestroy();
	} catch {
		socket.destroy();
	}
}
