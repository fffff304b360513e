/**
 * A socket.io client for load generation: the same wire protocol as socket.io-client over WebSocket (the
 * handshake, Engine.IO packets and heartbeats, socket.io packets decoded by socket.io's own parser), on a
 * plain TCP socket with the WebSocket framing written out here, and nothing else (no reconnection, send
 * buffering, heartbeat timers or stream machinery: the server's pings are answered as they come).
 *
 * Why: the scale suite's 20,000 clients share two cores with the two app processes they measure, and with
 * socket.io-client the client processes together spent as much CPU receiving a posting as both apps spent
 * sending it (21 µs a message against 12 µs here), time that a phone spends on its own CPU, not the server's.
 * To the server it is one more WebSocket client.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';

/** Handlers declare what they expect of an event's arguments, as with socket.io-client. */
type Listener = (...args: never[]) => void;

const OP = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;
/** Every socket reads into this one buffer; a partial frame left at its end is copied out (#pending). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface LeanOptions {
	/** Origin header (the app refuses foreign origins). */
	origin: string;
	timeoutMs: number;
	/** socket.io parser (the benches share decoding, shared-decode.ts). */
	parser?: { Encoder: typeof Encoder; Decoder: typeof Decoder };
}

export class LeanSocket {
	readonly #tcp: TcpSocket;
	readonly #decoder: Decoder;
	readonly #encoder: Encoder;
	readonly #listeners = new Map<string, Listener[]>();
	readonly #acks = new Map<number, (answer: unknown) => void>();
	#nextAck = 0;
	#pending: Buffer | null = null;
	#upgraded = false;
	#closed = false;
	connected = false;

