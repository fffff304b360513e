/**
 * What the HTTP fuzz throws things at (http-fuzz.test.ts): every form action with the fields its form has,
 * every endpoint method with what its body or query carries, and every route parameter. `refuse` lists the
 * fields any one of which, sent invalid, makes the request fail whatever else it says — the fuzz always
 * spoils one of them, so it may insist that nothing was written. Actions whose only input is the address
 * (submit, close, fill) are fuzzed through their route parameters. The test checks this table against the
 * file tree, like the access matrix.
 */
import type { FieldKind } from './hostile';
import type { Role } from './access-matrix';

export interface FuzzAction {
	/** Who posts it: a role that passes the action's guard, so the input reaches validation. */
	as: Role;
	path: string;
	/** Spoil one of these; the request must then be refused. Empty: the address is the only input. */
	refuse: Record<string, FieldKind>;
	/** Other fields of the form, sent with anything in them. */
	fields?: string[];
	/** The action ends the session or cannot be repeated harmlessly with random input; not body-fuzzed. */
	skip?: string;
}

const POSITION_FIELDS = ['category', 'kind', 'description', 'payMin', 'payMax', 'payUnit', 'headcount', 'address', 'regionCode', 'lat', 'lng', 'workDate', 'startTime', 'endTime', 'expiresOn', 'employerOrganisationId', 'intent'];
const SEEKER_FIELDS = ['name', 'keyGroups', 'skills', 'wantedCategories', 'homeLat', 'homeLng', 'radiusKm', 'oddJobDays'];

