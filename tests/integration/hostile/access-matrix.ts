/**
 * Who may do what: every route, form action, endpoint method, socket topic kind and socket command, with the
 * answer each role gets. access-matrix.test.ts walks this table against the running app and also checks
 * that it is complete: a route, action, method, topic kind or command missing here fails the test.
 *
 * Roles: `supervisor` is the Guangzhou supervisor (`supervisor.gz`, so scope shows: station 1 is in Guangzhou,
 * `stationFar` is not); `display` is station 1's wall screen, which has no session — over HTTP it is a
 * visitor without a cookie, over the socket it authenticates with its device token.
 *
 * The payloads are chosen so that nothing is written: an allowed request repeats one made during setup
 * (a client key already used), asks for the state something is already in, or runs into a conflict that
 * comes after the scope check (a closed position cannot be closed again). Where a service validates the whole
 * input before it can know the scope, the allowed roles get 400 and the table says so. `{name}` is a target
 * from targets.ts.
 */
import type { ErrorCode } from '../../../src/lib/server/errors';

export const ROLES = ['anonymous', 'seeker', 'employer', 'staff', 'supervisor', 'admin', 'display'] as const;
export type Role = (typeof ROLES)[number];

/** The demo login behind each signed-in role. */
export const LOGINS: Record<Exclude<Role, 'anonymous' | 'display'>, string> = {
	seeker: 'seeker',
	employer: 'employer',
	staff: 'staff',
	supervisor: 'supervisor.gz',
	admin: 'admin'
};

/**
 * An HTTP answer as the matrix reads it: the status; `login` for a redirect to the sign-in page; `to:/path`
 * for another redirect (compared by prefix). A streamed import answers 200 and reports its refusal in the
 * last line; the matrix reads that line's code as the status.
 */
export type Answer = number | 'login' | `to:${string}`;
/** A socket acknowledgement: `ok`, or the error's code. */
export type Ack = 'ok' | ErrorCode;
export type Expect<A> = Record<Role, A>;

/** Everyone gets `base`, except as listed. */
export function all<A>(base: A, except: Partial<Record<Role, A>> = {}): Expect<A> {
	return { ...(Object.fromEntries(ROLES.map((r) => [r, base])) as Expect<A>), ...except };
}
/** A page behind sign-in: no session (a visitor, a wall screen) goes to the sign-in page. */
const signedIn = (base: Answer, except: Partial<Record<Role, Answer>> = {}) => all<Answer>(base, { anonymous: 'login', display: 'login', ...except });
/** A JSON endpoint behind sign-in: no session is 401, not a redirect. */
const signedInApi = (base: Answer, except: Partial<Record<Role, Answer>> = {}) => all<Answer>(base, { anonymous: 401, display: 401, ...except });

export interface ActionCase {
	form?: Record<string, string>;
	expect: Expect<Answer>;
	/** Signs out (or otherwise ends) the session: run with a session of its own. */
	endsSession?: true;
}

export interface PageCase {
	path: string;
	get: Expect<Answer>;
	actions?: Record<string, ActionCase>;
}

export interface EndpointCase {
	method: string;
	path: string;
	/** A JSON body (sent as application/json), or a form (multipart). */
	json?: unknown;
	form?: Record<string, string>;
	/** Roles send their session cookie and nothing else. */
	expect: Expect<Answer>;
	/** /api/v1: the answer to the demo employer's API token (no cookie). Cookies never count there. */
	bearer?: Answer;
}

