/**
 * Every subscription is authorised on join; the handshake refuses foreign origins; logout disconnects
 * that session's sockets; bad payloads get an error naming the field and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as rawClient } from 'socket.io-client';
import { topic } from '../../../src/lib/realtime/topics';
import { displays } from '../../../src/lib/server/db/schema';
import { sha256 } from '../../../src/lib/server/services/auth';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { makeStation, seedRegions, signIn } from '../../helpers/fixtures';

describe(`subscription access on ${driverName}`, () => {
	let app: TestApp;
	let stationA: number;
	let stationB: number;
	beforeAll(async () => {
		app = await startTestApp({ origin: 'http://jobcircle.test' });
		await seedRegions(app.ctx.db);
		stationA = (await makeStation(app.ctx.db, { regionCode: '440106001001' })).id;
		stationB = (await makeStation(app.ctx.db, { regionCode: '440305', lat: 22.53, lng: 113.93 })).id;
	});
	afterAll(async () => {
		await app?.close();
	});

	async function trySubscribe(cookie: string | undefined, name: string, displayToken?: string) {
		const client = connect(app.url, { cookie, displayToken });
		const feed = client.subscribe(name, { snapshot: () => {}, event: () => {} });
		await until(() => feed.status !== 'syncing' && client.state === 'live', 10_000, `answer for ${name}`);
		const result = feed.status;
		client.close();
		return result;
	}

	it('staff of station A can follow A but not B', async () => {
		const staff = await signIn(app.ctx.db, 'staff', { stationId: stationA });
		expect(await trySubscribe(staff.cookie, topic.station(stationA))).toBe('live');
		expect(await trySubscribe(staff.cookie, topic.station(stationB))).toBe('denied');
		expect(await trySubscribe(staff.cookie, topic.region('44'))).toBe('denied');
	});

	it('a city supervisor sees their city and nothing of another city', async () => {
		const gz = await signIn(app.ctx.db, 'supervisor', { regionCode: '4401' });
		expect(await trySubscribe(gz.cookie, topic.region('4401'))).toBe('live');
		expect(await trySubscribe(gz.cookie, topic.region('440106'))).toBe('live');
		expect(await trySubscribe(gz.cookie, topic.station(stationA))).toBe('live');
		expect(await trySubscribe(gz.cookie, topic.region('4403'))).toBe('denied');
		expect(await trySubscribe(gz.cookie, topic.region('44'))).toBe('denied');
		expect(await trySubscribe(gz.cookie, topic.station(stationB))).toBe('denied');
	});

	it('a seeker follows only their own applications; anonymous only public topics', async () => {
		const one = await signIn(app.ctx.db, 'seeker');
		const other = await signIn(app.ctx.db, 'seeker');
		const ownId = (one.actor as { seekerId: number }).seekerId;
		const otherId = (other.actor as { seekerId: number }).seekerId;
		expect(await trySubscribe(one.cookie, topic.seeker(ownId))).toBe('live');
		expect(await trySubscribe(one.cookie, topic.seeker(otherId))).toBe('denied');
		expect(await trySubscribe(undefined, topic.jobs)).toBe('live');
		expect(await trySubscribe(undefined, topic.station(stationA))).toBe('denied');
	});

	it("a display follows its own station's board only, and not once revoked", async () => {
		const token = 'display-token-for-tests-0123456789';
		await app.ctx.db.insert(displays).values({ stationId: stationA, label: 'hall', tokenHash: sha256(token) });
		expect(await trySubscribe(undefined, topic.display(stationA), token)).toBe('live');
		expect(await trySubscribe(undefined, topic.display(stationB), token)).toBe('denied');
		expect(await trySubscribe(undefined, topic.station(stationA), token)).toBe('denied');
		expect(await trySubscribe(undefined, topic.display(stationA), 'wrong-token')).toBe('denied');
	});

	it('refuses a handshake from a foreign Origin and accepts the configured one', async () => {
		const foreign = rawClient(app.url, { transports: ['websocket'], extraHeaders: { origin: 'http://evil.example' }, reconnection: false });
		const refused = await new Promise<boolean>((resolve) => {
			foreign.on('connect', () => resolve(false));
			foreign.on('connect_error', () => resolve(true));
		});
		foreign.close();
		expect(refused).toBe(true);
		const own = connect(app.url, { origin: 'http://jobcircle.test' });
		await until(() => own.state === 'live');
		own.close();
	});

	it("logout disconnects that session's sockets and not others", async () => {
		const staff = await signIn(app.ctx.db, 'staff', { stationId: stationA });
		const other = await signIn(app.ctx.db, 'staff', { stationId: stationA });
		const mine = connect(app.url, { cookie: staff.cookie });
		const theirs = connect(app.url, { cookie: other.cookie });
		await until(() => mine.state === 'live' && theirs.state === 'live');
		app.realtime.endSession(staff.sessionId, 'logout');
		await until(() => mine.state === 'ended', 5000, 'ended');
		await new Promise((r) => setTimeout(r, 200));
		expect(mine.socket.connected).toBe(false);
		expect(theirs.socket.connected).toBe(true);
		mine.close();
		theirs.close();
	});

	it('answers malformed subscribe and command payloads with errors naming the field, and keeps serving', async () => {
		const client = rawClient(app.url, { transports: ['websocket'], reconnection: false });
		await new Promise<void>((resolve) => client.on('connect', () => resolve()));
		const ask = (event: string, payload: unknown) => client.timeout(5000).emitWithAck(event, payload);
		const bad = [
			await ask('topic:subscribe', null),
			await ask('topic:subscribe', { topic: 42 }),
			await ask('topic:subscribe', { topic: 'x'.repeat(60_000) }),
			await ask('topic:subscribe', { topic: 'station:1', cursor: -5 }),
			await ask('topic:subscribe', { topic: 'nonsense:1' }),
			await ask('command', { name: 'no:such', input: {} }),
			await ask('command', 'garbage')
		];
		for (const answer of bad) {
			expect(answer.ok).toBe(false);
			expect(['invalid', 'forbidden']).toContain(answer.error.code);
		}
		expect(bad[1].error.fields).toHaveProperty('topic');
		expect(bad[3].error.fields).toHaveProperty('cursor');
		const good = await ask('topic:subscribe', { topic: 'jobs' });
		expect(good.ok).toBe(true);
		client.close();
	});

	it('drops a client that sends an oversized frame, and only that client', async () => {
		const bystander = connect(app.url);
		await until(() => bystander.state === 'live');
		const flooder = rawClient(app.url, { transports: ['websocket'], reconnection: false });
		await new Promise<void>((resolve) => flooder.on('connect', () => resolve()));
		const closed = new Promise<void>((resolve) => flooder.on('disconnect', () => resolve()));
		flooder.emit('topic:subscribe', { topic: 'x'.repeat(200_000) });
		await closed;
		const answer = await bystander.command('no:such', {});
		expect(answer.ok).toBe(false);
		expect(bystander.socket.connected).toBe(true);
		bystander.close();
	});
});
