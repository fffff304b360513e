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

test('quick registration by phone on a position: register, signed in and applied in one tap, on a phone', async ({ page, browser }) => {
	await page.setViewportSize({ width: 360, height: 780 });
	await page.goto('/jobs');
	await page.locator('.jobs h2 a').first().click();
	await page.waitForURL(/\/jobs\/\d+/);
	const positionUrl = page.url();
	const phone = `135${String(Date.now()).slice(-8)}`;
	const quick = page.getByRole('form', { name: '没有账号？用手机号快速登记' });
	await quick.getByLabel('姓名', { exact: true }).fill('赵快登');
	await quick.getByLabel('手机号', { exact: true }).fill(phone);
	await quick.getByLabel('设置密码（至少8位）').fill('password-1');
	await quick.getByRole('checkbox').check();
	await quick.getByRole('button', { name: '登记并投递' }).click();
	// Registering hashes a password (argon2id, deliberately slow): on a busy CI machine it takes seconds.
	await expect(page.locator('[data-applied]')).toContainText('已申请', { timeout: 15_000 });
	await page.goto('/me/applications');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.locator('main')).not.toContainText('还没有');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	// The same phone again, from another browser: refused by field, with the way to sign in.
	const other = await browser.newPage();
	await other.goto(positionUrl);
	const again = other.getByRole('form', { name: '没有账号？用手机号快速登记' });
	await again.getByLabel('姓名', { exact: true }).fill('别人');
	await again.getByLabel('手机号', { exact: true }).fill(phone);
	await again.getByLabel('设置密码（至少8位）').fill('password-2');
	await again.getByRole('checkbox').check();
	await again.getByRole('button', { name: '登记并投递' }).click();
	await expect(again.getByText('该手机号已登记')).toBeVisible();
	await expect(again.getByLabel('姓名', { exact: true })).toHaveValue('别人');
	await expect(other.locator('[data-applied]')).toHaveCount(0);
	await other.close();
});

test('/jobs is live: a new matching position is offered, a closed one leaves; the map shows the page', async ({ page, browser }) => {
	await page.setViewportSize({ width: 360, height: 780 });
	await page.goto('/jobs?station=1');
	await expect(page.locator('.jobs h2 a').first()).toBeVisible();
	const staffContext = await browser.newContext();
	await signIn(await staffContext.newPage(), 'staff');
	const staff = await socketOf(staffContext);
	const title = `实时搜索测试${Date.now() % 100000}`;
	const created = await command(staff, 'position:create', { title, category: 'warehouse', kind: 'full_time', payMin: 4000, payMax: 6000, payUnit: 'month', headcount: 2 });
	const id = (created.data as { id: number }).id;
	await command(staff, 'position:submit', { positionId: id });
	await command(staff, 'position:review', { positionId: id, decision: 'approve' });

	await page.getByRole('button', { name: /有 1 个新岗位符合条件/ }).click();
	const link = page.getByRole('link', { name: title });
	await expect(link).toBeVisible();
	await command(staff, 'position:close', { positionId: id });
	await expect(link).toHaveCount(0);
	await expect(page.getByText('1 个岗位刚刚截止或招满')).toBeVisible();

	const listed = await page.locator('.jobs h2 a').count();
	await page.getByRole('button', { name: '地图', exact: true }).click();
	await expect(page.getByRole('region', { name: /^地图：本页/ })).toBeVisible();
	await expect(page.locator('.jc-job-pin')).toHaveCount(listed);
	// Keyboard: a marker takes focus and Enter opens its position.
	await page.locator('.jc-job-pin').first().focus();
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/jobs\/\d+/);
	staff.close();
	await staffContext.close();
});
