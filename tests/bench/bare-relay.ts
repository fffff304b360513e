/**
 * The relay suite's baseline server: the shortest honest path from a PostgreSQL commit to a socket.io
 * client, with no event log at all. Writers `pg_notify` the event itself inside their transaction; this
 * process LISTENs and emits each notification as it is to every socket. No table, no advisory lock, no
 * cursor read, no rooms, no ordering or gap guarantees: what remains is the floor that any
 * database-to-socket relay pays (commit, NOTIFY delivery to another process, one socket.io emit).
 *
 * Run as its own process like the app (`node --import tsx tests/bench/bare-relay.ts`), with DATABASE_URL,
 * PORT and HOST.
 */
import { createServer } from 'node:http';
import postgres from 'postgres';
import { Server } from 'socket.io';

const BARE_CHANNEL = 'jc_bench_bare'; // same name in suites/relay.ts

const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
const http = createServer((_req, res) => res.writeHead(404).end());
const io = new Server(http, { serveClient: false, perMessageDeflate: false });

await sql.listen(BARE_CHANNEL, (payload) => io.emit('bare', payload));
http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');

const stop = async () => {
	io.close();
	await sql.end({ timeout: 2 });
	process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
