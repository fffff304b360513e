/**
 * Several app processes for real (issue 7): two `node server.js` processes, A and B, on one fresh
 * PostgreSQL database and one Redis, plus `APP_PROCESSES=2` (a primary with two processes on one port).
 * A browser page on A sees a chat message written through B and the viewer count over both processes;
 * /metrics answers only with its token and gathers both cluster processes; an administrator's /ops lists
 * every process alive, a supervisor's does not show the panel at all.
 */
import { type Browser, expect, test } from '@playwright/test';
import postgres from 'postgres';
import { io, type Socket } from 'socket.io-client';
import { expandBatch } from '../../src/lib/realtime/batch';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';
import { type ChildServer, freshDatabase, dropDatabase, startNode } from '../bench/app-process';
import { redisPrefix, redisReachable, redisUrl } from '../helpers/redis';

const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
const onPostgres = /^postgres(ql)?:\/\//.test(pgUrl);
const TOKEN = 'e2e-metrics-token';
const dbName = `jc_e2e_${Number(process.env.E2E_PORT ?? 4173)}_processes`;

test.describe.configure({ mode: 'serial' });
// Skipped on the embedded database only: PGlite lives inside one process, and this suite runs several.
test.skip(!onPostgres, 'several processes share PostgreSQL (the embedded database is one process’s)');

let a: ChildServer;
let b: ChildServer;
let cluster: ChildServer | null = null;
let sql: postgres.Sql;
let roomId: number;
const sockets: Socket[] = [];

test.beforeAll(async () => {
	test.setTimeout(120_000);
	// Skipped only on a developer's machine without Redis (the socket.io adapter the processes share); in CI a
	// missing Redis fails the suite instead, since .ci/run starts one.
	if (!(await redisReachable()) && !process.env.CI) test.skip(true, `no Redis at ${redisUrl}`);
	const url = await freshDatabase(dbName);
	sql = postgres(url, { max: 1, onnotice: () => {} });
	const env = { DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix('e2e'), METRICS_TOKEN: TOKEN, SEED: 'auto', SIM_RATE: '0', LOG_LEVEL: 'warn' };
	// Started together: one migrates and seeds, the other waits on the same locks.
	[a, b] = await Promise.all([startNode(['server.js'], env, '/healthz'), startNode(['server.js'], env, '/healthz')]);
	[{ id: roomId }] = await sql<{ id: number }[]>`select id from live_rooms where state = 'live' order by id limit 1`;
	cluster = await startNode(['server.js'], { ...env, APP_PROCESSES: '2' }, '/healthz');
});

test.afterAll(async () => {
	for (const s of sockets) s.close();
	await Promise.all([a?.stop(), b?.stop(), cluster?.stop()]);
	await sql?.end();
	if (onPostgres) await dropDatabase(dbName).catch(() => {});
});

async function signInAt(browser: Browser, server: ChildServer, username: string) {
	const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
	const page = await context.newPage();
	await page.goto(`${server.url}/login`);
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	return page;
}

test('a page on process A sees what is written through B, and viewers counted over both', async ({ browser }) => {
	const viewer = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
	await viewer.goto(`${a.url}/live/${roomId}`);
	await expect(viewer.locator('[data-connection="live"]')).toBeVisible();

	// A second viewer on A (a plain socket.io client), and a signed-in seeker on B.
	const extra = io(a.url, { transports: ['websocket'], extraHeaders: { origin: a.url } });
	sockets.push(extra);
	const relayed: { type: string; payload: { message?: { body?: string } } }[] = [];
	extra.on('event:published', (event) => relayed.push(event));
	// A live room's events reach its sockets in batches (room-batch.ts).
	extra.on('event:batch', (batch) => relayed.push(...expandBatch(batch)));
	await extra.timeout(5000).emitWithAck('topic:subscribe', { topic: `room:${roomId}`, cursor: null });
	const seeker = await signInAt(browser, b, 'seeker');
	await seeker.goto(`${b.url}/live/${roomId}`);
	await expect(seeker.locator('[data-connection="live"]')).toBeVisible();

	for (const page of [viewer, seeker]) await expect(page.locator('[data-viewers]')).toHaveText('3 人在看', { timeout: 10_000 });

	const body = `跨进程消息 ${Date.now()}`;
	await seeker.getByLabel('说点什么').fill(body);
	await seeker.getByRole('button', { name: '发送' }).click();
	await expect(viewer.locator('[data-chat] li').filter({ hasText: body })).toHaveCount(1, { timeout: 5_000 });
	await expect.poll(() => relayed.some((e) => e.type === 'room.message_posted' && e.payload.message?.body === body)).toBe(true);

	// Leaving B: A's viewers see the total drop.
	await seeker.context().close();
	await expect(viewer.locator('[data-viewers]')).toHaveText('2 人在看', { timeout: 10_000 });
});

