/**
 * A live room with the host's camera (WebRTC, issue 6): two headless Chromium pages with fake media devices
 * connect through our signalling — the employer schedules a camera room, turns the camera on and goes live,
 * and a seeker's phone plays the picture (readyState ≥ 2, time advancing). A second phone beyond the limit
 * (WEBRTC_MAX_VIEWERS=1 for these tests) is told the stream is full and sees the slide while applying and chat
 * keep working, and gets the picture with "try again" once a place is free. The host turning the camera off
 * and on again reconnects the viewer by itself; ending the room lets go of the camera.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page, expect, test } from '@playwright/test';
import { ORIGIN, signIn } from './helpers';

// Fake camera and microphone, no permission prompt; real IPs instead of mDNS names (no multicast lookups), and
// loopback candidates for machines whose only interface is loopback.
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection'];

/** The camera picture plays: frames decoded, and the clock moving. */
async function playing(page: Page, selector: string) {
	await page.waitForFunction((s) => {
		const video = document.querySelector<HTMLVideoElement>(s);
		return !!video && video.readyState >= 2 && video.currentTime > 0.3;
	}, selector, { timeout: 20_000 });
	const at = await page.$eval(selector, (v: HTMLVideoElement) => v.currentTime);
	await page.waitForFunction(([s, t]) => (document.querySelector<HTMLVideoElement>(s as string)?.currentTime ?? 0) > (t as number) + 0.5, [selector, at] as const, { timeout: 10_000 });
	return page.$eval(selector, (v: HTMLVideoElement) => ({ width: v.videoWidth, height: v.videoHeight, readyState: v.readyState }));
}

async function phone(browser: Browser, username: string) {
	const context = await browser.newContext({ baseURL: ORIGIN, locale: 'zh-CN', viewport: { width: 360, height: 780 } });
	const page = await context.newPage();
	await signIn(page, username);
	return { context, page };
}