export const actions: Record<string, Record<string, FuzzAction>> = {
	'/admin': {
		createToken: { as: 'admin', path: '/admin', refuse: { organisationId: 'id', label: 'text' } },
		revokeToken: { as: 'admin', path: '/admin', refuse: { tokenId: 'id' } }
	},
	'/displays': {
		register: { as: 'admin', path: '/displays', refuse: { stationId: 'id', label: 'text' }, fields: ['bilingual'] },
		revoke: { as: 'admin', path: '/displays', refuse: { displayId: 'id' } }
	},
	'/employer/positions/[id]': {
		save: { as: 'employer', path: '/employer/positions/{positionOwn}', refuse: { title: 'text' }, fields: POSITION_FIELDS },
		submit: { as: 'employer', path: '/employer/positions/{positionOwn}', refuse: {} },
		close: { as: 'employer', path: '/employer/positions/{positionOwn}', refuse: {} },
		fill: { as: 'employer', path: '/employer/positions/{positionOwn}', refuse: {} }
	},
	'/employer/positions/[id]/applicants': {
		move: { as: 'employer', path: '/employer/positions/{positionOwn}/applicants', refuse: { applicationId: 'id', status: 'state' } }
	},
	'/employer/positions/new': { default: { as: 'employer', path: '/employer/positions/new', refuse: { title: 'text' }, fields: ['title', ...POSITION_FIELDS] } },
	'/employer/profile': { save: { as: 'employer', path: '/employer/profile', refuse: { name: 'text' }, fields: ['contactPhone'] } },
	'/fairs/[id]': {
		setState: { as: 'staff', path: '/fairs/{fairOpen}', refuse: { state: 'state' } },
		signIn: { as: 'staff', path: '/fairs/{fairOpen}', refuse: { phone: 'phone' }, fields: ['name', 'consent'] },
		apply: { as: 'staff', path: '/fairs/{fairOpen}', refuse: { positionId: 'id', clientKey: 'key' }, fields: ['phone'] },
		addBooth: { as: 'staff', path: '/fairs/{fairOpen}', refuse: { organisationId: 'id' }, fields: ['label'] },
		offer: { as: 'staff', path: '/fairs/{fairOpen}', refuse: { applicationId: 'id' } }
	},
	'/jobs/[id]': {
		apply: { as: 'seeker', path: '/jobs/{positionOther}', refuse: { clientKey: 'key' }, fields: ['source'] },
		register: { as: 'anonymous', path: '/jobs/{positionOther}', refuse: { phone: 'phone', consent: 'checkbox' }, fields: ['name', 'password', 'clientKey', 'source'] }
	},
	'/live/[room]': { apply: { as: 'seeker', path: '/live/{roomLive}', refuse: { positionId: 'id', clientKey: 'key' } } },
	'/live/[room]/host': {
		setState: { as: 'employer', path: '/live/{roomLive}/host', refuse: { state: 'state' } },
		pin: { as: 'employer', path: '/live/{roomLive}/host', refuse: { positionId: 'id' } },
		add: { as: 'employer', path: '/live/{roomLive}/host', refuse: { positionId: 'id' } },
		slowMode: { as: 'employer', path: '/live/{roomLive}/host', refuse: { seconds: 'seconds' } }
	},
	'/live/new': { default: { as: 'employer', path: '/live/new', refuse: { title: 'text' }, fields: ['scheduledAt', 'videoKind', 'videoUrl', 'hostOrganisationId', 'stationId', 'positionId'] } },
	'/login': { default: { as: 'anonymous', path: '/login', refuse: { password: 'text' }, fields: ['username'] } },
	'/logout': { default: { as: 'seeker', path: '/logout', refuse: {}, skip: 'ends the session; takes no input' } },
	'/stations/[id]/fairs/new': { default: { as: 'staff', path: '/stations/{station}/fairs/new', refuse: { title: 'text' }, fields: ['startsAt', 'endsAt', 'booth', 'label-1', 'positions-1'] } },
	'/stations/[id]/positions': {
		review: { as: 'staff', path: '/stations/{station}/positions', refuse: { positionId: 'id', decision: 'state' }, fields: ['reason'] },
		submit: { as: 'staff', path: '/stations/{station}/positions', refuse: { positionId: 'id' } },
		close: { as: 'staff', path: '/stations/{station}/positions', refuse: { positionId: 'id' } },
		fill: { as: 'staff', path: '/stations/{station}/positions', refuse: { positionId: 'id' } }
	},
	'/stations/[id]/positions/[positionId]': { default: { as: 'staff', path: '/stations/{station}/positions/{positionStationDraft}', refuse: { title: 'text' }, fields: POSITION_FIELDS } },
	'/stations/[id]/positions/new': { default: { as: 'staff', path: '/stations/{station}/positions/new', refuse: { title: 'text' }, fields: POSITION_FIELDS } },
	'/stations/[id]/seekers': {
		find: { as: 'staff', path: '/stations/{station}/seekers', refuse: { phone: 'phone' } },
		register: { as: 'staff', path: '/stations/{station}/seekers', refuse: { phone: 'phone' }, fields: ['consent', ...SEEKER_FIELDS] },
		takeOn: { as: 'staff', path: '/stations/{station}/seekers', refuse: { phone: 'phone', clientKey: 'key' } }
	},
	'/stations/[id]/seekers/[seekerId]': {
		update: { as: 'staff', path: '/stations/{station}/seekers/{seekerAtStation}', refuse: { phone: 'phone' }, fields: SEEKER_FIELDS },
		withdraw: { as: 'staff', path: '/stations/{station}/seekers/{seekerAtStation}', refuse: { confirm: 'checkbox' } },
		recommend: { as: 'staff', path: '/stations/{station}/seekers/{seekerAtStation}', refuse: { positionId: 'id', clientKey: 'key' } }
	}
};

export interface FuzzEndpoint {
	as: Role | 'bearer';
	/** `json`: any JSON or not-JSON text; `file`: an upload (multipart) of anything; `csv`: a raw body of anything. */
	body?: 'json' | 'file' | 'raw';
	/** Query parameters it reads, sent with anything in them. */
	query?: string[];
	path: string;
}