	constructor(url: string, options: LeanOptions) {
		const { hostname, port } = new URL(url);
		const key = randomBytes(16).toString('base64');
		const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
		const parser = options.parser ?? { Encoder, Decoder };
		this.#encoder = new parser.Encoder();
		this.#decoder = new parser.Decoder();
		this.#decoder.on('decoded', (packet: Packet) => this.#onPacket(packet));
		// `onread` hands each read to us in one reused buffer, without the stream's per-chunk machinery.
		this.#tcp = tcpConnect({
			host: hostname,
			port: Number(port),
			noDelay: true,
			onread: {
				buffer: READ_BUFFER,
				callback: (n) => {
					const chunk = READ_BUFFER.subarray(0, n);
					if (this.#upgraded) this.#onFrames(chunk);
					else this.#onHandshake(chunk, accept);
					return true;
				}
			}
		});
		const timer = setTimeout(() => this.#fail(new Error('timeout')), options.timeoutMs);
		this.once('connect', () => clearTimeout(timer));
		this.once('connect_error', () => clearTimeout(timer));
		this.#tcp.on('connect', () => {
			this.#tcp.write(
				`GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
					`Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nOrigin: ${options.origin}\r\n\r\n`
			);
		});
		this.#tcp.on('error', (error) => this.#fail(error));
		this.#tcp.on('close', () => this.#onClose('transport close'));
	}

	/** Lists are replaced, never changed in place, so an emit can walk one without copying it first. */
	on(event: string, listener: Listener) {
		this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
		return this;
	}

	once(event: string, listener: Listener) {
		const wrapped: Listener = (...args) => {
			this.off(event, wrapped);
			listener(...args);
		};
		return this.on(event, wrapped);
	}

	off(event: string, listener?: Listener) {
		if (!listener) this.#listeners.delete(event);
		else this.#listeners.set(event, (this.#listeners.get(event) ?? []).filter((l) => l !== listener));
		return this;
	}

	/** An event with an acknowledgement, as socket.io-client's `socket.timeout(ms).emitWithAck(…)`. */
	timeout(timeoutMs: number) {
		return {
			emitWithAck: (event: string, ...args: unknown[]): Promise<unknown> =>
				new Promise((resolve, reject) => {
					const id = this.#nextAck++;
					const timer = setTimeout(() => {
						this.#acks.delete(id);
						reject(new Error('operation has timed out'));
					}, timeoutMs);
					this.#acks.set(id, (answer) => {
						clearTimeout(timer);
						resolve(answer);
					});
					this.#sendPacket({ type: PacketType.EVENT, nsp: '/', id, data: [event, ...args] });
				})
		};
	}

	close() {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#upgraded) this.#sendFrame(OP.close, Buffer.from([0x03, 0xe8]));
		this.#tcp.end();
		this.#tcp.destroySoon();
	}

	#emit(event: string, ...args: unknown[]) {
		const list = this.#listeners.get(event);
		if (list) for (const l of list) l(...(args as never[]));
	}

	#fail(error: Error) {
		if (this.connected) return;
		this.#emit('connect_error', error);
		this.#closed = true;
		this.#tcp.destroy();
	}

	#onHandshake(chunk: Buffer, accept: string) {
		const all = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
		const end = all.indexOf('\r\n\r\n');
		if (end < 0) {
			this.#pending = Buffer.from(all);
			return;
		}
		const head = all.subarray(0, end).toString('latin1');
		this.#pending = null;
		if (!head.startsWith('HTTP/1.1 101') || !head.includes(`Sec-WebSocket-Accept: ${accept}`)) {
			return this.#fail(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
		}
		this.#upgraded = true;
		if (all.length > end + 4) this.#onFrames(all.subarray(end + 4));
	}

	/** Frames from the server: unmasked, unfragmented (ws sends every message whole). */
	#onFrames(chunk: Buffer) {
		let data = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
		this.#pending = null;
		while (data.length >= 2) {
			const opcode = data[0] & 0x0f;
			let length = data[1] & 0x7f;
			let offset = 2;
			if (length === 126) {
				if (data.length < 4) break;
				length = data.readUInt16BE(2);
				offset = 4;
			} else if (length === 127) {
				if (data.length < 10) break;
				length = Number(data.readBigUInt64BE(2));
				offset = 10;
			}
			if (data.length < offset + length) break;
			const payload = data.subarray(offset, offset + length);
			data = data.subarray(offset + length);
			if (opcode === OP.text) this.#onEngineMessage(payload.toString());
			else if (opcode === OP.ping) this.#sendFrame(OP.pong, payload);
			else if (opcode === OP.close) return this.#onClose('io server disconnect');
		}
		if (data.length) this.#pending = Buffer.from(data);
	}

	/** Engine.IO: open, ping (answered), message (a socket.io packet), close. */
	#onEngineMessage(text: string) {
		switch (text[0]) {
			case '0':
				return this.#sendPacket({ type: PacketType.CONNECT, nsp: '/', data: {} });
			case '2':
				return this.#sendFrame(OP.text, Buffer.from('3'));
			case '4':
				return this.#decoder.add(text.slice(1));
			case '1':
				return this.#onClose('transport close');
		}
	}

	#onPacket(packet: Packet) {
		switch (packet.type) {
			case PacketType.CONNECT:
				this.connected = true;
				return this.#emit('connect');
			case PacketType.CONNECT_ERROR:
				return this.#fail(new Error(packet.data?.message ?? 'connect error'));
			case PacketType.EVENT:
				return this.#emit(...(packet.data as [string, ...unknown[]]));
			case PacketType.ACK: {
				const ack = this.#acks.get(packet.id!);
				this.#acks.delete(packet.id!);
				return ack?.((packet.data as unknown[])[0]);
			}
			case PacketType.DISCONNECT:
				return this.#onClose('io server disconnect');
		}
	}

	#onClose(reason: string) {
		if (!this.connected) return this.#fail(new Error(reason));
		this.connected = false;
		this.#tcp.destroy();
		if (!this.#closed) {
			this.#closed = true;
			this.#emit('disconnect', reason);
		}
	}

	#sendPacket(packet: Packet) {
		for (const encoded of this.#encoder.encode(packet)) this.#sendFrame(OP.text, Buffer.from(`4${encoded}`));
	}

	/** A client's frames are masked (RFC 6455 5.3); it sends only short ones (commands, pongs). */
	#sendFrame(opcode: number, payload: Buffer) {
		// A ping answered after the connection went away: writing would only raise an error about it.
		if (this.#tcp.destroyed) return;
		if (payload.length > 0xffff) throw new Error(`a lean socket sends frames of up to 64 KB, not ${payload.length} bytes`);
		const mask = randomBytes(4);
		const head = payload.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | payload.length]) : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
		const masked = Buffer.allocUnsafe(payload.length);
		for (let i = 0; i < payload.length; i++) masked[i] = payload[i] ^ mask[i & 3];
		this.#tcp.write(Buffer.concat([head, mask, masked]));
	}
}

/** A connected lean socket (rejects as `io()` does on `connect_error`). */
export function connectLean(url: string, options: LeanOptions): Promise<LeanSocket> {
	return new Promise((resolve, reject) => {
		const socket = new LeanSocket(url, options);
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error) => reject(error));
	});
}
