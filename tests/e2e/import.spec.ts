/**
 * Bulk import (issue 4, item 7): an employer uploads a CSV with one bad row, sees the per-row report before
 * anything is written, imports the valid rows, and finds them among the organisation's drafts. Staff get
 * the same page for their station. Axe on the report.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('an employer checks a CSV with a bad row, then imports the valid rows', async ({ page, request }) => {
	const tag = Date.now().toString(36);
	const csv =
		'\uFEFF外部编号,岗位名称,类别,用工形式,薪酬下限,薪酬上限,计薪单位,招聘人数\r\n' +
		`E2E-${tag}-1,导入分拣员 ${tag},仓储,全职,5000,6500,月,2\r\n` +
		`E2E-${tag}-2,导入叉车工 ${tag},仓储,全职,很多,7000,月,1\r\n` +
		`E2E-${tag}-3,导入理货员 ${tag},仓储,兼职,25,30,小时,3\r\n`;

	await signIn(page, 'employer');
	await page.goto('/employer');
	await page.getByRole('link', { name: '批量导入' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '批量导入岗位' })).toBeVisible();

	await page.getByLabel('岗位文件（CSV 或 JSON）').setInputFiles({ name: 'positions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: '检查文件' }).click();

	const report = page.locator('[data-import-report]');
	await expect(report.locator('[data-import-counts]')).toHaveText('共 3 行：2 行有效，1 行有误');
	const bad = report.locator('tbody tr');
	await expect(bad).toHaveCount(1);
	await expect(bad.first()).toHaveText(/3\s*薪酬下限\s*不是数字/);
	// Nothing is written by the check, and "import all" is not offered for a file with a bad row.
	await expect(page.getByRole('button', { name: /全部导入/ })).toHaveCount(0);
	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations).toEqual([]);
	await page.goto('/employer');
	await expect(page.getByRole('link', { name: `导入分拣员 ${tag}`, exact: true })).toHaveCount(0);

	await page.goto('/employer/import');
	await page.getByLabel('岗位文件（CSV 或 JSON）').setInputFiles({ name: 'positions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: '检查文件' }).click();
	await page.getByRole('button', { name: '仅导入 2 行有效数据' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已导入 2 个岗位（草稿）。' })).toBeVisible();

	await page.getByRole('link', { name: '查看岗位' }).click();
	await expect(page.getByRole('link', { name: `导入分拣员 ${tag}`, exact: true })).toBeVisible();
	await expect(page.getByRole('link', { name: `导入理货员 ${tag}`, exact: true })).toBeVisible();
	await expect(page.getByRole('link', { name: `导入叉车工 ${tag}`, exact: true })).toHaveCount(0);

	const example = await request.get('/import/positions-example.csv');
	expect(example.headers()['content-type']).toContain('text/csv');
	expect(await example.text()).toContain('岗位名称');
});

test("staff import for their own station, and only theirs", async ({ page }) => {
	await signIn(page, 'staff');
	await page.goto('/stations/1/import');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('批量导入岗位');
	const csv = 'title,category,kind,payMin,payMax,payUnit,headcount\n站点导入保洁,保洁,part_time,20,25,hour,1\n';
	await page.getByLabel('岗位文件（CSV 或 JSON）').setInputFiles({ name: 'positions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: '检查文件' }).click();
	await expect(page.getByText('全部行都有效，可以导入。')).toBeVisible();
	await page.getByRole('button', { name: '全部导入（1 行）' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已导入 1 个岗位（草稿）。' })).toBeVisible();
	const other = await page.goto('/stations/2/import');
	expect(other?.status()).toBe(403);
});
