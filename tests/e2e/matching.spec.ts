/**
 * Matching at the counter on a phone-sized screen: a walk-in seeker's page lists positions that fit, each
 * with a line saying why, and one tap recommends one (a service record and a `counter` application), after
 * which it reads "recommended", also after a reload; the position's "seekers who fit" page lists the person.
 * axe passes on both.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('a seeker page lists matching positions with reasons, and one tap recommends one', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 780 });
	await signIn(page, 'staff');
	await page.goto('/stations/1/seekers');
	const register = page.getByRole('region', { name: '登记新求职者' });
	await register.getByLabel('手机号', { exact: true }).fill(`136${String(Date.now()).slice(-8)}`);
	await register.getByLabel('姓名', { exact: true }).fill('王匹配');
	await register.getByLabel('技能（用逗号或顿号分隔）').fill('仓库、分拣');
	await register.getByLabel(/本人同意登记姓名和手机号/).check();
	await register.getByRole('button', { name: '登记' }).click();
	await page.waitForURL(/\/stations\/1\/seekers\/\d+\?done=registered$/);

	const section = page.getByRole('region', { name: '匹配岗位' });
	// The registration form gives a home at the station unless told otherwise: a 3 km circle either way.
	await expect(section).toContainText('3 公里内的岗位优先');
	const items = section.locator('li[data-match]');
	await expect(items.first()).toBeVisible();
	expect(await items.count()).toBeLessThanOrEqual(10);
	// Each line says why: a distance first (the station is the centre), in Chinese.
	await expect(items.first().locator('[data-match="why"]')).toContainText(/(米|公里)/);

	const first = items.first();
	const positionId = await first.getAttribute('data-match');
	await first.getByRole('button', { name: /推荐/ }).click();
	await expect(page.getByRole('status').filter({ hasText: '已推荐' })).toBeVisible();
	const same = section.locator(`li[data-match="${positionId}"]`);
	await expect(same.locator('[data-match="state"]')).toHaveText('已推荐');
	await page.reload();
	await expect(page.getByRole('region', { name: '匹配岗位' }).locator(`li[data-match="${positionId}"] [data-match="state"]`)).toHaveText('已推荐');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	const axe = await new AxeBuilder({ page }).analyze();
	expect(axe.violations.map((v) => v.id)).toEqual([]);

	// The position's side: the same person among the station's seekers who fit it, already recommended.
	await page.goto(`/stations/1/positions/${positionId}/fit`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('适合此岗位的求职者');
	const row = page.locator('li[data-fit]').filter({ hasText: '王匹配' });
	await expect(row).toContainText('已推荐');
	await expect(row).toContainText(/(米|公里)/);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	const axeFit = await new AxeBuilder({ page }).analyze();
	expect(axeFit.violations.map((v) => v.id)).toEqual([]);
});
