/**
 * Property-based fuzz of the socket protocol (fast-check) against the real socket.io server and clients:
 * every command with one required field spoilt (wrong type, huge, NaN, prototype keys, unicode …), unknown
 * and hostile command names, malformed envelopes and subscriptions, from every role. Each gets an error
 * acknowledgement with a 4xx-like code (never `internal_error` / `unavailable`), nothing is written, no
 * prototype is polluted, and the server keeps serving. A failure prints fast-check's seed (`FUZZ_SEED=…`).
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/lib/server/db/seed';
import { sessions } from '../../../src/lib/server/db/schema';
import { commands as socketCommands } from '../../../src/lib/server/realtime/commands';
import { SESSION_COOKIE, sha256 } from '../../../src/lib/server/services/auth';
import { type TestApp, startTestApp } from '../../helpers/app';
import { driverName } from '../../helpers/db';
import { type RowCounts, rowCounts } from '../../helpers/row-counts';
import { positionInput } from '../../helpers/positions';
import { LOGINS, ROLES, type Role } from './access-matrix';
import { TRICKY, assertProperty, huge, jsonValues, runs, seed, validId } from './hostile';
import { SMALL_PROVINCE, type Targets, fill, setUpTargets } from './targets';

type Kind = 'id' | 'key' | 'text500' | 'text80' | 'text60' | 'phone' | { enum: string[] } | { int: [number, number] };

/** A valid input per command (targets filled in), and its required fields with their kind. */
const COMMANDS: Record<string, { input: Record<string, unknown>; required: Record<string, Kind> }> = {
	'visit:check_in': { input: { stationId: '{station}', clientKey: 'fuzz-visit-0001' }, required: { stationId: 'id', clientKey: 'key' } },
	'visit:check_out': { input: { stationId: '{station}', clientKey: 'fuzz-visit-0002' }, required: { stationId: 'id', clientKey: 'key' } },
	'station:set_state': { input: { stationId: '{station}', state: 'closed' }, required: { stationId: 'id', state: { enum: ['open', 'closed', 'offline'] } } },
	'service:record': { input: { stationId: '{station}', kind: 'policy_consultation', clientKey: 'fuzz-service-01' }, required: { stationId: 'id', kind: { enum: ['policy_consultation', 'job_registration', 'career_guidance', 'job_recommendation', 'training_registration', 'legal_consultation', 'labour_rights'] }, clientKey: 'key' } },
	'position:create': { input: positionInput(), required: { title: 'text80', kind: { enum: ['full_time', 'part_time', 'odd_job', 'internship', 'public_welfare'] }, payUnit: { enum: ['hour', 'day', 'month', 'piece'] } } },
	'position:submit': { input: { positionId: '{positionStationDraft}' }, required: { positionId: 'id' } },
	'position:review': { input: { positionId: '{positionOwn}', decision: 'reject', reason: '不合适' }, required: { positionId: 'id', decision: { enum: ['approve', 'reject'] } } },
	'position:close': { input: { positionId: '{positionOwn}' }, required: { positionId: 'id' } },
	'position:fill': { input: { positionId: '{positionOwn}' }, required: { positionId: 'id' } },
	'application:apply': { input: { positionId: '{positionOther}', clientKey: 'fuzz-apply-0001' }, required: { positionId: 'id', clientKey: 'key' } },
	'application:set_status': { input: { applicationId: '{applicationHired}', status: 'withdrawn' }, required: { applicationId: 'id', status: { enum: ['applied', 'contacted', 'interview', 'hired', 'rejected', 'withdrawn'] } } },
	'alert:acknowledge': { input: { alertId: '{alert}' }, required: { alertId: 'id' } },
	'display:heartbeat': { input: {}, required: {} },
	'fair:set_state': { input: { fairId: '{fairOpen}', state: 'ended' }, required: { fairId: 'id', state: { enum: ['open', 'ended'] } } },
	'fair:add_booth': { input: { fairId: '{fairOpen}', organisationId: '{employerOrg}', label: 'F1' }, required: { fairId: 'id', organisationId: 'id' } },
	'fair:sign_in': { input: { fairId: '{fairOpen}', phone: '{phoneAtStation}' }, required: { fairId: 'id', phone: 'phone' } },
	'fair:apply': { input: { fairId: '{fairOpen}', positionId: '{fairPosition}', phone: '{phoneAtStation}', clientKey: 'fuzz-fair-0001' }, required: { fairId: 'id', positionId: 'id', clientKey: 'key' } },
	'fair:offer': { input: { fairId: '{fairOpen}', applicationId: '{applicationFairHired}' }, required: { fairId: 'id', applicationId: 'id' } },
	'recommend:position': { input: { stationId: '{station}', seekerId: '{seekerAtStation}', positionId: '{positionOther}', clientKey: 'fuzz-recommend-1' }, required: { stationId: 'id', seekerId: 'id', positionId: 'id', clientKey: 'key' } },
	'room:set_state': { input: { roomId: '{roomLive}', state: 'ended' }, required: { roomId: 'id', state: { enum: ['live', 'ended'] } } },
	'room:pin': { input: { roomId: '{roomLive}', positionId: '{roomPinned}' }, required: { roomId: 'id', positionId: 'id' } },
	'room:add_position': { input: { roomId: '{roomLive}', positionId: '{positionOwn}' }, required: { roomId: 'id', positionId: 'id' } },
	'room:post': { input: { roomId: '{roomLive}', body: '你好', clientKey: 'fuzz-chat-00001' }, required: { roomId: 'id', body: 'text500', clientKey: 'key' } },
	'room:hide': { input: { roomId: '{roomLive}', messageId: '{messageAnswered}' }, required: { roomId: 'id', messageId: 'id' } },
	'room:answer': { input: { roomId: '{roomLive}', messageId: '{messageAnswered}' }, required: { roomId: 'id', messageId: 'id' } },
	'room:mute': { input: { roomId: '{roomLive}', messageId: '{messageAnswered}', minutes: 5 }, required: { roomId: 'id', messageId: 'id', minutes: { int: [1, 1440] } } },
	'room:slow_mode': { input: { roomId: '{roomLive}', seconds: 30 }, required: { roomId: 'id', seconds: { int: [0, 600] } } },
	'room:apply': { input: { roomId: '{roomLive}', positionId: '{roomPinned}', clientKey: 'fuzz-room-apply1' }, required: { roomId: 'id', positionId: 'id', clientKey: 'key' } },
	'room:reveal': { input: { roomId: '{roomLive}', applicationId: '{applicationHired}' }, required: { roomId: 'id', applicationId: 'id' } }
};

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const PHONE = /^1[3-9]\d{9}$/;

