/**
 * A PostgreSQL server of the suite's own: initdb into a temporary directory, on a free loopback port,
 * trust auth. Faults stop, kill and restart it freely without touching the machine's shared server (other
 * tests and people use that one). Runs as the `postgres` OS user when the suite runs as root (PostgreSQL
 * refuses to run as root). Stopped and removed at the end, and left-overs of a crashed run are cleaned up
 * by the next one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

const PREFIX = 'jc-faults-pg-';

/** The newest Debian PostgreSQL binaries (PG_BIN overrides), or null when there are none. */
export function postgresBinaries(): string | null {
	if (process.env.PG_BIN) return existsSync(path.join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : null;
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[], timeoutMs = 60_000) {
	const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
	const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: timeoutMs });
	if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
	return r.stdout;
}

export class PostgresServer {
	readonly dir: string;
	readonly port: number;
	readonly #bin: string;
	readonly #data: string;
	#running = false;

	private constructor(bin: string, dir: string, port: number) {
		this.#bin = bin;
		this.dir = dir;
		this.port = port;
		this.#data = path.join(dir, 'data');
	}

	/** initdb and start; throws when the binaries are missing (callers check `postgresBinaries()` first). */
	static async create(): Promise<PostgresServer> {
		const bin = postgresBinaries();
		if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql (set PG_BIN)');
		cleanLeftovers(bin);
		const dir = mkdtempSync(path.join(tmpdir(), PREFIX));
		if (asRoot) {
			const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
			const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
			chownSync(dir, uid, gid);
		}
		writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
		const server = new PostgresServer(bin, dir, await freePort());
		run(path.join(bin, 'initdb'), ['-D', server.#data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
		// Loopback only; durability does not matter for a throw-away server, speed does.
		appendFileSync(
			path.join(server.#data, 'postgresql.conf'),
			[
				`port = ${server.port}`,
				`listen_addresses = '127.0.0.1'`,
				`unix_socket_directories = '${dir}'`,
				'max_connections = 300',
				'fsync = off',
				'synchronous_commit = off',
				'full_page_writes = off',
				'shared_buffers = 128MB',
				"log_min_messages = 'warning'",
				''
			].join('\n')
		);
		process.once('exit', () => server.#destroySync());
		server.start();
		return server;
	}

	/** `postgres://` URL of a database on this server. */
	url(database = 'postgres') {
		return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
	}

	get running() {
		return this.#running;
	}

	start() {
		run(path.join(this.#bin, 'pg_ctl'), ['-D', this.#data, '-l', path.join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
		this.#running = true;
	}

	/** `fast` disconnects clients cleanly (a planned restart); `immediate` is a crash (no shutdown checkpoint). */
	stop(mode: 'fast' | 'immediate' = 'fast') {
		if (!this.#running) return;
		run(path.join(this.#bin, 'pg_ctl'), ['-D', this.#data, '-m', mode, '-w', '-t', '60', 'stop']);
		this.#running = false;
	}

	log() {
		try {
			return readFileSync(path.join(this.dir, 'server.log'), 'utf8');
		} catch {
			return '';
		}
	}

	async destroy() {
		this.#destroySync();
	}

	#destroySync() {
		if (!existsSync(this.dir)) return;
		try {
			if (this.#running) this.stop('immediate');
		} catch {
			// already gone
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}

/** Servers of earlier runs whose test process died without cleaning up (SIGKILL, a crashed worker). */
function cleanLeftovers(bin: string) {
	for (const name of readdirSync(tmpdir())) {
		if (!name.startsWith(PREFIX)) continue;
		const dir = path.join(tmpdir(), name);
		let owner = 0;
		try {
			owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
		} catch {
			// no owner file: a run that died during setup
		}
		if (owner && alive(owner)) continue;
		if (existsSync(path.join(dir, 'data', 'postmaster.pid'))) {
			try {
				run(path.join(bin, 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop'], 30_000);
			} catch {
				// not running
			}
		}
		rmSync(dir, { recursive: true, force: true });
	}
}

function alive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
