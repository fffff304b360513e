/**
 * The counter as staff use it on a tablet: check a visitor in and out, record a service in two taps, and a
 * supervisor's station page follows without a reload; register a walk-in seeker, find them by phone, edit,
 * and withdraw consent so their name and phone are gone from every view. axe passes on both pages.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

async function openStationIfClosed(page: Page) {
	const open = page.getByRole('button', { name: '开放驿站' });
	if (await page.locator('[data-desk="closed-hint"]').isVisible()) {
		await open.click();
		await expect(page.locator('[data-desk="closed-hint"]')).toBeHidden();
	}
}

test('check-in, check-out and a service in two taps, seen live by a supervisor', async ({ browser }) => {
	const staffContext = await browser.newContext({ viewport: { width: 1024, height: 768 } });
	const supervisorContext = await browser.newContext();
	const desk = await staffContext.newPage();
	const supervisor = await supervisorContext.newPage();

	await signIn(desk, 'staff');
	await desk.goto('/stations/1');
	await desk.getByRole('link', { name: '打开柜台（签到、服务记录）' }).click();
	await desk.waitForURL('/stations/1/desk');
	await expect(desk.locator('[data-connection="live"]')).toBeVisible();
	await openStationIfClosed(desk);

	await signIn(supervisor, 'supervisor');
	await supervisor.goto('/stations/1');

	const occupancy = desk.locator('[data-desk="occupancy"]');
	const before = Number((await occupancy.textContent())!.split('/')[0].trim());
	const visitsBefore = Number(await desk.locator('[data-desk="visits-today"]').textContent());

	await desk.getByRole('radio', { name: '农民工' }).check();
	await desk.getByRole('button', { name: '签到进入' }).click();
	await expect(desk.locator('[data-desk="visit-message"]')).toContainText('已签到');
	await expect(occupancy).toHaveText(new RegExp(`^${before + 1} /`));
	await expect(desk.locator('[data-desk="visits-today"]')).toHaveText(String(visitsBefore + 1));
	// The supervisor's view of the same station moved without a reload.
	await expect(supervisor.locator('[data-tile="occupancy"]')).toHaveText(new RegExp(`^${before + 1} /`));

	await desk.getByRole('button', { name: '签离' }).click();
	await expect(desk.locator('[data-desk="visit-message"]')).toContainText('已签离');
	await expect(occupancy).toHaveText(new RegExp(`^${before} /`));

	// Two taps: the kind, then done.
	const servicesBefore = Number(await desk.locator('[data-desk="services-today"]').textContent());
	await desk.getByRole('button', { name: '政策咨询' }).click();
	await desk.getByRole('button', { name: '完成：政策咨询' }).click();
	await expect(desk.getByText('已记录：政策咨询')).toBeVisible();
	await expect(desk.locator('[data-desk="services-today"]')).toHaveText(String(servicesBefore + 1));

	const axe = await new AxeBuilder({ page: desk }).analyze();
	expect(axe.violations.map((v) => v.id)).toEqual([]);
	await staffContext.close();
	await supervisorContext.close();
});

test('a walk-in seeker: register, find by phone, edit, withdraw consent', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 800 });
	await signIn(page, 'staff');
	await page.goto('/stations/1/seekers');
	const phone = `137${String(Date.now()).slice(-8)}`;

	// Not found → the register form starts with that phone.
	const find = page.getByRole('region', { name: '按手机号查找' });
	await find.getByLabel('手机号', { exact: true }).fill(phone);
	await find.getByRole('button', { name: '查找' }).click();
	await expect(page.getByText('没有找到这个手机号')).toBeVisible();

	const register = page.getByRole('region', { name: '登记新求职者' });
	await expect(register.getByLabel('手机号', { exact: true })).toHaveValue(phone);
	await register.getByLabel('姓名', { exact: true }).fill('李四海');
	await register.getByLabel('技能（用逗号或顿号分隔）').fill('仓储、叉车');
	await register.getByLabel(/本人同意登记姓名和手机号/).check();
	await register.getByRole('button', { name: '登记' }).click();
	await page.waitForURL(/\/stations\/1\/seekers\/\d+\?done=registered$/);
	await expect(page.getByText('已登记。')).toBeVisible();
	await expect(page.getByText('李四海').first()).toBeVisible();
	const seekerUrl = new URL(page.url()).pathname;

	// The same phone cannot be registered twice.
	await page.goto('/stations/1/seekers');
	await page.getByRole('region', { name: '按手机号查找' }).getByLabel('手机号', { exact: true }).fill(phone);
	await page.getByRole('region', { name: '按手机号查找' }).getByRole('button', { name: '查找' }).click();
	await expect(page.getByText(/找到：李四海/)).toBeVisible();

	await page.goto(seekerUrl);
	const edit = page.getByRole('region', { name: '修改信息' });
	await edit.getByLabel('姓名', { exact: true }).fill('李四海（改）');
	await edit.getByRole('button', { name: '保存修改' }).click();
	await expect(page.getByText('已保存。')).toBeVisible();

	const axe = await new AxeBuilder({ page }).analyze();
	expect(axe.violations.map((v) => v.id)).toEqual([]);

	const withdraw = page.getByRole('region', { name: '撤回同意' });
	await withdraw.getByRole('button', { name: '撤回同意并删除个人信息' }).click();
	await expect(page.getByText('请先勾选确认')).toBeVisible();
	await withdraw.getByLabel('本人已要求撤回同意').check();
	await withdraw.getByRole('button', { name: '撤回同意并删除个人信息' }).click();
	await expect(page.getByText('已撤回同意，姓名和手机号已删除。')).toBeVisible();
	await page.reload();
	await expect(page.getByText('李四海')).toHaveCount(0);
	await expect(page.getByText(phone)).toHaveCount(0);
	await page.goto('/stations/1/seekers');
	await expect(page.getByText(phone)).toHaveCount(0);
});