// ── pages and their form actions ────────────────────────────────────────────────────────────────────
export const pages: Record<string, PageCase[]> = {
	'/': [{ path: '/', get: all(200) }],
	'/admin': [
		{
			path: '/admin',
			get: signedIn(403, { admin: 200 }),
			actions: {
				createToken: { expect: signedIn(403, { admin: 400 }) },
				revokeToken: { expect: signedIn(403, { admin: 400 }) }
			}
		}
	],
	'/display/[token]': [
		// The token in the address is the screen's identity; a cookie adds nothing and takes nothing away.
		{ path: '/display/{displayToken}', get: all(200) },
		{ path: '/display/not-a-device-token', get: all(200) }
	],
	'/displays': [
		{
			path: '/displays',
			get: signedIn(403, { staff: 200, admin: 200 }),
			actions: {
				// A station that does not exist: only an administrator gets as far as looking it up.
				register: { form: { stationId: '999999999', label: '矩阵' }, expect: all(403, { admin: 404 }) },
				// Already revoked: the administrator is answered with that, staff of station 1 may not touch it.
				revoke: { form: { displayId: '{displayRevoked}' }, expect: all(403, { admin: 200 }) }
			}
		}
	],
	'/employer': [{ path: '/employer', get: signedIn(403, { employer: 200 }) }],
	'/employer/import': [{ path: '/employer/import', get: signedIn(403, { employer: 200 }) }],
	'/employer/positions/[id]': [
		{
			path: '/employer/positions/{positionOwn}',
			get: signedIn(403, { employer: 200 }),
			actions: {
				save: { form: { title: '' }, expect: signedIn(403, { employer: 400 }) },
				submit: { expect: signedIn(403, { employer: 409 }) }
			}
		},
		{
			path: '/employer/positions/{positionOwnClosed}',
			get: signedIn(403, { employer: 200 }),
			actions: {
				close: { expect: signedIn(403, { employer: 409 }) },
				fill: { expect: signedIn(403, { employer: 409 }) }
			}
		},
		{
			path: '/employer/positions/{positionOther}',
			get: signedIn(403, { employer: 404 }),
			actions: {
				submit: { expect: signedIn(403) },
				close: { expect: signedIn(403) }
			}
		}
	],
	'/employer/positions/[id]/applicants': [
		{
			path: '/employer/positions/{positionOwn}/applicants',
			get: signedIn(403, { employer: 200 }),
			actions: { move: { form: { applicationId: '{applicationHired}', status: 'hired' }, expect: signedIn(403, { employer: 200 }) } }
		},
		{ path: '/employer/positions/{positionOther}/applicants', get: signedIn(403) }
	],
	'/employer/positions/new': [{ path: '/employer/positions/new', get: signedIn(403, { employer: 200 }), actions: { default: { expect: signedIn(403, { employer: 400 }) } } }],
	'/employer/profile': [{ path: '/employer/profile', get: signedIn(403, { employer: 200 }), actions: { save: { expect: signedIn(403, { employer: 400 }) } } }],
	'/fairs/[id]': [
		{
			path: '/fairs/{fairOpen}',
			// The demo employer has a booth at this fair.
			get: signedIn(200, { seeker: 403 }),
			actions: {
				setState: { form: { state: 'open' }, expect: signedIn(403, { staff: 200, admin: 200 }) },
				signIn: { form: { phone: '{phoneAtStation}' }, expect: signedIn(403, { staff: 200, admin: 200 }) },
				apply: { form: { positionId: '{fairPosition}', phone: '{phoneAtStation}', clientKey: 'matrix-fair-apply' }, expect: signedIn(403, { staff: 200, employer: 200 }) },
				addBooth: { form: { organisationId: '{fairBoothOrg}', label: 'Z9' }, expect: signedIn(403, { staff: 409, admin: 409 }) },
				offer: { form: { applicationId: '{applicationFairHired}' }, expect: signedIn(403, { staff: 200, employer: 200, admin: 200, seeker: 404 }) }
			}
		}
	],
	'/jobs': [{ path: '/jobs', get: all(200) }],
	'/jobs/[id]': [
		{
			path: '/jobs/{positionOwn}',
			get: all(200),
			actions: {
				// The demo seeker applied with this key during setup. Staff and employers apply for someone, so they must say whom.
				apply: { form: { clientKey: 'matrix-apply' }, expect: all(403, { seeker: 200, staff: 400, employer: 400 }) },
				register: { expect: all(400) }
			}
		}
	],
	'/live': [{ path: '/live', get: all(200) }],
	'/live/[room]': [
		{
			path: '/live/{roomLive}',
			get: all(200),
			actions: { apply: { form: { positionId: '{roomPinned}', clientKey: 'matrix-apply-room' }, expect: all(403, { anonymous: 401, display: 401, seeker: 200 }) } }
		}
	],
	'/live/[room]/host': [
		{
			path: '/live/{roomLive}/host',
			get: signedIn(403, { employer: 200, staff: 200, admin: 200 }),
			actions: {
				setState: { form: { state: 'live' }, expect: signedIn(403, { employer: 200, staff: 200, admin: 200 }) },
				pin: { form: { positionId: '{roomPinned}' }, expect: signedIn(403, { employer: 200, staff: 200, admin: 200 }) },
				add: { form: { positionId: '{roomPinned}' }, expect: signedIn(403, { employer: 200, staff: 200, admin: 200 }) },
				slowMode: { form: { seconds: '0' }, expect: signedIn(403, { employer: 200, staff: 200, admin: 200 }) }
			}
		},
		{ path: '/live/{roomOther}/host', get: signedIn(403, { admin: 200 }) }
	],
	'/live/[room]/summary': [
		{ path: '/live/{roomLive}/summary', get: signedIn(200, { seeker: 403 }) },
		{ path: '/live/{roomOther}/summary', get: signedIn(403, { admin: 200 }) }
	],
	'/live/new': [{ path: '/live/new', get: signedIn(403, { employer: 200, staff: 200, admin: 200 }), actions: { default: { expect: signedIn(403, { employer: 400, staff: 400, admin: 400 }) } } }],
	'/login': [
		{
			path: '/login',
			get: all<Answer>(200, { seeker: 'to:/jobs', employer: 'to:/employer', staff: 'to:/stations/', supervisor: 'to:/ops', admin: 'to:/admin' }),
			actions: { default: { form: { username: 'nobody-here', password: 'wrong-password' }, expect: all(400) } }
		}
	],
	'/logout': [{ path: '/logout', get: all<Answer>('to:/'), actions: { default: { expect: all<Answer>('to:/'), endsSession: true } } }],
	'/me/applications': [{ path: '/me/applications', get: signedIn(403, { seeker: 200 }) }],
	'/ops': [{ path: '/ops', get: signedIn(403, { supervisor: 200, admin: 200 }) }],
	'/ops/coverage': [{ path: '/ops/coverage', get: signedIn(403, { supervisor: 200, admin: 200 }) }],
	'/stations/[id]': [
		{ path: '/stations/{station}', get: signedIn(403, { staff: 200, supervisor: 200, admin: 200 }) },
		{ path: '/stations/{stationFar}', get: signedIn(403, { admin: 200 }) }
	],
	'/stations/[id]/desk': [
		{ path: '/stations/{station}/desk', get: signedIn(403, { staff: 200, admin: 200 }) },
		{ path: '/stations/{stationCity}/desk', get: signedIn(403, { admin: 200 }) }
	],
	'/stations/[id]/fairs/new': [
		{ path: '/stations/{station}/fairs/new', get: signedIn(403, { staff: 200, admin: 200 }), actions: { default: { expect: signedIn(403, { staff: 400, admin: 400 }) } } },
		{ path: '/stations/{stationCity}/fairs/new', get: signedIn(403, { admin: 200 }) }
	],
	'/stations/[id]/import': [
		{ path: '/stations/{station}/import', get: signedIn(403, { staff: 200 }) },
		{ path: '/stations/{stationCity}/import', get: signedIn(403) }
	],
	'/stations/[id]/positions': [
		{
			path: '/stations/{station}/positions',
			get: signedIn(403, { staff: 200, supervisor: 200, admin: 200 }),
			actions: {
				// positionOwn is open and in Tianhe: every reviewer there is told it is not waiting for review.
				review: { form: { positionId: '{positionOwn}', decision: 'approve' }, expect: signedIn(403, { staff: 409, supervisor: 409, admin: 409 }) },
				submit: { form: { positionId: '{positionOwn}' }, expect: signedIn(403, { admin: 409 }) },
				close: { form: { positionId: '{positionOwnClosed}' }, expect: signedIn(403, { staff: 409, supervisor: 409, admin: 409 }) },
				fill: { form: { positionId: '{positionOwnClosed}' }, expect: signedIn(403, { admin: 409 }) }
			}
		},
		{
			path: '/stations/{station}/positions',
			get: signedIn(403, { staff: 200, supervisor: 200, admin: 200 }),
			// In Shenzhen: nobody in Guangzhou reviews it.
			actions: { review: { form: { positionId: '{positionOther}', decision: 'approve' }, expect: signedIn(403, { admin: 409 }) } }
		},
		{ path: '/stations/{stationFar}/positions', get: signedIn(403, { admin: 200 }) }
	],
	'/stations/[id]/positions/[positionId]': [
		{ path: '/stations/{station}/positions/{positionStationDraft}', get: signedIn(403, { staff: 200 }), actions: { default: { form: { title: '' }, expect: signedIn(403, { staff: 400 }) } } },
		{ path: '/stations/{stationCity}/positions/{positionStationDraft}', get: signedIn(403) }
	],
	'/stations/[id]/positions/[positionId]/fit': [
		{ path: '/stations/{station}/positions/{positionOwn}/fit', get: signedIn(403, { staff: 200, admin: 200 }) },
		{ path: '/stations/{stationCity}/positions/{positionOwn}/fit', get: signedIn(403, { admin: 200 }) }
	],
	'/stations/[id]/positions/new': [
		{ path: '/stations/{station}/positions/new', get: signedIn(403, { staff: 200 }), actions: { default: { expect: signedIn(403, { staff: 400 }) } } },
		{ path: '/stations/{stationCity}/positions/new', get: signedIn(403) }
	],
	'/stations/[id]/seekers': [
		{
			path: '/stations/{station}/seekers',
			get: signedIn(403, { staff: 200, admin: 200 }),
			actions: {
				find: { form: { phone: '{phoneAtStation}' }, expect: signedIn(403, { staff: 200, admin: 200 }) },
				register: { expect: signedIn(403, { staff: 400, admin: 400 }) },
				takeOn: { form: { phone: '{phoneAtStation}', clientKey: 'matrix-take-on' }, expect: signedIn(403, { staff: 'to:/stations/', admin: 'to:/stations/' }) }
			}
		},
		{
			path: '/stations/{stationCity}/seekers',
			get: signedIn(403, { admin: 200 }),
			actions: {
				find: { form: { phone: '{phoneAtStation}' }, expect: signedIn(403, { admin: 200 }) },
				takeOn: { form: { phone: '{phoneAtStation}', clientKey: 'matrix-take-on' }, expect: signedIn(403, { admin: 'to:/stations/' }) }
			}
		}
	],
	'/stations/[id]/seekers/[seekerId]': [
		{
			path: '/stations/{station}/seekers/{seekerAtStation}',
			get: signedIn(403, { staff: 200, admin: 200 }),
			actions: {
				update: { form: { phone: 'not-a-phone' }, expect: signedIn(403, { staff: 400, admin: 400 }) },
				// Without the confirmation box nothing happens, whoever asks.
				withdraw: { expect: signedIn(403, { staff: 400, admin: 400 }) },
				recommend: { form: { positionId: '{positionOwn}', clientKey: 'matrix-recommend' }, expect: signedIn(403, { staff: 200, admin: 200 }) }
			}
		},
		{
			// Known to another station only: for station 1's staff this person does not exist.
			path: '/stations/{station}/seekers/{seekerElsewhere}',
			get: signedIn(403, { staff: 404, admin: 200 }),
			actions: {
				update: { form: { phone: 'not-a-phone' }, expect: signedIn(403, { staff: 404, admin: 400 }) },
				// A closed position: an administrator (who may) is told it is not open; staff do not find the person.
				recommend: { form: { positionId: '{positionOwnClosed}', clientKey: 'matrix-recommend-elsewhere' }, expect: signedIn(403, { staff: 404, admin: 409 }) }
			}
		}
	]
};