/** Every endpoint method. A GET without `query` reads nothing from the request but the address. */
export const endpoints: Record<string, Record<string, FuzzEndpoint>> = {
	'/api/v1/openapi.json': { GET: { as: 'anonymous', path: '/api/v1/openapi.json' } },
	'/api/v1/positions': {
		GET: { as: 'bearer', path: '/api/v1/positions', query: ['after', 'limit', 'state', 'updatedSince'] },
		POST: { as: 'bearer', path: '/api/v1/positions', body: 'json' }
	},
	'/api/v1/positions/[id]/applications': { GET: { as: 'bearer', path: '/api/v1/positions/{positionOwn}/applications', query: ['after', 'limit', 'status'] } },
	'/api/v1/positions/import': { POST: { as: 'bearer', path: '/api/v1/positions/import', body: 'raw', query: ['mode'] } },
	'/api/v1/stations': { GET: { as: 'bearer', path: '/api/v1/stations', query: ['after', 'limit'] } },
	'/employer/import/run': { POST: { as: 'employer', path: '/employer/import/run', body: 'file' } },
	'/exports/positions.csv': { GET: { as: 'admin', path: '/exports/positions.csv' } },
	'/exports/station-stats.csv': { GET: { as: 'admin', path: '/exports/station-stats.csv', query: ['from', 'to'] } },
	'/healthz': { GET: { as: 'anonymous', path: '/healthz' } },
	'/import/positions-example.csv': { GET: { as: 'anonymous', path: '/import/positions-example.csv' } },
	'/ops/coverage.csv': { GET: { as: 'supervisor', path: '/ops/coverage.csv', query: ['region', 'kind', 'org'] } },
	'/ops/stations.json': { GET: { as: 'supervisor', path: '/ops/stations.json' } },
	'/ops/health.json': { GET: { as: 'admin', path: '/ops/health.json' } },
	'/metrics': { GET: { as: 'anonymous', path: '/metrics' } },
	'/ops/summary.json': { GET: { as: 'supervisor', path: '/ops/summary.json', query: ['region', 'kind', 'org', 'state'] } },
	'/stations/[id]/import/run': { POST: { as: 'staff', path: '/stations/{station}/import/run', body: 'file' } },
	'/stations/[id]/panel.json': { GET: { as: 'supervisor', path: '/stations/{station}/panel.json' } }
};

/** Pages that read their query string, and what they read. */
export const pageQueries: Record<string, { as: Role; path: string; query: string[] }> = {
	'/jobs': { as: 'anonymous', path: '/jobs', query: ['q', 'kind', 'category', 'pay', 'lat', 'lng', 'km', 'station', 'after'] },
	'/jobs/[id]': { as: 'seeker', path: '/jobs/{positionOwn}', query: ['source'] },
	'/ops': { as: 'supervisor', path: '/ops', query: ['region', 'kind', 'org', 'state'] },
	'/ops/coverage': { as: 'supervisor', path: '/ops/coverage', query: ['region', 'kind', 'org'] },
	'/login': { as: 'staff', path: '/login', query: ['next'] },
	'/employer/positions/new': { as: 'employer', path: '/employer/positions/new', query: ['from'] },
	'/stations/[id]/positions/new': { as: 'staff', path: '/stations/{station}/positions/new', query: ['from'] },
	'/stations/[id]/desk': { as: 'staff', path: '/stations/{station}/desk', query: ['seeker'] },
	'/stations/[id]/seekers/[seekerId]': { as: 'staff', path: '/stations/{station}/seekers/{seekerAtStation}', query: ['done'] }
};

/** Each route parameter, with a role that may use the route and good values for the other parameters. */
export const params: Record<string, { as: Role | 'bearer'; valid: Record<string, string> }> = {
	'/display/[token]': { as: 'anonymous', valid: { token: '{displayToken}' } },
	'/employer/positions/[id]': { as: 'employer', valid: { id: '{positionOwn}' } },
	'/employer/positions/[id]/applicants': { as: 'employer', valid: { id: '{positionOwn}' } },
	'/fairs/[id]': { as: 'staff', valid: { id: '{fairOpen}' } },
	'/jobs/[id]': { as: 'seeker', valid: { id: '{positionOwn}' } },
	'/live/[room]': { as: 'seeker', valid: { room: '{roomLive}' } },
	'/live/[room]/host': { as: 'employer', valid: { room: '{roomLive}' } },
	'/live/[room]/summary': { as: 'employer', valid: { room: '{roomLive}' } },
	'/stations/[id]': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/desk': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/fairs/new': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/import': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/import/run': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/panel.json': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/positions': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/positions/[positionId]': { as: 'staff', valid: { id: '{station}', positionId: '{positionStationDraft}' } },
	'/stations/[id]/positions/[positionId]/fit': { as: 'staff', valid: { id: '{station}', positionId: '{positionOwn}' } },
	'/stations/[id]/positions/new': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/seekers': { as: 'staff', valid: { id: '{station}' } },
	'/stations/[id]/seekers/[seekerId]': { as: 'staff', valid: { id: '{station}', seekerId: '{seekerAtStation}' } },
	'/api/v1/positions/[id]/applications': { as: 'bearer', valid: { id: '{positionOwn}' } }
};
