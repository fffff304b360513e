import { expect, test } from '@playwright/test';
import { ORIGIN } from './helpers';

test('speaks Chinese by default and English when chosen', async ({ page, context }) => {
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('就业服务圈');
	await context.addCookies([{ name: 'jc_locale', value: 'en', url: ORIGIN }]);
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Jobcircle');
});