// ── endpoints (+server.ts) ──────────────────────────────────────────────────────────────────────────
export const endpoints: Record<string, EndpointCase[]> = {
	'/api/v1/openapi.json': [{ method: 'GET', path: '/api/v1/openapi.json', expect: all(200), bearer: 200 }],
	'/api/v1/positions': [
		{ method: 'GET', path: '/api/v1/positions', expect: all(401), bearer: 200 },
		{ method: 'POST', path: '/api/v1/positions', json: {}, expect: all(401), bearer: 400 }
	],
	'/api/v1/positions/[id]/applications': [
		{ method: 'GET', path: '/api/v1/positions/{positionOwn}/applications', expect: all(401), bearer: 200 },
		{ method: 'GET', path: '/api/v1/positions/{positionOther}/applications', expect: all(401), bearer: 403 }
	],
	// A check writes nothing: the token gets the report of one bad row.
	'/api/v1/positions/import': [{ method: 'POST', path: '/api/v1/positions/import?mode=check', json: [{}], expect: all(401), bearer: 200 }],
	'/api/v1/stations': [{ method: 'GET', path: '/api/v1/stations', expect: all(401), bearer: 200 }],
	// No file: an employer is told so; nobody else gets that far.
	'/employer/import/run': [{ method: 'POST', path: '/employer/import/run', form: { mode: 'check' }, expect: signedInApi(403, { employer: 400 }) }],
	'/exports/positions.csv': [{ method: 'GET', path: '/exports/positions.csv', expect: signedIn(200, { seeker: 403 }) }],
	'/exports/station-stats.csv': [{ method: 'GET', path: '/exports/station-stats.csv?from=2026-01-01&to=2026-01-31', expect: signedIn(403, { staff: 200, supervisor: 200, admin: 200 }) }],
	'/healthz': [{ method: 'GET', path: '/healthz', expect: all(200) }],
	'/import/positions-example.csv': [{ method: 'GET', path: '/import/positions-example.csv', expect: all(200) }],
	// The matrix's server has METRICS_TOKEN set: a session cookie, even an administrator's, is not the token.
	'/metrics': [{ method: 'GET', path: '/metrics', expect: all(401) }],
	'/ops/coverage.csv': [{ method: 'GET', path: '/ops/coverage.csv', expect: signedIn(403, { supervisor: 200, admin: 200 }) }],
	'/ops/health.json': [{ method: 'GET', path: '/ops/health.json', expect: signedInApi(403, { admin: 200 }) }],
	'/ops/stations.json': [{ method: 'GET', path: '/ops/stations.json', expect: signedInApi(403, { supervisor: 200, admin: 200 }) }],
	'/ops/summary.json': [{ method: 'GET', path: '/ops/summary.json', expect: signedInApi(403, { supervisor: 200, admin: 200 }) }],
	'/stations/[id]/import/run': [
		{ method: 'POST', path: '/stations/{station}/import/run', form: { mode: 'check' }, expect: signedInApi(403, { staff: 400 }) },
		{ method: 'POST', path: '/stations/{stationCity}/import/run', form: { mode: 'check' }, expect: signedInApi(403, { staff: 400 }) }
	],
	'/stations/[id]/panel.json': [
		{ method: 'GET', path: '/stations/{station}/panel.json', expect: signedInApi(403, { staff: 200, supervisor: 200, admin: 200 }) },
		{ method: 'GET', path: '/stations/{stationFar}/panel.json', expect: signedInApi(403, { admin: 200 }) }
	]
};

