/**
 * The employer's pipeline, live (issue 4 item 4): application events reach the organisation's topic, which
 * only that organisation's employers may follow; the pipeline store applies status moves in place and asks
 * for a reload when someone new applies; the seeker's own view follows the same move on their topic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyApplicationsStore } from '../../../src/lib/realtime/stores/my-applications.svelte';
import { PipelineStore } from '../../../src/lib/realtime/stores/pipeline.svelte';
import { topic } from '../../../src/lib/realtime/topics';
import { apply, setApplicationStatus } from '../../../src/lib/server/services/applications';
import { positionPipeline } from '../../../src/lib/server/queries/pipeline';
import { type TestApp, startTestApp } from '../../helpers/app';
import { connect, until } from '../../helpers/clients';
import { driverName } from '../../helpers/db';
import { makeOrganisation, seedRegions, signIn } from '../../helpers/fixtures';
import { openPosition } from '../../helpers/positions';

describe(`employer pipeline, live, on ${driverName}`, () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await startTestApp();
		await seedRegions(app.ctx.db);
	});
	afterAll(async () => {
		await app?.close();
	});

	it('the organisation topic is for its own employers (and admins) only', async () => {
		const orgA = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const orgB = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const employerA = await signIn(app.ctx.db, 'employer', { organisationId: orgA.id });
		const seeker = await signIn(app.ctx.db, 'seeker');
		const admin = await signIn(app.ctx.db, 'admin');
		const answer = async (cookie: string | undefined, name: string) => {
			const client = connect(app.url, { cookie });
			const feed = client.subscribe(name, { snapshot: () => {}, event: () => {} });
			await until(() => feed.status !== 'syncing' && client.state === 'live', 10_000, `answer for ${name}`);
			client.close();
			return feed.status;
		};
		expect(await answer(employerA.cookie, topic.org(orgA.id))).toBe('live');
		expect(await answer(employerA.cookie, topic.org(orgB.id))).toBe('denied');
		expect(await answer(seeker.cookie, topic.org(orgA.id))).toBe('denied');
		expect(await answer(undefined, topic.org(orgA.id))).toBe('denied');
		expect(await answer(admin.cookie, topic.org(orgB.id))).toBe('live');
	});

	it('a new applicant reloads the board, a move shows on the board and on the seeker’s own list', async () => {
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		const position = await openPosition(app.ctx, employer.actor);
		const other = await openPosition(app.ctx, employer.actor, { title: '另一个岗位' });
		const seeker = await signIn(app.ctx.db, 'seeker');
		const seekerId = (seeker.actor as { seekerId: number }).seekerId;

		// The page's first paint: an empty list and the cursor it reflects.
		const page = await positionPipeline(app.ctx, employer.actor, position.id);
		expect(page.applicants).toEqual([]);

		const employerClient = connect(app.url, { cookie: employer.cookie });
		const seekerClient = connect(app.url, { cookie: seeker.cookie });
		try {
			const known = new Set<number>();
			let reloads = 0;
			const board = new PipelineStore(
				employerClient,
				{ organisationId: org.id, positionId: position.id, cursor: page.cursor },
				{ known: (id) => known.has(id), reload: () => reloads++ }
			);
			const mine = new MyApplicationsStore(seekerClient, seekerId, () => {});
			await until(() => board.feed.status === 'live' && mine.feed.status === 'live', 10_000, 'both feeds live');
			expect(reloads).toBe(0); // subscribed from the page's cursor: replayed, no snapshot, no reload

			// Someone applies to another position of the same organisation: this board ignores it.
			await apply(app.ctx, seeker.actor, { positionId: other.id, clientKey: 'pipeline-other-1' });
			const applied = await apply(app.ctx, seeker.actor, { positionId: position.id, clientKey: 'pipeline-this-1' });
			await until(() => board.status.get(applied.applicationId) === 'applied', 5000, 'new applicant on the board');
			expect(reloads).toBe(1);
			expect([...board.status.keys()]).toEqual([applied.applicationId]);

			// The reloaded list carries the person (the event did not); the board now knows them.
			const reloaded = await positionPipeline(app.ctx, employer.actor, position.id);
			expect(reloaded.applicants).toMatchObject([{ applicationId: applied.applicationId, name: '测试求职者', phone: expect.stringMatching(/^1\d{10}$/), channel: 'web' }]);
			known.add(applied.applicationId);

			await setApplicationStatus(app.ctx, employer.actor, { applicationId: applied.applicationId, status: 'interview' });
			await until(() => board.status.get(applied.applicationId) === 'interview', 5000, 'move on the board');
			await until(() => mine.status.get(applied.applicationId) === 'interview', 5000, 'move on the seeker’s list');
			expect(reloads).toBe(1); // a move of a known applicant applies in place

			// The page shows an announcement only over a list read before it: a list read after the move decides.
			const after = await positionPipeline(app.ctx, employer.actor, position.id);
			expect(board.current(applied.applicationId, 'applied', reloaded.cursor)).toBe('interview');
			expect(board.current(applied.applicationId, 'applied', after.cursor)).toBe('applied');
		} finally {
			employerClient.close();
			seekerClient.close();
		}
	});

	it('an application made between the page load and the subscription is replayed, not lost', async () => {
		const org = await makeOrganisation(app.ctx.db, { kind: 'employer' });
		const employer = await signIn(app.ctx.db, 'employer', { organisationId: org.id });
		const position = await openPosition(app.ctx, employer.actor);
		const seeker = await signIn(app.ctx.db, 'seeker');
		const page = await positionPipeline(app.ctx, employer.actor, position.id);
		const applied = await apply(app.ctx, seeker.actor, { positionId: position.id, clientKey: 'pipeline-gap-1' });
		const client = connect(app.url, { cookie: employer.cookie });
		try {
			let reloads = 0;
			const board = new PipelineStore(client, { organisationId: org.id, positionId: position.id, cursor: page.cursor }, { known: () => false, reload: () => reloads++ });
			await until(() => board.status.get(applied.applicationId) === 'applied', 5000, 'replayed applicant');
			expect(board.feed.stats.replays).toBe(1);
			expect(reloads).toBeGreaterThanOrEqual(1);
		} finally {
			client.close();
		}
	});
});
