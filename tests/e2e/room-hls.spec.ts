/**
 * HLS through hls.js (issue 6) in a browser that has no native HLS player. Chromium plays HLS itself nowadays,
 * so the viewer's page is told it cannot (canPlayType says no, as Firefox and older desktop browsers do); the
 * stream is a tiny fixture served through Playwright's routing at an https URL, under our real CSP. The picture
 * plays with hls.js and its transmuxing worker from our own origin; a stream that fails says so and shows the
 * slide; pages without an HLS stream never load hls.js.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type BrowserContext, type Page, expect, test } from '@playwright/test';
import { signIn } from './helpers';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'hls');

/** A viewer whose browser has no native HLS, and the fixture stream at https://stream.test/ (dead/ → 404). */
async function viewerWithoutNativeHls(context: BrowserContext) {
	await context.addInitScript(() => {
		const original = HTMLMediaElement.prototype.canPlayType;
		HTMLMediaElement.prototype.canPlayType = function (type: string) {
			return /mpegurl/i.test(type) ? '' : original.call(this, type);
		};
		addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
	});
	await context.route('https://stream.test/**', (route) => {
		const url = new URL(route.request().url());
		const name = path.basename(url.pathname);
		if (url.pathname.startsWith('/dead/') || !/^(live\.m3u8|segment[0-9]\.m2ts)$/.test(name)) return route.fulfill({ status: 404, body: 'gone' });
		return route.fulfill({
			status: 200,
			contentType: name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
			headers: { 'access-control-allow-origin': '*' },
			body: readFileSync(path.join(FIXTURES, name))
		});
	});
	const page = await context.newPage();
	const problems: string[] = [];
	page.on('console', (m) => m.type() === 'error' && m.text().startsWith('CSP violation') && problems.push(m.text()));
	return { page, problems };
}

async function liveHlsRoom(page: Page, title: string, url: string) {
	await page.goto('/live/new');
	await page.getByLabel('直播标题').fill(title);
	await page.getByLabel('视频来源').selectOption('hls');
	await page.getByLabel('视频地址（https://）').fill(url);
	await page.getByRole('button', { name: '安排直播' }).click();
	await page.waitForURL(/\/live\/\d+\/host$/);
	await page.getByRole('button', { name: '开始直播' }).click();
	await expect(page.locator('[data-room-state]')).toHaveText('直播中');
	return new URL(page.url()).pathname.replace(/\/host$/, '');
}

test('hls.js plays a stream where the browser has no native HLS, says so when one fails, and stays off other pages', async ({ browser }) => {
	test.setTimeout(90_000);
	const hostContext = await browser.newContext();
	const host = await hostContext.newPage();
	await signIn(host, 'employer');
	const playingRoom = await liveHlsRoom(host, '推流直播 hls.js', 'https://stream.test/live/live.m3u8');
	const deadRoom = await liveHlsRoom(host, '推流直播 断流', 'https://stream.test/dead/live.m3u8');

	const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
	const { page, problems } = await viewerWithoutNativeHls(context);
	const scripts: string[] = [];
	let playerChunk: string | null = null;
	page.on('response', async (r) => {
		if (r.request().resourceType() !== 'script') return;
		const pathname = new URL(r.url()).pathname;
		scripts.push(pathname);
		// hls.js's own configuration defaults, which nothing of ours spells out.
		if (pathname.includes('/chunks/') && (await r.text().catch(() => '')).includes('fragLoadPolicy')) playerChunk = pathname;
	});
	await page.goto(playingRoom);
	await page.waitForFunction(() => {
		const v = document.querySelector<HTMLVideoElement>('[data-video-kind="hls"] video');
		return !!v && v.readyState >= 2 && v.currentTime > 0.5;
	}, undefined, { timeout: 20_000 });
	const src = await page.$eval('[data-video-kind="hls"] video', (v: HTMLVideoElement) => v.currentSrc);
	expect(src).toMatch(/^blob:/); // MediaSource fed by hls.js, not the playlist URL given to a native player
	await expect.poll(() => scripts.some((s) => /hls\.worker\.[\w-]+\.js$/.test(s))).toBe(true); // the worker, from our origin
	expect(problems).toEqual([]);
	await expect(page.locator('[data-pinned]')).toBeVisible();

	// A stream that cannot be loaded: the page says so, shows the slide, and the rest keeps working.
	await page.goto(deadRoom);
	await expect(page.getByText('视频暂时无法播放')).toBeVisible({ timeout: 15_000 });
	await expect(page.locator('[data-slide]')).toBeVisible();
	await expect(page.locator('[data-pinned]')).toBeVisible();
	await expect(page.getByRole('link', { name: '登录后参与聊天' })).toBeVisible();
	expect(problems).toEqual([]);

	// Pages without an HLS stream never fetch the player.
	expect(playerChunk).not.toBeNull();
	const fresh = await browser.newContext();
	const other = await fresh.newPage();
	const loaded: string[] = [];
	other.on('response', (r) => loaded.push(new URL(r.url()).pathname));
	await other.goto('/live');
	await other.getByRole('link', { name: /仓储配送岗位直播带岗/ }).first().click();
	await expect(other.locator('[data-connection="live"]')).toBeVisible();
	await other.goto('/jobs');
	await expect(other.locator('main')).toBeVisible();
	expect(loaded).not.toContain(playerChunk);
	expect(loaded.filter((s) => /hls\.worker/.test(s))).toEqual([]);

	for (const c of [fresh, context, hostContext]) await c.close();
});