// ── socket subscriptions, one or more per topic kind ────────────────────────────────────────────────
export const topics: Record<string, { topic: string; expect: Expect<Ack> }[]> = {
	jobs: [{ topic: 'jobs', expect: all<Ack>('ok') }],
	room: [{ topic: 'room:{roomLive}', expect: all<Ack>('ok') }],
	room_host: [
		{ topic: 'room_host:{roomLive}', expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) },
		{ topic: 'room_host:{roomOther}', expect: all<Ack>('forbidden', { admin: 'ok' }) }
	],
	station: [
		{ topic: 'station:{station}', expect: all<Ack>('forbidden', { staff: 'ok', supervisor: 'ok', admin: 'ok' }) },
		{ topic: 'station:{stationFar}', expect: all<Ack>('forbidden', { admin: 'ok' }) }
	],
	region: [
		{ topic: 'region:4401', expect: all<Ack>('forbidden', { supervisor: 'ok', admin: 'ok' }) },
		{ topic: 'region:44', expect: all<Ack>('forbidden', { admin: 'ok' }) }
	],
	org: [{ topic: 'org:{employerOrg}', expect: all<Ack>('forbidden', { employer: 'ok', admin: 'ok' }) }],
	seeker: [
		{ topic: 'seeker:{seeker}', expect: all<Ack>('forbidden', { seeker: 'ok' }) },
		{ topic: 'seeker:{seekerOther}', expect: all<Ack>('forbidden') }
	],
	fair: [{ topic: 'fair:{fairOpen}', expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', supervisor: 'ok', admin: 'ok' }) }],
	display: [
		{ topic: 'display:{station}', expect: all<Ack>('forbidden', { display: 'ok', staff: 'ok', supervisor: 'ok', admin: 'ok' }) },
		{ topic: 'display:{stationCity}', expect: all<Ack>('forbidden', { supervisor: 'ok', admin: 'ok' }) }
	]
};

// ── socket commands ─────────────────────────────────────────────────────────────────────────────────
const counter = (ok: Ack = 'ok') => all<Ack>('forbidden', { staff: ok, admin: ok });

export const commands: Record<string, { input: unknown; expect: Expect<Ack> }[]> = {
	'visit:check_in': [{ input: { stationId: '{station}', clientKey: 'matrix-visit-in' }, expect: counter() }],
	'visit:check_out': [{ input: { stationId: '{station}', clientKey: 'matrix-visit-out' }, expect: counter() }],
	'station:set_state': [
		{ input: { stationId: '{station}', state: 'open' }, expect: all<Ack>('forbidden', { staff: 'ok', supervisor: 'ok', admin: 'ok' }) },
		{ input: { stationId: '{stationFar}', state: 'open' }, expect: all<Ack>('forbidden', { admin: 'ok' }) }
	],
	'service:record': [{ input: { stationId: '{station}', kind: 'policy_consultation', clientKey: 'matrix-service' }, expect: counter() }],
	// Who may post at all is decided before the input is read.
	'position:create': [{ input: {}, expect: all<Ack>('forbidden', { employer: 'invalid', staff: 'invalid', admin: 'invalid' }) }],
	'position:submit': [{ input: { positionId: '{positionOwn}' }, expect: all<Ack>('forbidden', { employer: 'conflict', admin: 'conflict' }) }],
	'position:review': [
		{ input: { positionId: '{positionOwn}', decision: 'approve' }, expect: all<Ack>('forbidden', { staff: 'conflict', supervisor: 'conflict', admin: 'conflict' }) },
		{ input: { positionId: '{positionOther}', decision: 'approve' }, expect: all<Ack>('forbidden', { admin: 'conflict' }) }
	],
	'position:close': [{ input: { positionId: '{positionOwnClosed}' }, expect: all<Ack>('forbidden', { employer: 'conflict', staff: 'conflict', supervisor: 'conflict', admin: 'conflict' }) }],
	'position:fill': [{ input: { positionId: '{positionOwnClosed}' }, expect: all<Ack>('forbidden', { employer: 'conflict', admin: 'conflict' }) }],
	'application:apply': [
		// The demo seeker's own repeat; staff at the counter for a person of their station; employers only at their booth.
		{ input: { positionId: '{positionOwn}', clientKey: 'matrix-apply' }, expect: all<Ack>('forbidden', { seeker: 'ok', staff: 'invalid', employer: 'invalid' }) },
		{ input: { positionId: '{positionOwn}', clientKey: 'matrix-recommend', seekerId: '{seekerAtStation}' }, expect: all<Ack>('forbidden', { staff: 'ok' }) },
		// Someone of another station, for a closed position: were the scope check missing, the answer would be a conflict.
		{ input: { positionId: '{positionOwnClosed}', clientKey: 'matrix-apply-elsewhere', seekerId: '{seekerElsewhere}' }, expect: all<Ack>('forbidden', { staff: 'not_found' }) }
	],
	'application:set_status': [{ input: { applicationId: '{applicationHired}', status: 'hired' }, expect: all<Ack>('forbidden', { employer: 'ok', admin: 'ok', seeker: 'not_found' }) }],
	'alert:acknowledge': [{ input: { alertId: '{alert}' }, expect: all<Ack>('forbidden', { supervisor: 'ok', admin: 'ok' }) }],
	// The display's heartbeat updates its own row only (no row is added).
	'display:heartbeat': [{ input: {}, expect: all<Ack>('forbidden', { display: 'ok' }) }],
	'fair:set_state': [{ input: { fairId: '{fairOpen}', state: 'open' }, expect: counter() }],
	'fair:add_booth': [{ input: { fairId: '{fairOpen}', organisationId: '{fairBoothOrg}', label: 'Z9' }, expect: counter('conflict') }],
	'fair:sign_in': [{ input: { fairId: '{fairOpen}', phone: '{phoneAtStation}' }, expect: counter() }],
	'fair:apply': [{ input: { fairId: '{fairOpen}', positionId: '{fairPosition}', phone: '{phoneAtStation}', clientKey: 'matrix-fair-apply' }, expect: all<Ack>('forbidden', { staff: 'ok', employer: 'ok' }) }],
	'fair:offer': [{ input: { fairId: '{fairOpen}', applicationId: '{applicationFairHired}' }, expect: all<Ack>('forbidden', { staff: 'ok', employer: 'ok', admin: 'ok', seeker: 'not_found' }) }],
	'recommend:position': [
		{ input: { stationId: '{station}', seekerId: '{seekerAtStation}', positionId: '{positionOwn}', clientKey: 'matrix-recommend' }, expect: counter() },
		{ input: { stationId: '{station}', seekerId: '{seekerElsewhere}', positionId: '{positionOwnClosed}', clientKey: 'matrix-recommend-elsewhere' }, expect: all<Ack>('forbidden', { staff: 'not_found', admin: 'conflict' }) }
	],
	'room:set_state': [{ input: { roomId: '{roomLive}', state: 'live' }, expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) }],
	'room:pin': [{ input: { roomId: '{roomLive}', positionId: '{roomPinned}' }, expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) }],
	'room:add_position': [{ input: { roomId: '{roomLive}', positionId: '{roomPinned}' }, expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) }],
	'room:post': [{ input: { roomId: '{roomLive}', body: '你好', clientKey: 'matrix-chat' }, expect: all<Ack>('ok', { anonymous: 'unauthenticated', display: 'unauthenticated' }) }],
	'room:hide': [{ input: { roomId: '{roomLive}', messageId: '{messageHidden}' }, expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) }],
	'room:answer': [{ input: { roomId: '{roomLive}', messageId: '{messageAnswered}' }, expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) }],
	// The host's own line: the hosts are told a host cannot be muted.
	'room:mute': [{ input: { roomId: '{roomLive}', messageId: '{messageByHost}', minutes: 5 }, expect: all<Ack>('forbidden', { employer: 'invalid', staff: 'invalid', admin: 'invalid' }) }],
	'room:slow_mode': [{ input: { roomId: '{roomLive}', seconds: 0 }, expect: all<Ack>('forbidden', { employer: 'ok', staff: 'ok', admin: 'ok' }) }],
	'room:apply': [{ input: { roomId: '{roomLive}', positionId: '{roomPinned}', clientKey: 'matrix-apply-room' }, expect: all<Ack>('forbidden', { anonymous: 'unauthenticated', seeker: 'ok' }) }],
	// An application that was not made in this room: hosts look and find nothing, nobody else may look.
	'room:reveal': [{ input: { roomId: '{roomLive}', applicationId: '{applicationHired}' }, expect: all<Ack>('forbidden', { employer: 'not_found', staff: 'not_found', admin: 'not_found' }) }]
};
