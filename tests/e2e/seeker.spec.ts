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
