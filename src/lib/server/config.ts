/**
 * Every environment variable Jobcircle reads, in one place (the README's configuration table mirrors this).
 * Read from process.env so the Vite plugin, the production server, tests and benchmarks share it.
 */
const env = process.env;

function int(name: string, fallback: number) {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`);
	return n;
}

/**
 * WEBRTC_ICE_SERVERS: a JSON array of RTCIceServer ({ urls, username?, credential? }). Checked here so a typo
 * stops the process at start-up with the reason, instead of every camera stream failing quietly later.
 */
function iceServers(name: string) {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new Error(`${name} must be a JSON array of ICE servers, got "${raw.slice(0, 80)}"`);
	}
	const url = (u: unknown) => typeof u === 'string' && /^(stun|stuns|turn|turns):/.test(u);
	const ok =
		Array.isArray(parsed) &&
		parsed.every(
			(s) =>
				typeof s === 'object' &&
				s !== null &&
				(url(s.urls) || (Array.isArray(s.urls) && s.urls.length > 0 && s.urls.every(url))) &&
				(s.username === undefined || typeof s.username === 'string') &&
				(s.credential === undefined || typeof s.credential === 'string')
		);
	if (!ok) throw new Error(`${name} must be a JSON array of { "urls": "stun:…" | "turn:…", "username"?, "credential"? }`);
	return (parsed as { urls: string | string[]; username?: string; credential?: string }[]).map((s) => ({
		urls: s.urls,
		...(s.username !== undefined ? { username: s.username } : {}),
		...(s.credential !== undefined ? { credential: s.credential } : {})
	}));
}

export const config = {
	/** postgres://… for PostgreSQL; unset → embedded PGlite in PGLITE_DIR. */
	databaseUrl: env.DATABASE_URL || undefined,
	pgliteDir: env.PGLITE_DIR || 'data/pglite',
	dbPoolMax: int('DB_POOL_MAX', 10),
	/**
	 * Redis for the socket.io adapter (presence and signalling across processes). Unset → in-memory adapter,
	 * which is right for one process. Events never depend on it: they reach every process through the log.
	 */
	redisUrl: env.REDIS_URL || undefined,
	/** Channel prefix on that Redis: deployments sharing one Redis must not hear each other. */
	redisPrefix: env.REDIS_PREFIX || 'jobcircle',
	/**
	 * socket.io's HTTP long-polling fallback. A polling session must keep reaching the process that opened
	 * it, so with several processes behind one port and no sticky sessions it is off (server.js turns it off
	 * for APP_PROCESSES > 1): clients use WebSocket only.
	 */
	socketPolling: (env.SOCKET_POLLING || 'on') !== 'off',
	/** Bearer token for /metrics (Prometheus); unset → /metrics does not exist (404). */
	metricsToken: env.METRICS_TOKEN || undefined,
	/** The public origin (scheme://host[:port]); sockets from other origins are refused. Unset → same host. */
	origin: env.ORIGIN || undefined,
	logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' || env.VITEST ? 'warn' : 'info'),
	/** Seed the demo province into an empty database: `auto` (default) or `off`. */
	seed: (env.SEED || 'auto') as 'auto' | 'off',
	/** Demo traffic speed: 0 = off, 1 = human pace, 10 = ten times faster. */
	simRate: int('SIM_RATE', 1),
	/** Relay fallback poll when no wake-up arrives (LISTEN/NOTIFY or in-process). */
	relayPollMs: int('RELAY_POLL_MS', 1000),
	/** A subscriber further behind than this many events gets a snapshot instead of a replay. */
	replayWindow: int('REPLAY_WINDOW', 5000),
	/** Events older than this are pruned from the log (clients that far behind get snapshots). */
	eventRetentionDays: int('EVENT_RETENTION_DAYS', 14),
	sessionDays: int('SESSION_DAYS', 14),
	/** Login attempts per IP and per account per 15 minutes. */
	loginAttempts: int('LOGIN_ATTEMPTS', 10),
	/** Alerts: an open station with no check-in, check-out or state change for this long is "silent". */
	alertSilentMinutes: int('ALERT_SILENT_MINUTES', 60),
	/** Alerts: a position waiting in review longer than this is overdue. */
	alertReviewHours: int('ALERT_REVIEW_HOURS', 24),
	/** Alerts: how often the time-based conditions are swept (event-driven ones react at once). */
	alertSweepSeconds: int('ALERT_SWEEP_SECONDS', 15),
	/** Wall displays send a heartbeat this often; two missed ones raise a display_offline alert. */
	displayHeartbeatSeconds: int('DISPLAY_HEARTBEAT_SECONDS', 30),
	/** Map background: `osm` (default), `tianditu` (needs TIANDITU_KEY), `none`, or `custom` (MAP_TILE_URL). */
	mapTiles: (env.MAP_TILES || (env.MAP_TILE_URL ? 'custom' : 'osm')) as 'osm' | 'tianditu' | 'none' | 'custom',
	mapTileUrl: env.MAP_TILE_URL || undefined,
	mapTileAttribution: env.MAP_TILE_ATTRIBUTION || undefined,
	tiandituKey: env.TIANDITU_KEY || undefined,
	/** STUN/TURN servers for a host's camera stream (WebRTC); none works on a LAN and on loopback. */
	webrtcIceServers: iceServers('WEBRTC_ICE_SERVERS'),
	/** Viewers one host's browser sends its camera to at once (a mesh: one upload per viewer). */
	webrtcMaxViewers: int('WEBRTC_MAX_VIEWERS', 20)
};

export type Config = typeof config;
