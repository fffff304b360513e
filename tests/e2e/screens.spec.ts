// Screenshots of the busiest pages at a desktop and a cheap-phone width, for a person to look at
// (Chinese glyphs rendered, nothing overflowing). Also asserts the page does not scroll sideways.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';

const WIDTHS = [1280, 360];

for (const width of WIDTHS) {
	test(`/ops and /jobs at ${width}px`, async ({ page }) => {
		await page.setViewportSize({ width, height: width > 600 ? 900 : 780 });
		await page.goto('/login?next=%2Fops');
		await page.getByLabel('用户名').fill('supervisor');
		await page.getByLabel('密码').fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page).toHaveURL(/\/ops$/);
		for (const path of ['/ops', '/jobs']) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow, `${path} scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
			const name = `test-results/screens${path.replace('/', '-')}-${width}`;
			await page.screenshot({ path: `${name}.png`, fullPage: true });
			await page.screenshot({ path: `${name}-first-screen.png` });
		}
	});
}
