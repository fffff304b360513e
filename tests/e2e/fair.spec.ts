/**
 * A job fair as the station runs it: staff open the fair, sign a walk-in in at the door and record a booth
 * application; the employer's booth view in another browser context shows the new applicant and its counters
 * move without a reload. Both views pass axe.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('door, booth and live counters across two browser contexts', async ({ browser }) => {
	const staffContext = await browser.newContext();
	const employerContext = await browser.newContext();
	const staff = await staffContext.newPage();
	const employer = await employerContext.newPage();
	await staff.setViewportSize({ width: 360, height: 800 }); // the door is a phone

	await signIn(staff, 'staff');
	await staff.goto('/stations/1');
	// The seeded fair of tomorrow (scheduled), where the demo employer has a booth.
	await staff.getByRole('link', { name: '五山街道家门口招聘会' }).first().click();
	await staff.waitForURL(/\/fairs\/\d+$/);
	const fairUrl = new URL(staff.url()).pathname;

	await signIn(employer, 'employer');
	await employer.goto(fairUrl);
	await expect(employer.getByRole('heading', { name: '本场投递者' })).toBeVisible();
	const counter = (page: typeof staff, name: string) => page.locator(`[data-counter="${name}"]`);
	await expect(counter(employer, 'signedIn')).toHaveText('0');

	await staff.getByRole('button', { name: '开始招聘会' }).click();
	await expect(staff.locator('[data-fair-state]')).toHaveText('进行中');
	await expect(employer.locator('[data-fair-state]')).toHaveText('进行中'); // live, no reload

	const phone = `136${String(Date.now()).slice(-8)}`;
	const door = staff.getByRole('region', { name: '入口签到' });
	await door.getByLabel('手机号', { exact: true }).fill(phone);
	await door.getByRole('button', { name: '签到', exact: true }).click();
	await expect(staff.getByRole('alert')).toContainText('该手机号未登记');
	await door.getByLabel('手机号', { exact: true }).fill(phone);
	await door.getByLabel('姓名（新登记时填写）').fill('王小明');
	await door.getByLabel('本人同意登记姓名和手机号用于就业服务').check();
	await door.getByRole('button', { name: '签到', exact: true }).click();
	await expect(staff.getByRole('status').filter({ hasText: '已当场登记并签到' })).toBeVisible();
	await expect(counter(employer, 'signedIn')).toHaveText('1');

	const booth = staff.getByRole('region', { name: '在展位登记投递' });
	await booth.getByLabel('手机号', { exact: true }).fill(phone);
	const select = booth.getByLabel('岗位');
	const option = await select.locator('option', { hasText: '顺达' }).first().getAttribute('value');
	await select.selectOption(option!);
	await booth.getByRole('button', { name: '登记投递' }).click();
	await expect(staff.getByRole('status').filter({ hasText: '已登记投递' })).toBeVisible();

	// The employer's booth view: the applicant arrives with contact details, counters move, no reload.
	await expect(employer.getByRole('cell', { name: phone })).toBeVisible();
	await expect(employer.getByRole('cell', { name: '王小明' })).toBeVisible();
	await expect(counter(employer, 'applications')).toHaveText('1');
	await expect(counter(employer, 'atBooths')).toHaveText('1');
	await expect(employer.getByRole('region', { name: '现场动态' }).getByRole('listitem').first()).toContainText('一份投递');

	// An offer recorded at the booth.
	await employer.getByRole('button', { name: '记录录用意向' }).first().click();
	await expect(counter(employer, 'offers')).toHaveText('1');
	await expect(counter(staff, 'offers')).toHaveText('1');

	for (const page of [staff, employer]) {
		const result = await new AxeBuilder({ page }).analyze();
		expect(result.violations).toEqual([]);
	}
	expect(await staff.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	await staffContext.close();
	await employerContext.close();
});

test('staff plan a fair with booths, a wrong time is refused by field, and a booth is added later', async ({ page }) => {
	await signIn(page, 'staff');
	await page.goto('/stations/1');
	await page.getByRole('link', { name: '新建招聘会' }).click();
	await page.waitForURL('/stations/1/fairs/new');
	await page.getByLabel('名称').fill('五山街道周末专场');
	// The end before the start: refused, the field says why, and nothing typed is lost.
	const start = await page.getByLabel('开始时间（北京时间）').inputValue();
	await page.getByLabel('结束时间（北京时间）').fill(start.replace(/T\d\d:\d\d$/, 'T08:00'));
	const employers = page.locator('fieldset.booth');
	await expect(employers.first()).toBeVisible();
	await employers.first().locator('legend input[type=checkbox]').check();
	await employers.first().locator('ul input[type=checkbox]').first().check();
	await page.getByRole('button', { name: '创建招聘会' }).click();
	await expect(page.getByText('结束时间须晚于开始时间')).toBeVisible();
	await expect(page.getByLabel('名称')).toHaveValue('五山街道周末专场');

	await page.getByLabel('结束时间（北京时间）').fill(start.replace(/T\d\d:\d\d$/, 'T17:00'));
	await employers.first().locator('legend input[type=checkbox]').check();
	await employers.first().locator('ul input[type=checkbox]').first().check();
	await page.getByRole('button', { name: '创建招聘会' }).click();
	await page.waitForURL(/\/fairs\/\d+$/);
	await expect(page.getByRole('heading', { name: '五山街道周末专场' })).toBeVisible();
	const booths = page.getByRole('region', { name: '展位', exact: true });
	await expect(booths.getByText('A1', { exact: true })).toBeVisible();

	await booths.getByRole('button', { name: '加展位' }).click();
	await expect(page.getByText(/已加展位：A2/)).toBeVisible();
	await expect(booths.getByText('A2', { exact: true })).toBeVisible();
	const result = await new AxeBuilder({ page }).analyze();
	expect(result.violations).toEqual([]);
});
