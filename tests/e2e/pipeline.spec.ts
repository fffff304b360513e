/**
 * The employer's pipeline across two browser contexts (issue 4 item 4): a seeker applies to one of the
 * employer's positions and the employer's pipeline shows the applicant without reload; the employer moves
 * them to interview with the keyboard-usable select and button; the seeker's /me/applications shows the
 * new status without reload. The pipeline works at 360 px and passes axe; the profile page too.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './helpers';

const cards = (page: Page, stage?: string) => page.locator(stage ? `[data-stage="${stage}"] [data-application-id]` : '[data-application-id]');
const idsOf = async (page: Page) => (await cards(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-application-id'))))) as number[];

test('a seeker applies, the employer sees it live and moves it to interview, the seeker sees that live', async ({ browser }) => {
	const employerContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
	const seekerContext = await browser.newContext({ viewport: { width: 360, height: 800 } });
	const employer = await employerContext.newPage();
	const seeker = await seekerContext.newPage();
	await signIn(employer, 'employer');
	await signIn(seeker, 'seeker');

	// An open position of the employer's that the demo seeker has not applied to yet.
	await employer.goto('/employer');
	const positionIds = await employer.locator('[data-applicants]').evaluateAll((els) => els.map((e) => e.getAttribute('data-applicants')));
	expect(positionIds.length).toBeGreaterThan(0);
	let positionId: string | null = null;
	for (const id of positionIds) {
		await seeker.goto(`/jobs/${id}`);
		if (await seeker.getByRole('button', { name: '一键申请' }).count()) {
			positionId = id;
			break;
		}
	}
	expect(positionId, 'an open position of the demo employer not yet applied to').not.toBeNull();

	// The employer's pipeline is open and live before the seeker applies.
	await employer.locator(`[data-applicants="${positionId}"]`).click();
	await expect(employer).toHaveURL(new RegExp(`/employer/positions/${positionId}/applicants$`));
	await expect(employer.locator('[data-connection="live"]')).toBeVisible();
	const before = await idsOf(employer);

	await seeker.getByRole('button', { name: '一键申请' }).click();
	await expect(seeker.locator('[data-applied]')).toBeVisible();

	// The applicant arrives on the board without a reload, with name and phone.
	await expect.poll(async () => (await idsOf(employer)).length, { timeout: 5000 }).toBe(before.length + 1);
	const applicationId = (await idsOf(employer)).find((id) => !before.includes(id))!;
	const card = employer.locator(`[data-application-id="${applicationId}"]`);
	await expect(employer.locator(`[data-stage="applied"] [data-application-id="${applicationId}"]`)).toBeVisible();
	await expect(card.locator('a[href^="tel:"]')).toHaveText(/^1\d{10}$/);
	await expect(card).toContainText('网上投递');

	// The seeker follows their list live.
	await seeker.goto('/me/applications');
	await expect(seeker.locator('[data-connection="live"]')).toBeVisible();
	await expect(seeker.locator(`[data-application-status="${applicationId}"]`)).toHaveText('已申请');

	// Keyboard: choose the stage in the card's select, then press its button.
	const select = card.getByRole('combobox');
	await select.focus();
	await select.selectOption('interview');
	await employer.keyboard.press('Tab');
	await expect(card.getByRole('button', { name: '移动' })).toBeFocused();
	await employer.keyboard.press('Enter');
	await expect(employer.locator(`[data-stage="interview"] [data-application-id="${applicationId}"]`)).toBeVisible();
	await expect(employer.locator(`#applicant-${applicationId}`)).toBeFocused(); // focus follows the card
	await expect(employer.getByRole('status').filter({ hasText: '面试' })).toHaveCount(1);

	await expect(seeker.locator(`[data-application-status="${applicationId}"]`)).toHaveText('面试', { timeout: 5000 });

	const axe = await new AxeBuilder({ page: employer }).analyze();
	expect(axe.violations).toEqual([]);
	expect(await employer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	await employerContext.close();
	await seekerContext.close();
});

test('the employer edits the organisation profile; a bad phone is named and nothing is lost', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 800 });
	await signIn(page, 'employer');
	await page.goto('/employer');
	await page.getByRole('link', { name: '机构资料' }).click();
	await expect(page).toHaveURL(/\/employer\/profile$/);
	const name = page.getByLabel('机构名称');
	const original = await name.inputValue();
	await page.getByLabel('联系电话').fill('12345');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('请输入手机号或座机号')).toBeVisible();
	await expect(page.getByLabel('联系电话')).toHaveValue('12345');

	await page.getByLabel('联系电话').fill('020-87654321');
	await name.fill(`${original}（测试）`);
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('机构名称')).toHaveValue(`${original}（测试）`);
	await expect(page.getByLabel('联系电话')).toHaveValue('020-87654321');

	const axe = await new AxeBuilder({ page }).analyze();
	expect(axe.violations).toEqual([]);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	// Put the demo name back for the other specs.
	await page.getByLabel('机构名称').fill(original);
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

	// The home page lists the fairs where the demo employer has a booth, linked to the fair.
	await page.goto('/employer');
	await expect(page.locator('a[href^="/fairs/"]').first()).toBeVisible();
});
