/**
 * socket.io's own parser for the benches' simulated viewers, with one difference: a viewer thread (or client
 * process) parses each distinct event message once, and every socket of it that receives the same bytes
 * gets that one decoded packet. The app sends every viewer of a room, and every client on `jobs`, the very
 * same message; a member holding thousands of them would otherwise parse it thousands of times — work that
 * real phones each do for themselves, and that here took the two cores the server and PostgreSQL run on.
 * In the room suite's chat (a million line deliveries a second) the viewers fell up to 23 s behind parsing,
 * until socket.io closed some of them for answering heartbeats late.
 *
 * Each socket still receives and unframes its own copy over its own WebSocket, and is counted and timed by
 * itself: what the memo skips is only JSON.parse of a string already parsed. Packets with an ack id are
 * per socket and decoded as ever. Handlers must not change what they receive: it is shared.
 */
import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';

/** Distinct messages remembered: a burst's batches go to every socket before the next one comes. */
const REMEMBERED = 64;
const EVENT = String(PacketType.EVENT);

const memo = new Map<string, Packet>();
const parser = new Decoder();
let parsed: Packet | null = null;
parser.on('decoded', (packet) => (parsed = packet));

class SharedDecoder extends Decoder {
	add(chunk: unknown) {
		if (typeof chunk !== 'string' || chunk[0] !== EVENT) return super.add(chunk);
		let packet = memo.get(chunk);
		if (!packet) {
			parsed = null;
			parser.add(chunk);
			if (!parsed || (parsed as Packet).id !== undefined) return super.add(chunk);
			packet = parsed as Packet;
			memo.set(chunk, packet);
			if (memo.size > REMEMBERED) memo.delete(memo.keys().next().value!);
		}
		this.emitReserved('decoded', packet);
	}
}

export const sharedDecode = { Encoder, Decoder: SharedDecoder };
