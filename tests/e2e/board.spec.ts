/**
 * The station wall display (issue 5, first part): opens from its device link with no login, shows the
 * station's board with QR codes, and keeps the last good board with an honest offline mark when the
 * network goes, resuming by itself when it returns.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEMO_DISPLAY_TOKEN, DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';

test('the board shows its station, positions with QR codes, and survives the network going away', async ({ page, context }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`/display/${DEMO_DISPLAY_TOKEN}`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('五山街道');
	const items = page.locator('[data-board-position]');
	await expect(items.first()).toBeVisible();
	const shown = await items.count();
	expect(shown).toBeGreaterThan(0);
	await expect(items.first().getByRole('img', { name: /扫码申请/ })).toBeVisible();

	await context.setOffline(true);
	await expect(page.getByRole('status')).toContainText('离线，自', { timeout: 15_000 });
	await expect(items).toHaveCount(shown);
	await context.setOffline(false);
	await expect(page.getByRole('status')).toHaveCount(0, { timeout: 20_000 });
	await expect(items).toHaveCount(shown);

	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('an unknown device token shows a plain "not registered" screen', async ({ page }) => {
	await page.goto('/display/not-a-real-token-000000000000');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('此屏幕未登记或已停用');
});

test("a seeker scans a board's QR code, signs in and applies once, with the display recorded as the source", async ({ page, browser }) => {
	const board = await browser.newPage();
	await board.goto(`/display/${DEMO_DISPLAY_TOKEN}`);
	const first = board.locator('[data-board-position]').first();
	await expect(first).toBeVisible();
	const positionId = await first.getAttribute('data-board-position');
	await board.close();

	// The code's link: the job page with the display as its source.
	await page.goto(`/jobs/${positionId}?source=display:1`);
	await page.getByRole('link', { name: '登录后申请' }).click();
	await page.getByLabel('用户名').fill('seeker');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(new RegExp(`/jobs/${positionId}\\?source=display%3A1|/jobs/${positionId}\\?source=display:1`));
	await page.getByRole('button', { name: '一键申请' }).click();
	await expect(page.locator('[data-applied]')).toContainText('大屏扫码');
	// Applying is idempotent: the page, reloaded, shows the one application.
	await page.reload();
	await expect(page.locator('[data-applied]')).toBeVisible();
	await expect(page.getByRole('button', { name: '一键申请' })).toHaveCount(0);
});

test('an administrator registers a display, the screen opens from its one-time link, and revoking it blanks the screen within seconds', async ({ page, browser }) => {
	await page.goto('/login');
	await page.getByLabel('用户名').fill('admin');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	await page.goto('/displays');
	await page.getByLabel('驿站').selectOption({ index: 0 });
	const station = await page.getByLabel('驿站').locator('option:checked').textContent();
	await page.getByLabel('名称').fill('测试大屏');
	await page.getByLabel('中英双语显示').check();
	await page.getByRole('button', { name: '登记并生成链接' }).click();
	const link = await page.locator('[data-display-link]').getAttribute('data-display-link');
	expect(link).toMatch(/\/display\/[A-Za-z0-9_-]{32,}$/);

	const screen = await browser.newPage();
	await screen.goto(link!);
	await expect(screen.getByRole('heading', { level: 1 })).toHaveText(station!.trim());
	await expect(screen.locator('[data-connection="live"]')).toBeVisible();
	// Registered as bilingual: headings in both languages.
	await expect(screen.getByRole('heading', { level: 2 }).first()).toContainText('圈内在招岗位 · Open positions in the circle');

	page.on('dialog', (dialog) => dialog.accept());
	await page.reload();
	await page.getByRole('button', { name: '停用大屏 测试大屏' }).first().click();
	await expect(screen.getByRole('heading', { level: 1 })).toHaveText('此屏幕未登记或已停用', { timeout: 5000 });
	await screen.close();
});
