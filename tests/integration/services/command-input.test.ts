/**
 * Every socket command refuses malformed input before touching anything: a ServiceError('invalid') that
 * names the field at fault (missing, wrong type, 100 KB strings, out of range), and no row or event written.
 */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/actor';
import { applications, events, positions, seekers, serviceRecords, stations, visits } from '../../../src/lib/server/db/schema';
import { ServiceError } from '../../../src/lib/server/errors';
import { commands } from '../../../src/lib/server/realtime/commands';
import { type TestDatabase, createTestDatabase, driverName } from '../../helpers/db';
import { createTestContext } from '../../helpers/app';
import { makeStation, seedRegions } from '../../helpers/fixtures';
import type { AppContext } from '../../../src/lib/server/context';

const HUGE = 'x'.repeat(100_000);
const KEY = 'valid-key-0001';

describe(`command input on ${driverName}`, () => {
	let db: TestDatabase;
	let ctx: AppContext;
	let stationId: number;
	const admin: Actor = { kind: 'admin', userId: 0 };
	const seeker: Actor = { kind: 'seeker', userId: 0, seekerId: 1 };
	const display: Actor = { kind: 'display', displayId: 1, stationId: 1 };

	beforeAll(async () => {
		db = await createTestDatabase();
		ctx = createTestContext(db).ctx;
		await seedRegions(ctx.db);
		stationId = (await makeStation(ctx.db)).id;
	});
	afterAll(async () => {
		await db?.drop();
	});

	const totals = async () => {
		const n = async (table: typeof events | typeof visits | typeof applications | typeof positions | typeof seekers | typeof serviceRecords) =>
			(await ctx.db.select({ n: count() }).from(table))[0].n;
		const [station] = await ctx.db.select({ occupancy: stations.occupancy, state: stations.state }).from(stations);
		return { events: await n(events), visits: await n(visits), applications: await n(applications), positions: await n(positions), services: await n(serviceRecords), station };
	};

	/** [command, actor, input, the field that must be named] */
	const cases = (): Array<[string, Actor, unknown, string]> => [
		['visit:check_in', admin, {}, 'stationId'],
		['visit:check_in', admin, { stationId: 'abc', clientKey: KEY }, 'stationId'],
		['visit:check_in', admin, { stationId, clientKey: HUGE }, 'clientKey'],
		['visit:check_in', admin, { stationId, clientKey: 'short' }, 'clientKey'],
		['visit:check_in', admin, { stationId, clientKey: '../../etc/passwd' }, 'clientKey'],
		['visit:check_in', admin, { stationId, clientKey: KEY, override: 'yes' }, 'override'],
		['visit:check_in', admin, { stationId, clientKey: KEY, keyGroup: 'alien' }, 'keyGroup'],
		['visit:check_in', admin, { stationId: 1.5, clientKey: KEY }, 'stationId'],
		['visit:check_out', admin, { stationId }, 'clientKey'],
		['visit:check_out', admin, { stationId, clientKey: KEY, visitId: 'first' }, 'visitId'],
		['visit:check_out', admin, { stationId: -3, clientKey: KEY }, 'stationId'],
		['station:set_state', admin, { stationId }, 'state'],
		['station:set_state', admin, { stationId, state: 'exploded' }, 'state'],
		['station:set_state', admin, { stationId, state: HUGE }, 'state'],
		['station:set_state', admin, { state: 'closed' }, 'stationId'],
		['service:record', admin, { stationId, clientKey: KEY }, 'kind'],
		['service:record', admin, { stationId, kind: 'haircut', clientKey: KEY }, 'kind'],
		['service:record', admin, { stationId, kind: 'policy_consultation' }, 'clientKey'],
		['service:record', admin, { kind: 'policy_consultation', clientKey: KEY }, 'stationId'],
		['service:record', admin, { stationId, kind: 'policy_consultation', clientKey: KEY, note: HUGE }, 'note'],
		['service:record', admin, { stationId, kind: 'policy_consultation', clientKey: KEY, seekerId: 'someone' }, 'seekerId'],
		['position:create', admin, { title: '仓管', category: 'logistics', kind: 'full_time', payMin: 5000, payMax: 4000, payUnit: 'month', headcount: 1, employerOrganisationId: 1 }, 'payMax'],
		['position:create', admin, { title: HUGE, category: 'logistics', kind: 'full_time', payMin: 1, payMax: 2, payUnit: 'month', headcount: 1 }, 'title'],
		['position:create', admin, { title: '零工', category: 'cleaning', kind: 'odd_job', payMin: 1, payMax: 2, payUnit: 'hour', headcount: 1 }, 'startsAt'],
		['position:create', admin, { title: '仓管', category: 'logistics', kind: 'full_time', payMin: 1, payMax: 2, payUnit: 'year', headcount: 1 }, 'payUnit'],
		['position:close', admin, {}, 'positionId'],
		['position:close', admin, { positionId: 'all' }, 'positionId'],
		['position:fill', admin, { positionId: -5 }, 'positionId'],
		['position:submit', admin, {}, 'positionId'],
		['position:submit', admin, { positionId: HUGE }, 'positionId'],
		['position:submit', admin, { positionId: -1 }, 'positionId'],
		['position:review', admin, { positionId: 1, decision: 'maybe' }, 'decision'],
		['position:review', admin, { positionId: 1, decision: 'reject' }, 'reason'],
		['position:review', admin, { positionId: 1, decision: 'reject', reason: HUGE }, 'reason'],
		['position:review', admin, { positionId: 1, decision: 'reject', reason: '   ' }, 'reason'],
		['position:review', admin, { decision: 'approve' }, 'positionId'],
		['application:apply', seeker, { positionId: 1 }, 'clientKey'],
		['application:apply', seeker, { clientKey: KEY }, 'positionId'],
		['application:apply', seeker, { positionId: 1, clientKey: KEY, channel: 'carrier_pigeon' }, 'channel'],
		['application:apply', seeker, { positionId: 1, clientKey: KEY, source: HUGE }, 'source'],
		['application:apply', seeker, { positionId: 1, clientKey: KEY, source: 'room:1; drop table' }, 'source'],
		['application:apply', seeker, { positionId: 1, clientKey: KEY, seekerId: 'me' }, 'seekerId'],
		['application:apply', seeker, { positionId: { $gt: 0 }, clientKey: KEY }, 'positionId'],
		['application:set_status', admin, { applicationId: 1 }, 'status'],
		['application:set_status', admin, { applicationId: 1, status: 'hacked' }, 'status'],
		['application:set_status', admin, { status: 'hired' }, 'applicationId'],
		['alert:acknowledge', admin, {}, 'alertId'],
		['alert:acknowledge', admin, { alertId: 'first' }, 'alertId'],
		['alert:acknowledge', admin, { alertId: HUGE }, 'alertId'],
		['alert:acknowledge', admin, { alertId: 0 }, 'alertId'],
		['fair:set_state', admin, { fairId: 1 }, 'state'],
		['fair:set_state', admin, { fairId: 1, state: 'scheduled' }, 'state'],
		['fair:set_state', admin, { state: 'open' }, 'fairId'],
		['fair:add_booth', admin, { fairId: 1, organisationId: 1 }, 'label'],
		['fair:add_booth', admin, { fairId: 1, organisationId: 1, label: HUGE }, 'label'],
		['fair:add_booth', admin, { fairId: 1, organisationId: 1, label: 'A1', positionIds: 'all' }, 'positionIds'],
		['fair:sign_in', admin, { fairId: 1 }, 'phone'],
		['fair:sign_in', admin, { fairId: 1, phone: '12345' }, 'phone'],
		['fair:sign_in', admin, { fairId: 1, phone: HUGE }, 'phone'],
		['fair:sign_in', admin, { fairId: 1, phone: '13800138000', walkIn: { name: '张三' } }, 'walkIn.consent'],
		['fair:sign_in', admin, { fairId: 1, phone: '13800138000', walkIn: { name: HUGE, consent: true } }, 'walkIn.name'],
		['fair:apply', admin, { fairId: 1, positionId: 1, seekerId: 1 }, 'clientKey'],
		['fair:apply', admin, { fairId: 1, positionId: 1, clientKey: KEY }, 'seekerId'],
		['fair:apply', admin, { fairId: 'one', positionId: 1, seekerId: 1, clientKey: KEY }, 'fairId'],
		['fair:offer', admin, { fairId: 1 }, 'applicationId'],
		['fair:offer', admin, { applicationId: HUGE }, 'fairId'],
		['recommend:position', admin, { stationId, seekerId: 1, positionId: 1 }, 'clientKey'],
		['recommend:position', admin, { stationId, seekerId: 1, clientKey: KEY }, 'positionId'],
		['recommend:position', admin, { stationId, positionId: 1, clientKey: KEY }, 'seekerId'],
		['recommend:position', admin, { seekerId: 1, positionId: 1, clientKey: KEY }, 'stationId'],
		['recommend:position', admin, { stationId, seekerId: 1, positionId: HUGE, clientKey: KEY }, 'positionId'],
		['recommend:position', admin, { stationId, seekerId: 1, positionId: 1, clientKey: HUGE }, 'clientKey'],
		['room:set_state', admin, { roomId: 1 }, 'state'],
		['room:set_state', admin, { roomId: 1, state: 'scheduled' }, 'state'],
		['room:set_state', admin, { state: 'live' }, 'roomId'],
		['room:pin', admin, { roomId: 1 }, 'positionId'],
		['room:pin', admin, { roomId: 1, positionId: HUGE }, 'positionId'],
		['room:add_position', admin, { positionId: 1 }, 'roomId'],
		['room:add_position', admin, { roomId: 'live', positionId: 1 }, 'roomId'],
		['room:post', seeker, { roomId: 1, clientKey: KEY }, 'body'],
		['room:post', seeker, { roomId: 1, body: HUGE, clientKey: KEY }, 'body'],
		['room:post', seeker, { roomId: 1, body: '   ', clientKey: KEY }, 'body'],
		['room:post', seeker, { roomId: 1, body: '你好' }, 'clientKey'],
		['room:post', seeker, { roomId: 1, body: '你好', clientKey: KEY, kind: 'shout' }, 'kind'],
		['room:hide', admin, { roomId: 1 }, 'messageId'],
		['room:answer', admin, { roomId: 1, messageId: 'first' }, 'messageId'],
		['room:mute', admin, { roomId: 1, messageId: 1 }, 'minutes'],
		['room:mute', admin, { roomId: 1, messageId: 1, minutes: 100_000 }, 'minutes'],
		['room:mute', admin, { roomId: 1, messageId: 1, minutes: 1.5 }, 'minutes'],
		['room:slow_mode', admin, { roomId: 1 }, 'seconds'],
		['room:slow_mode', admin, { roomId: 1, seconds: -1 }, 'seconds'],
		['room:slow_mode', admin, { roomId: 1, seconds: '10' }, 'seconds'],
		['room:apply', seeker, { roomId: 1, positionId: 1 }, 'clientKey'],
		['room:apply', seeker, { roomId: 1, clientKey: KEY }, 'positionId'],
		['room:apply', seeker, { positionId: 1, clientKey: KEY }, 'roomId'],
		['room:reveal', admin, { roomId: 1 }, 'applicationId'],
		['room:reveal', admin, { applicationId: HUGE }, 'roomId'],
		['display:heartbeat', display, 'alive', '_'],
		['display:heartbeat', display, null, '_']
	];

	it('names the field at fault for each malformed command, and writes nothing', async () => {
		const before = await totals();
		for (const [name, actor, input, field] of cases()) {
			const error = await commands[name](ctx, actor, input).then(
				() => null,
				(e: unknown) => e
			);
			const label = `${name} ${JSON.stringify(input).slice(0, 80)}`;
			expect(error, label).toBeInstanceOf(ServiceError);
			expect((error as ServiceError).code, label).toBe('invalid');
			expect((error as ServiceError).fields, label).toHaveProperty([field]);
			expect(JSON.stringify((error as ServiceError).toBody()).length, `${label}: the answer does not echo the input`).toBeLessThan(2000);
		}
		expect(await totals()).toEqual(before);
	});

	it('refuses inputs that are not objects at all for every command', async () => {
		const before = await totals();
		for (const [name, command] of Object.entries(commands)) {
			for (const input of [undefined, null, 'text', 42, true, [], [1, 2]]) {
				const error = await command(ctx, admin, input).then(
					() => null,
					(e: unknown) => e
				);
				expect(error, `${name} ${JSON.stringify(input)}`).toBeInstanceOf(ServiceError);
				expect((error as ServiceError).code).toBe('invalid');
				expect(Object.keys((error as ServiceError).fields ?? {}).length).toBeGreaterThan(0);
			}
		}
		expect(await totals()).toEqual(before);
	});

	it('lists every command it tests', () => {
		const tested = new Set(cases().map(([name]) => name));
		expect([...tested].sort()).toEqual(Object.keys(commands).sort());
	});
});