/** Would this field accept the value? The spoilers below never produce one it would. */
function accepts(kind: Kind, v: unknown): boolean {
	if (kind === 'id') return validId(v);
	if (kind === 'key') return typeof v === 'string' && CLIENT_KEY.test(v);
	if (kind === 'phone') return typeof v === 'string' && PHONE.test(v.trim());
	if (kind === 'text500' || kind === 'text80' || kind === 'text60') {
		const max = Number(kind.slice(4));
		return typeof v === 'string' && v.trim().length >= 1 && v.trim().length <= max;
	}
	if ('enum' in kind) return typeof v === 'string' && kind.enum.includes(v);
	return typeof v === 'number' && Number.isInteger(v) && v >= kind.int[0] && v <= kind.int[1];
}

/** JSON values as socket.io carries them (NaN and Infinity arrive as null). */
const anyJson = fc.oneof(jsonValues(10_000), fc.constantFrom(...TRICKY), huge.map((s) => s.slice(0, 8_000)), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
/** What the server receives: socket.io sends JSON, so NaN and Infinity arrive as null. */
const asSent = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');
const spoiler = (kind: Kind) => anyJson.filter((v) => !accepts(kind, asSent(v)));
const validCursor = (c: unknown) => c === null || (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= Number.MAX_SAFE_INTEGER);

const ERROR_CODES = ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rate_limited'];

describe(`hostile socket input on ${driverName}`, () => {
	let app: TestApp;
	let targets: Targets;
	let before: RowCounts;
	const sockets = new Map<Role, Socket>();
	const cookies = new Map<Role, string | undefined>();

	beforeAll(async () => {
		app = await startTestApp();
		await seedDemo(app.ctx, SMALL_PROVINCE);
		targets = await setUpTargets(app.ctx);
		// Sessions of the demo users, made directly (a password hash per test run is slow).
		for (const role of ROLES) {
			if (role === 'anonymous' || role === 'display') continue;
			const token = randomBytes(24).toString('base64url');
			await app.ctx.db.insert(sessions).values({ id: sha256(token), userId: targets.userIds[LOGINS[role] as keyof Targets['userIds']], expiresAt: new Date(Date.now() + 86_400_000) });
			cookies.set(role, `${SESSION_COOKIE}=${token}`);
		}
		for (const role of ROLES) sockets.set(role, await open(role));
		before = await rowCounts(app.ctx.db);
	}, 120_000);

	afterAll(async () => {
		for (const s of sockets.values()) s.disconnect();
		await app?.close();
	});

	async function open(role: Role) {
		const socket = io(app.url, {
			transports: ['websocket'],
			reconnection: false,
			extraHeaders: cookies.get(role) ? { cookie: cookies.get(role)! } : {},
			auth: role === 'display' ? { displayToken: targets.displayToken } : {}
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return socket;
	}

	/** The socket of a role, reopened if the server closed it (an oversized message does that). */
	async function socketOf(role: Role) {
		let s = sockets.get(role)!;
		if (!s.connected) {
			s = await open(role);
			sockets.set(role, s);
		}
		return s;
	}

	async function expectRefused(role: Role, event: string, payload: unknown, label: string) {
		const socket = await socketOf(role);
		const answer = (await socket.timeout(5000).emitWithAck(event as never, payload as never)) as { ok: boolean; error?: { code: string; reason: string } };
		expect(answer.ok, `${label} as ${role} was accepted`).toBe(false);
		expect(ERROR_CODES, `${label} as ${role}: ${JSON.stringify(answer.error)}`).toContain(answer.error?.code);
		expect(answer.error?.reason, label).not.toBe('internal_error');
	}

	async function expectNothingWritten(label: string) {
		expect(await rowCounts(app.ctx.db), `${label} wrote rows`).toEqual(before);
		expect(({} as Record<string, unknown>).polluted, `${label} polluted Object.prototype`).toBeUndefined();
		expect(Object.keys(Object.prototype)).toEqual([]);
	}

	it('refuses every command with a required field spoilt, from every role, and writes nothing', async () => {
		const spoilt = fc
			.record({ name: fc.constantFrom(...Object.keys(COMMANDS).filter((n) => Object.keys(COMMANDS[n].required).length)), role: fc.constantFrom(...ROLES), extra: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'seekerId', 'override', 'source', 'channel'), anyJson, { maxKeys: 2 }) })
			.chain((r) => fc.record({ r: fc.constant(r), field: fc.constantFrom(...Object.keys(COMMANDS[r.name].required)) }))
			.chain(({ r, field }) => spoiler(COMMANDS[r.name].required[field]).map((bad) => ({ ...r, field, bad })));
		await assertProperty(
			fc.asyncProperty(spoilt, async ({ name, role, extra, field, bad }) => {
				const input = { ...fill(COMMANDS[name].input, targets), ...extra, [field]: bad };
				const label = `${name} with ${field}=${JSON.stringify(bad)?.slice(0, 60)}`;
				await expectRefused(role, 'command', { name, input }, label);
				await expectNothingWritten(label);
			}),
			{ numRuns: runs(250), seed }
		);
	}, 120_000);

	it('refuses inputs that are not objects, unknown and hostile command names, and broken envelopes', async () => {
		const notAnObject = fc.oneof(fc.constantFrom(null, 'text', 42, true, [], [1, 2], ''), huge.map((s) => s.slice(0, 8_000)), fc.array(anyJson, { maxLength: 3 }));
		const envelope = fc.oneof(
			// A known command whose input is not an object at all.
			fc.record({ name: fc.constantFrom(...Object.keys(socketCommands)), input: notAnObject }),
			// A name that is no command: prototype keys, near misses, unicode, other types.
			fc.record({ name: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'visit:check_in ', 'VISIT:CHECK_IN', 'visit:check_in\u0000', ''), anyJson), input: anyJson }),
			// The envelope itself is wrong.
			notAnObject,
			fc.record({ input: anyJson })
		);
		await assertProperty(
			fc.asyncProperty(envelope, fc.constantFrom(...ROLES), async (payload, role) => {
				const label = `command ${JSON.stringify(payload)?.slice(0, 80)}`;
				await expectRefused(role, 'command', payload, label);
				await expectNothingWritten(label);
			}),
			{ numRuns: runs(120), seed }
		);
	}, 120_000);

	it('refuses malformed subscriptions and cursors', async () => {
		const request = fc.oneof(
			fc.record({ topic: fc.oneof(fc.constantFrom('station:0', 'station:-1', 'station:01', 'region:4', 'region:4401x', 'jobs:1', 'room:99999999999', 'station:1 ', '__proto__', 'session:x', 'user:1', 'device:1'), anyJson) }),
			fc.record({ topic: fc.constant('jobs'), cursor: anyJson.filter((c) => !validCursor(asSent(c))) }),
			anyJson
		);
		await assertProperty(
			fc.asyncProperty(request, fc.constantFrom(...ROLES), fc.constantFrom('topic:subscribe', 'topic:unsubscribe'), async (payload, role, event) => {
				const label = `${event} ${JSON.stringify(payload)?.slice(0, 80)}`;
				if (event === 'topic:unsubscribe' && payload && typeof payload === 'object' && typeof (payload as { topic?: unknown }).topic === 'string' && (payload as { topic: string }).topic.length <= 40) return; // leaving any room name is harmless
				await expectRefused(role, event, payload, label);
				await expectNothingWritten(label);
			}),
			{ numRuns: runs(80), seed }
		);
	}, 60_000);

	it('refuses malformed camera-stream signalling from every role, and writes nothing', async () => {
		const notAnObject = fc.oneof(fc.constantFrom(null, 'text', 42, true, [], ''), huge.map((s) => s.slice(0, 8_000)));
		const roomRequest = fc.oneof(notAnObject, fc.record({ roomId: spoiler('id') }));
		// A signal wrong in one part at a time: the room, the target, the kind, the description's size.
		const signal = fc.oneof(
			notAnObject,
			fc.record({ roomId: spoiler('id'), to: fc.constant('A'.repeat(20)), kind: fc.constant('offer'), sdp: fc.constant('v=0') }),
			fc.record({ roomId: fc.constant('{roomLive}'), to: anyJson.filter((t) => !(typeof t === 'string' && /^[A-Za-z0-9_-]{20}$/.test(t))), kind: fc.constant('offer'), sdp: fc.constant('v=0') }),
			fc.record({ roomId: fc.constant('{roomLive}'), to: fc.constant('A'.repeat(20)), kind: anyJson.filter((k) => !['offer', 'answer', 'candidate'].includes(k as string)) }),
			fc.record({ roomId: fc.constant('{roomLive}'), to: fc.constant('A'.repeat(20)), kind: fc.constant('offer'), sdp: fc.string({ minLength: 20_000, maxLength: 30_000 }) })
		);
		const request = fc.oneof(
			fc.record({ event: fc.constantFrom('rtc:broadcast', 'rtc:watch'), payload: roomRequest }),
			fc.record({ event: fc.constantFrom('rtc:stop', 'rtc:unwatch'), payload: notAnObject }),
			fc.record({ event: fc.constant('rtc:signal'), payload: signal })
		);
		await assertProperty(
			fc.asyncProperty(request, fc.constantFrom(...ROLES), async ({ event, payload }, role) => {
				const label = `${event} ${JSON.stringify(payload)?.slice(0, 80)}`;
				// Only the live room's id is filled in: random text may hold braces of its own.
				const sent = payload && typeof payload === 'object' && (payload as { roomId?: unknown }).roomId === '{roomLive}' ? { ...payload, roomId: targets.roomLive } : payload;
				await expectRefused(role, event, sent, label);
				await expectNothingWritten(label);
			}),
			{ numRuns: runs(80), seed }
		);
	}, 60_000);

	it('keeps serving after acks that were never asked for, unknown events and an oversized message', async () => {
		const socket = await socketOf('staff');
		socket.emit('command', { name: 'visit:check_in', input: { stationId: 'x' } }); // no acknowledgement wanted
		socket.emit('no-such-event' as never, { a: 1 } as never);
		socket.emit('command', { name: 'visit:check_in', input: 'y' }, 'not-a-callback' as never);
		// Over socket.io's 64 kB limit: the server closes that connection and no other.
		const big = await open('staff');
		const closed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
		big.emit('command', { name: 'room:post', input: { roomId: targets.roomLive, body: 'x'.repeat(200_000), clientKey: 'fuzz-big-00001' } });
		expect(await closed).toBe('transport close');
		await expectRefused('staff', 'command', { name: 'visit:check_in', input: {} }, 'after the noise');
		await expectNothingWritten('noise');
	});
});
