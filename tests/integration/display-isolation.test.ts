/**
 * A wall display is a screen in a public hall: its socket may follow its own station's board and the public
 * jobs feed, nothing else; and nothing it receives names a person. Raw socket.io frames are recorded while
 * a seeker registers, applies with a phone, is signed in at a fair and moved through the pipeline.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, setApplicationStatus } from '../../src/lib/server/services/applications';
import { registerDisplay } from '../../src/lib/server/services/displays';
import { registerSeeker } from '../../src/lib/server/services/seekers';
import { type TestApp, startTestApp } from '../helpers/app';
import { makeOrganisation, makeStation, seedRegions, signIn } from '../helpers/fixtures';
import { openPosition } from '../helpers/positions';

let app: TestApp;
beforeAll(async () => {
	app = await startTestApp();
	await seedRegions(app.db.database.db);
});
afterAll(async () => app?.close());

function displaySocket(token: string) {
	const frames: unknown[] = [];
	const socket = io(app.url, { transports: ['websocket'], auth: { displayToken: token }, reconnection: false });
	socket.onAny((name, ...args) => frames.push({ frame: name, args }));
	const ready = new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	const subscribe = async (topic: string) => {
		const answer = (await socket.timeout(5000).emitWithAck('topic:subscribe', { topic })) as { ok: boolean; data?: unknown; error?: { code: string } };
		frames.push({ frame: 'ack', args: [answer] });
		return answer;
	};
	return { socket, frames, ready, subscribe };
}

describe('a display socket', () => {
	it('follows only its own station, and never receives a name or a phone', async () => {
		const d = app.db.database.db;
		const stationA = await makeStation(d, { lat: 23.13, lng: 113.35 });
		const stationB = await makeStation(d, { lat: 23.14, lng: 113.36 });
		const admin = (await signIn(d, 'admin')).actor;
		const screenA = await registerDisplay(app.ctx, admin, { stationId: stationA.id, label: '大厅' });

		const a = displaySocket(screenA.token);
		await a.ready;
		expect(await a.subscribe(`display:${stationA.id}`)).toMatchObject({ ok: true });
		expect(await a.subscribe('jobs')).toMatchObject({ ok: true });
		for (const topic of [`display:${stationB.id}`, `station:${stationA.id}`, `station:${stationB.id}`, 'region:44', 'region:4401', 'seeker:1', 'org:1']) {
			expect(await a.subscribe(topic), topic).toMatchObject({ ok: false, error: { code: expect.stringMatching(/forbidden|not_found/) } });
		}

		// A whole day's personal traffic around station A.
		const org = await makeOrganisation(d, { kind: 'employer' });
		const employer = (await signIn(d, 'employer', { organisationId: org.id })).actor;
		const staff = (await signIn(d, 'staff', { stationId: stationA.id })).actor;
		const position = await openPosition(app.ctx, employer, { lat: 23.131, lng: 113.351, title: '叉车司机' });
		const name = '隐私测试人';
		const phone = '13700001111';
		const seeker = await registerSeeker(app.ctx, staff, { name, phone, consent: true });
		const seekerUser = await signIn(d, 'seeker', { seekerId: seeker.id });
		const applied = await apply(app.ctx, seekerUser.actor, { positionId: position.id, clientKey: 'privacy-test-0001', channel: 'display_qr', source: `display:${stationA.id}` });
		await setApplicationStatus(app.ctx, employer, { applicationId: applied.applicationId, status: 'interview' });
		await openPosition(app.ctx, staff, { lat: 23.132, lng: 113.352, title: '保洁员' });

		// The board did hear the public part (the positions), so the recording is not empty for a dull reason.
		await expect.poll(() => JSON.stringify(a.frames), { timeout: 5000 }).toContain('保洁员');
		const recorded = JSON.stringify(a.frames);
		expect(recorded).toContain('叉车司机');
		expect(recorded).not.toContain(phone);
		expect(recorded).not.toContain(phone.slice(-4) + '"');
		expect(recorded).not.toContain(name);
		expect(recorded).not.toMatch(/"(phone|seekerId|contact)":/);
		a.socket.close();
	});
});