test('/metrics answers only with its token, in Prometheus format, for every cluster process', async ({ request }) => {
	expect((await request.get(`${a.url}/metrics`)).status()).toBe(401);
	expect((await request.get(`${a.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status()).toBe(401);
	const own = await request.get(`${a.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
	expect(own.status()).toBe(200);
	expect(own.headers()['content-type']).toContain('text/plain');
	const text = await own.text();
	expect(text).toMatch(/^jobcircle_sockets_connected\{namespace="\/",process="[^"]+"\} [1-9]/m);
	expect(text).toMatch(/^jobcircle_events_relayed_total\{process="[^"]+"\} [1-9]/m);
	expect(text).toMatch(/^jobcircle_relay_delay_seconds_count\{process="[^"]+"\} [1-9]/m);
	expect(text).toMatch(/^jobcircle_relay_behind_events\{process="[^"]+"\} \d+$/m);
	expect(text).toMatch(/^jobcircle_broker_up\{process="[^"]+"\} 1$/m);
	expect(text).toMatch(/^jobcircle_presence_processes\{process="[^"]+"\} 4$/m);
	expect(text).toMatch(/^jobcircle_db_connections\{state="idle",process="[^"]+"\} \d+$/m);
	expect(text).toMatch(/^# TYPE jobcircle_apply_duration_seconds histogram$/m);
	expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{process="[^"]+"\} /m);
	// Personal data could only ride in names, labels or help text: a sample's value (13843066880 bytes of virtual
	// memory, say) may look like a phone number and is not one.
	const withoutValues = text.replace(/ [-+0-9.eE]+$/gm, '');
	expect(withoutValues).not.toMatch(/seeker|(?<!\d)1[3-9]\d{9}(?!\d)|jc_session/);

	// Under APP_PROCESSES one scrape of the shared port reports both processes.
	const both = await (await request.get(`${cluster!.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
	const workers = [...both.matchAll(/^jobcircle_process_info\{[^}]*worker="(\d)"[^}]*\} 1$/gm)].map((m) => m[1]).sort();
	expect(workers).toEqual(['1', '2']);

	// Without METRICS_TOKEN (the browser tests' server) there is no such endpoint.
	expect((await request.get('/metrics')).status()).toBe(404);
});

test('an administrator sees every process alive on /ops; a supervisor does not see the panel', async ({ browser }) => {
	const admin = await signInAt(browser, a, 'admin');
	await admin.goto(`${a.url}/ops`);
	const panel = admin.getByTestId('system-health');
	await expect(panel).toBeVisible();
	await expect(panel.getByRole('heading', { name: '系统状态' })).toBeVisible();
	// A, B and the cluster's two: four heartbeats, one of them running the background duties.
	await expect(panel.locator('[data-health-alive]')).toHaveAttribute('data-health-alive', '4');
	await expect(panel.locator('tbody tr')).toHaveCount(4);
	await expect(panel.getByText('由此进程运行')).toHaveCount(1);
	expect((await admin.request.get(`${a.url}/ops/health.json`)).status()).toBe(200);

	const supervisor = await signInAt(browser, b, 'supervisor');
	await supervisor.goto(`${b.url}/ops`);
	await expect(supervisor.getByRole('heading', { name: '运营地图' })).toBeVisible();
	await expect(supervisor.getByTestId('system-health')).toHaveCount(0);
	expect((await supervisor.request.get(`${b.url}/ops/health.json`)).status()).toBe(403);
});
