/** A seeker's applications follow changes live (issue 5): no reload needed to see a status move. */
import { expect, test } from '@playwright/test';
import { command, signIn, socketOf } from './helpers';

test("a seeker's application status changes on /me/applications without reload", async ({ page, browser }) => {
	await signIn(page, 'seeker');
	await page.goto('/me/applications');
	await expect(page.locator('[data-connection="live"]')).toBeVisible();
	const applied = page.locator('[data-application-status]').filter({ hasText: '已申请' }).first();
	await expect(applied).toBeVisible();
	const applicationId = Number(await applied.getAttribute('data-application-status'));

	// The same seeker on another device withdraws it.
	const phone = await browser.newContext();
	await signIn(await phone.newPage(), 'seeker');
	const socket = await socketOf(phone);
	try {
		const answer = await command(socket, 'application:set_status', { applicationId, status: 'withdrawn' });
		expect(answer.ok).toBe(true);
		await expect(page.locator(`[data-application-status="${applicationId}"]`)).toHaveText('已撤回', { timeout: 2000 });
	} finally {
		socket.close();
		await phone.close();
	}
});

test('job search: words and the odd-jobs switch narrow the list, stay in the URL and survive paging', async ({ page }) => {
	await page.goto('/jobs');
	await page.getByRole('searchbox', { name: '岗位名称关键词' }).fill('员');
	await page.getByRole('button', { name: '搜索', exact: true }).click();
	await expect(page).toHaveURL(/[?&]q=%E5%91%98/);
	const titles = page.locator('.jobs h2 a');
	await expect(titles.first()).toBeVisible();
	for (const title of await titles.allTextContents()) expect(title).toContain('员');
	const more = page.getByRole('link', { name: '下一页' });
	if (await more.count()) await expect(more).toHaveAttribute('href', /q=%E5%91%98.*after=/);

	await page.getByLabel('只看零工').check();
	await expect(page).toHaveURL(/kind=odd_job/);
	for (const badge of await page.locator('.jobs .badge').allTextContents()) expect(badge).toBe('零工');
});
