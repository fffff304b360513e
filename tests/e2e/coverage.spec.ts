// The supervisor's coverage view and the station page's read view, on the demo province.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const HEADER = '区县代码,区县,所属城市,驿站数,计入配额,配额,缺口,社区数,未覆盖社区数,未覆盖社区';

test('a supervisor sees counties against quota, filters them without losing the URL, and downloads the CSV', async ({ page }) => {
	await signIn(page, 'supervisor');
	await page.goto('/ops/coverage');
	await expect(page.getByRole('heading', { level: 1, name: '站点覆盖情况' })).toBeVisible();
	const rows = page.locator('tbody tr[data-county]');
	expect(await rows.count()).toBeGreaterThan(20);
	// The demo keeps some counties one short of their quota: they come first, badged.
	await expect(rows.first().getByText('未达配额')).toBeVisible();
	await expect(page.getByRole('columnheader', { name: '缺口' })).toBeVisible();
	await expect(page.locator('[data-tile="counties-met"]')).toHaveText(/^\d+ \/ \d+$/);

	await page.getByLabel('地区').selectOption('4401');
	await page.getByLabel('驿站类型').selectOption('community');
	await page.getByRole('button', { name: '应用筛选' }).click();
	await expect(page).toHaveURL(/\/ops\/coverage\?region=4401&kind=community(&org=)?$/);
	await expect(page.getByText('范围：广州市')).toBeVisible();
	const codes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-county')));
	expect(codes.length).toBeGreaterThan(0);
	expect(codes.every((c) => c?.startsWith('4401'))).toBe(true);

	const exportLink = page.getByRole('link', { name: '导出 CSV' });
	await expect(exportLink).toHaveAttribute('href', '/ops/coverage.csv?region=4401&kind=community');
	const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
	expect(download.suggestedFilename()).toMatch(/^coverage-4401-\d{4}-\d{2}-\d{2}\.csv$/);
	const bytes = readFileSync((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.subarray(3).toString('utf8').split('\r\n');
	expect(lines[0]).toBe(HEADER);
	expect(lines.filter(Boolean)).toHaveLength(codes.length + 1);
	expect(lines.slice(1).every((l) => !l || l.startsWith('4401'))).toBe(true);

	// A region outside the scope is refused, a bad filter named.
	await page.context().clearCookies();
	await signIn(page, 'supervisor.gz');
	expect((await page.goto('/ops/coverage?region=4403'))?.status()).toBe(403);
	expect((await page.goto('/ops/coverage?kind=spaceship'))?.status()).toBe(400);
	await expect(page.getByRole('alert')).toContainText('驿站类型');
});

test('the filter form works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill('supervisor.gz');
	await page.getByLabel('密码').fill('jobcircle-demo');
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	await page.goto('/ops/coverage');
	await page.getByLabel('地区').selectOption('440106');
	await page.getByRole('button', { name: '应用筛选' }).click();
	await expect(page).toHaveURL(/region=440106/);
	await expect(page.locator('tbody tr[data-county]')).toHaveCount(1);
	await expect(page.locator('tbody tr[data-county="440106"] th')).toContainText('天河区');
	await context.close();
});

for (const width of [1280, 360]) {
	test(`/ops/coverage has no serious accessibility violations and no sideways scroll at ${width}px`, async ({ page }) => {
		await page.setViewportSize({ width, height: 800 });
		await signIn(page, 'supervisor');
		await page.goto('/ops/coverage');
		// Open one list of uncovered communities so it is checked too.
		const details = page.locator('details').first();
		if (await details.count()) await details.locator('summary').click();
		const { violations } = await new AxeBuilder({ page }).analyze();
		const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow, `scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
		await page.screenshot({ path: `test-results/screens-ops-coverage-${width}.png`, fullPage: true });
	});
}

test('a supervisor reads a station: history, services, positions, fairs, rooms and displays', async ({ page }) => {
	await signIn(page, 'supervisor.gz');
	await page.goto('/stations/1');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('五山街道');
	for (const name of ['客流', '近 30 天提供的服务', '本站岗位', '招聘会', '直播间', '屏幕设备']) {
		await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
	}
	await expect(page.getByRole('table', { name: '近 14 个服务日到访人次' }).locator('tbody tr')).toHaveCount(14);
	const displays = page.locator('[data-section="displays"]');
	await expect(displays.getByRole('row', { name: /大厅屏/ })).toBeVisible();
	await expect(displays.locator('[data-display-health]').first().locator('.badge').last()).toHaveText(/在线|离线，自 .+|从未连接|已停用/);
	// The map's card for the same station, and a city supervisor kept to their city.
	const panel = await page.request.get('/stations/1/panel.json');
	expect(panel.status()).toBe(200);
	expect(panel.headers()['cache-control']).toBe('no-store');
	expect(await panel.json()).toMatchObject({ id: 1, name: expect.stringContaining('五山街道'), displaysTotal: expect.any(Number) });
	expect((await page.request.get('/stations/abc/panel.json')).status()).toBe(400);
	expect((await page.request.get('/stations/999999/panel.json')).status()).toBe(404);
	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
	await page.screenshot({ path: 'test-results/screens-station-1-supervisor.png', fullPage: true });
});
