import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';
import { clientKey, command, signIn, socketOf } from './helpers';

const HEADINGS: Record<string, RegExp> = {
	admin: /系统管理/,
	supervisor: /运营地图/,
	'supervisor.gz': /运营地图/,
	staff: /五山街道/,
	employer: /顺达物流/,
	seeker: /最新岗位/
};

for (const demo of DEMO_LOGINS) {
	test(`${demo.username} signs in and lands on ${demo.home}`, async ({ page }) => {
		await signIn(page, demo.username);
		await expect(page).toHaveURL(new RegExp(`${demo.home.replace('/', '\\/')}$`));
		await expect(page.getByRole('heading', { level: 1 })).toContainText(HEADINGS[demo.username]);
	});
}

test('a wrong password is refused with a clear message', async ({ page }) => {
	await signIn(page, 'staff', 'not-the-password');
	await expect(page.getByRole('alert')).toContainText('用户名或密码不正确');
	await expect(page).toHaveURL(/\/login/);
});

test('anonymous visitors are sent to sign in, and come back after', async ({ page }) => {
	await page.goto('/ops');
	await expect(page).toHaveURL(/\/login\?next=%2Fops/);
	await page.getByLabel('用户名').fill('supervisor');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/ops$/);
});

test('the wrong role gets 403', async ({ page }) => {
	await signIn(page, 'seeker');
	const response = await page.goto('/ops');
	expect(response?.status()).toBe(403);
	await expect(page.getByText('您没有权限查看此页面')).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
	await signIn(page, 'employer');
	await expect(page).toHaveURL(/\/employer$/);
	await page.getByRole('button', { name: '退出登录' }).click();
	await expect(page).toHaveURL(/\/$/);
	const response = await page.goto('/employer');
	expect(page.url()).toContain('/login');
	expect(response?.status()).toBe(200);
});

test('the language switch changes the page and is remembered', async ({ page }) => {
	await signIn(page, 'seeker');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Latest jobs');
	await page.goto('/me/applications');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('My applications');
	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的申请');
});

test("a check-in reaches the supervisor's page live, without reload", async ({ page, browser }) => {
	await signIn(page, 'supervisor');
	await expect(page.locator('[data-connection="live"]')).toBeVisible();
	const tile = page.locator('[data-tile="on-site"]');
	await expect(tile).not.toHaveText('');
	const before = Number(await tile.textContent());

	// The counter: staff signed in in another browser; the check-in goes over a real socket with that session.
	const staff = await browser.newContext();
	const desk = await staff.newPage();
	await signIn(desk, 'staff');
	const socket = await socketOf(staff);
	const result = await command(socket, 'visit:check_in', { stationId: 1, clientKey: clientKey() });
	socket.close();
	expect(result).toMatchObject({ ok: true });
	await expect(tile).toHaveText(String(before + 1), { timeout: 2000 });
	await staff.close();
});

test('sign-in and job pages have no serious accessibility violations', async ({ page }) => {
	for (const path of ['/login', '/jobs']) {
		await page.goto(path);
		const { violations } = await new AxeBuilder({ page }).analyze();
		const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(serious.map((v) => `${v.id}: ${v.help}`), path).toEqual([]);
	}
});

test('signing out removes the session cookie from the browser', async ({ page, context }) => {
	await signIn(page, 'admin');
	expect((await context.cookies()).some((c) => c.name === 'jc_session')).toBe(true);
	await page.getByRole('button', { name: '退出登录' }).click();
	await expect(page).toHaveURL(/\/$/);
	expect((await context.cookies()).some((c) => c.name === 'jc_session')).toBe(false);
});
