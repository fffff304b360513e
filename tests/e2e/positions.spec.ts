/**
 * Positions from posting to the public list, at phone width: the employer posts an odd job and submits
 * it; staff of the station in that district approve it and the employer's page shows it open without a
 * reload; anybody finds it on /jobs. A second post (a duplicate) is sent back with a reason the employer
 * reads. Forms pass axe.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

/** Tomorrow in Beijing time, as a date input takes it. */
function tomorrow() {
	return new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
}

async function axe(page: Page) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
	expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('an odd job is posted, approved by the station, shown on /jobs; a rejection reaches the employer', async ({ browser }) => {
	const employerContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
	const staffContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
	const employer = await employerContext.newPage();
	const staff = await staffContext.newPage();
	const title = `周末仓库搬运 ${Date.now() % 100_000}`;

	// The employer posts an odd job in Tianhe (station 1's district) and submits it.
	await signIn(employer, 'employer');
	await employer.goto('/employer');
	await employer.getByRole('link', { name: '发布新岗位' }).click();
	await employer.waitForURL('**/employer/positions/new');
	await axe(employer);
	await employer.getByLabel('岗位名称').fill(title);
	await employer.getByLabel('用工形式').selectOption('odd_job');
	await expect(employer.getByRole('group', { name: '工作日期和时间' })).toBeVisible();
	// Submitting with empty boxes names each field, next to it.
	await employer.getByRole('button', { name: '保存并提交审核' }).click();
	await expect(employer.getByRole('alert')).toHaveText('请更正标出的项目。');
	await expect(employer.getByLabel('岗位类别')).toHaveAttribute('aria-invalid', 'true');
	await expect(employer.getByLabel('岗位类别')).toHaveAccessibleDescription(/必填/);
	await expect(employer.getByLabel('岗位名称')).toHaveValue(title);
	await employer.getByLabel('岗位类别').fill('warehouse');
	await employer.getByLabel('岗位说明').fill('装卸纸箱，现场结算。');
	await employer.getByLabel('最低（元）').fill('200');
	await employer.getByLabel('最高（元）').fill('260');
	await employer.getByLabel('计薪方式').selectOption('day');
	await employer.getByLabel('招聘人数').fill('3');
	await employer.getByLabel('集合地点').fill('五山路 1 号 正门');
	await employer.getByLabel('所在地区').selectOption('440106');
	// An odd job without its day: the day is named.
	await employer.getByRole('button', { name: '保存并提交审核' }).click();
	await expect(employer.getByLabel('工作日期')).toHaveAttribute('aria-invalid', 'true');
	await expect(employer.getByLabel('工作日期')).toHaveAccessibleDescription(/零工必须填写/);
	await expect(employer.getByLabel('岗位类别')).not.toHaveAttribute('aria-invalid', 'true');
	await employer.getByLabel('工作日期').fill(tomorrow());
	await employer.getByLabel('开始时间').fill('08:00');
	await employer.getByLabel('结束时间').fill('17:00');
	await axe(employer);
	await employer.getByRole('button', { name: '保存并提交审核' }).click();
	await employer.waitForURL(/\/employer\/positions\/\d+\?done=submitted$/);
	const positionUrl = new URL(employer.url()).pathname;
	await expect(employer.getByRole('status')).toHaveText('已提交审核');
	await expect(employer.locator('[data-position-state]')).toHaveText('待审核');
	await expect(employer.getByText('08:00 – 17:00')).toBeVisible();

	// Staff of the station review it from the station page.
	await signIn(staff, 'staff');
	await staff.goto('/stations/1');
	await staff.getByRole('link', { name: '岗位与零工' }).click();
	await staff.waitForURL('**/stations/1/positions');
	const card = staff.getByRole('listitem').filter({ has: staff.getByRole('heading', { name: title }) });
	await expect(card).toContainText('广州顺达');
	await axe(staff);
	await card.getByRole('button', { name: '通过并发布' }).click();
	await expect(staff.getByRole('status')).toHaveText('已通过，岗位已发布');
	await expect(staff.getByRole('heading', { name: title })).toHaveCount(0);

	// The employer's page follows without a reload.
	await expect(employer.locator('[data-position-state]')).toHaveText('招聘中');
	await expect(employer.getByRole('link', { name: '查看公开页面' })).toBeVisible();

	// Anybody finds it on /jobs.
	const visitorContext = await browser.newContext();
	const visitor = await visitorContext.newPage();
	await visitor.goto(`/jobs?q=${encodeURIComponent(title)}`);
	await expect(visitor.getByRole('link', { name: title })).toBeVisible();

	// A duplicate starts prefilled; it is sent back, and the employer reads why.
	await employer.goto(positionUrl);
	await employer.getByRole('link', { name: '复制为新岗位' }).click();
	await employer.waitForURL(/\/employer\/positions\/new\?from=\d+$/);
	await expect(employer.getByLabel('岗位名称')).toHaveValue(title);
	await expect(employer.getByLabel('开始时间')).toHaveValue('08:00');
	const second = `${title} 二期`;
	await employer.getByLabel('岗位名称').fill(second);
	await employer.getByLabel('工作日期').fill(tomorrow());
	await employer.getByRole('button', { name: '保存并提交审核' }).click();
	await employer.waitForURL(/\/employer\/positions\/\d+\?done=submitted$/);

	await staff.reload();
	const secondCard = staff.getByRole('listitem').filter({ has: staff.getByRole('heading', { name: second }) });
	await secondCard.getByRole('button', { name: '退回' }).click();
	// A rejection needs its reason, asked for next to the box.
	const reason = staff.getByRole('listitem').filter({ has: staff.getByRole('heading', { name: second }) }).getByLabel('退回原因');
	await expect(reason).toHaveAttribute('aria-invalid', 'true');
	await expect(reason).toHaveAccessibleDescription(/必填/);
	await reason.fill('请写明集合时间和联系人');
	await staff.getByRole('listitem').filter({ has: staff.getByRole('heading', { name: second }) }).getByRole('button', { name: '退回' }).click();
	await expect(staff.getByRole('status')).toHaveText('已退回，发布方会看到原因');

	await expect(employer.locator('[data-position-state]')).toHaveText('草稿');
	await expect(employer.locator('[data-review-note]')).toContainText('请写明集合时间和联系人');
	// Back in draft, the employer can edit and resubmit.
	await expect(employer.getByRole('heading', { name: '修改岗位' })).toBeVisible();

	await Promise.all([employerContext.close(), staffContext.close(), visitorContext.close()]);
});