test('the host broadcasts the camera, a viewer plays it, a viewer beyond the limit sees the slide, restarts reconnect', async ({ playwright }, testInfo) => {
	test.setTimeout(120_000);
	const launch = testInfo.project.use.launchOptions ?? {};
	const browser = await playwright.chromium.launch({ ...launch, args: [...(launch.args ?? []), ...MEDIA_ARGS] });
	try {
		const hostContext = await browser.newContext({ baseURL: ORIGIN, locale: 'zh-CN', permissions: ['camera', 'microphone'] });
		const host = await hostContext.newPage();
		await signIn(host, 'employer');
		await host.goto('/live/new');
		await host.getByLabel('直播标题').fill('仓库实景 摄像头直播');
		await host.getByRole('group', { name: '要讲解的岗位（按顺序）' }).getByRole('checkbox').first().check();
		await host.getByLabel('视频来源').selectOption('webrtc');
		await expect(host.locator('[data-webrtc-hint]')).toContainText('最多 1 人');
		await expect(host.getByLabel('视频地址（https://）')).toHaveCount(0); // a camera needs no URL
		await host.getByRole('button', { name: '安排直播' }).click();
		await host.waitForURL(/\/live\/\d+\/host$/);
		const roomPath = new URL(host.url()).pathname.replace(/\/host$/, '');
		await expect(host.locator('[data-connection="live"]')).toBeVisible();

		// Camera first, before going live: a preview for the host, nothing for viewers yet.
		const camera = host.getByRole('region', { name: '摄像头直播' });
		await camera.getByRole('button', { name: '打开摄像头和麦克风' }).click();
		await playing(host, '[data-camera-preview]');
		await expect(camera.locator('[data-camera-status]')).toHaveText(/点“开始直播”后观众就能看到画面/);

		const a = await phone(browser, 'seeker.104');
		await a.page.goto(roomPath);
		await expect(a.page.locator('[data-room-state]')).toHaveText('待开播');
		await expect(a.page.locator('[data-slide]')).toBeVisible();

		await host.getByRole('button', { name: '开始直播' }).click();
		await expect(a.page.locator('[data-room-state]')).toHaveText('直播中');
		const picture = await playing(a.page, '[data-camera-video]');
		expect(picture.width).toBeGreaterThan(0);
		await expect(camera.locator('[data-camera-status]')).toHaveText('画面直播中：1 位观众正在看');
		// Sound is there, muted until the viewer asks for it.
		const sound = a.page.getByRole('button', { name: '打开声音' });
		await sound.click();
		await expect(a.page.getByRole('button', { name: '静音' })).toHaveAttribute('aria-pressed', 'true');
		expect(await a.page.$eval('[data-camera-video]', (v: HTMLVideoElement) => v.muted)).toBe(false);

		// A second phone: no place left. It says so, shows the slide, and the rest of the page works.
		const b = await phone(browser, 'seeker.105');
		await b.page.goto(roomPath);
		await expect(b.page.locator('[data-camera-note]')).toContainText('人数已满（最多 1 人）');
		await expect(b.page.locator('[data-slide] .slide-title')).toBeVisible();
		await expect(b.page.locator('[data-camera-video]')).toHaveCount(0);
		await b.page.getByLabel('说点什么').fill('能看到仓库吗？');
		await b.page.getByRole('button', { name: '发送' }).click();
		await expect(a.page.locator('[data-chat] li').filter({ hasText: '能看到仓库吗？' })).toHaveCount(1);
		await b.page.locator('[data-apply]').click();
		await expect(b.page.locator('[data-applied]')).toContainText('已投递');
		expect(await b.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const axe = await new AxeBuilder({ page: b.page }).analyze();
		expect(axe.violations).toEqual([]);

		// The first phone leaves: the second gets the place when it tries again.
		await a.context.close();
		await expect(camera.locator('[data-camera-status]')).toHaveText('画面直播中：0 位观众正在看');
		await b.page.getByRole('button', { name: '重新连接' }).click();
		await playing(b.page, '[data-camera-video]');

		// The host turns the camera off: the viewer is told and sees the slide; on again: the picture comes back by itself.
		await camera.getByRole('button', { name: '关闭摄像头' }).click();
		await expect(b.page.locator('[data-camera-note]')).toContainText('主播还没有打开摄像头');
		await expect(b.page.locator('[data-slide]')).toBeVisible();
		await camera.getByRole('button', { name: '打开摄像头和麦克风' }).click();
		await playing(b.page, '[data-camera-video]');
		await expect(camera.locator('[data-camera-status]')).toHaveText('画面直播中：1 位观众正在看');
		const consoleAxe = await new AxeBuilder({ page: host }).analyze();
		expect(consoleAxe.violations).toEqual([]);

		// Ending the room lets go of the camera; the viewer keeps the slide.
		host.once('dialog', (dialog) => void dialog.accept());
		await host.getByRole('button', { name: '结束直播' }).click();
		await expect(b.page.locator('[data-room-state]')).toHaveText('已结束');
		await expect(b.page.locator('[data-slide]')).toBeVisible();
		await expect(host.locator('[data-camera-preview]')).toHaveCount(0);
		await expect(camera).toHaveAttribute('data-camera-state', 'off');
		await expect(camera.getByRole('button')).toHaveCount(0);
	} finally {
		await browser.close();
	}
});

test('a host whose camera is refused is told how to allow it, and the console keeps working', async ({ playwright }, testInfo) => {
	test.setTimeout(60_000);
	const launch = testInfo.project.use.launchOptions ?? {};
	// Fake devices but no automatic consent, and no permission granted: the browser refuses the camera.
	const browser = await playwright.chromium.launch({ ...launch, args: [...(launch.args ?? []), '--use-fake-device-for-media-stream'] });
	try {
		const context = await browser.newContext({ baseURL: ORIGIN, locale: 'zh-CN' });
		const host = await context.newPage();
		await signIn(host, 'employer');
		await host.goto('/live/new');
		await host.getByLabel('直播标题').fill('被拒绝的摄像头');
		await host.getByLabel('视频来源').selectOption('webrtc');
		await host.getByRole('button', { name: '安排直播' }).click();
		await host.waitForURL(/\/live\/\d+\/host$/);
		const camera = host.getByRole('region', { name: '摄像头直播' });
		await camera.getByRole('button', { name: '打开摄像头和麦克风' }).click();
		await expect(camera.getByRole('alert')).toContainText('浏览器没有允许使用摄像头');
		await expect(camera.getByRole('button', { name: '打开摄像头和麦克风' })).toBeVisible();
		await host.getByRole('button', { name: '开始直播' }).click();
		await expect(host.locator('[data-room-state]')).toHaveText('直播中');
	} finally {
		await browser.close();
	}
});
