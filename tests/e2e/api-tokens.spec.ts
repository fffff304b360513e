/**
 * An administrator creates an API token in /admin, sees it once, and it works against /api/v1 until revoked.
 */
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('admin creates an API token, uses it, and revokes it', async ({ page, request }) => {
	await signIn(page, 'admin');
	await page.goto('/admin');
	const section = page.getByRole('region', { name: 'API 令牌（省级平台对接）' });
	// The demo employer's organisation (广州顺达物流…): its token must see what that employer sees.
	const select = section.getByLabel('机构');
	const value = await select.locator('option', { hasText: '广州顺达' }).first().getAttribute('value');
	await select.selectOption(value!);
	const label = `e2e ${Date.now()}`;
	await section.getByLabel('用途说明').fill(label);
	await section.getByRole('button', { name: '生成令牌' }).click();
	const shown = section.locator('[data-api-token]');
	await expect(shown).toHaveText(/^jc_/);
	const token = (await shown.textContent())!.trim();

	const ok = await request.get('/api/v1/positions', { headers: { authorization: `Bearer ${token}` } });
	expect(ok.status()).toBe(200);
	expect(ok.headers()['cache-control']).toBe('no-store');
	expect(await ok.json()).toHaveProperty('positions');

	// Shown once: a reload no longer carries it.
	await page.goto('/admin');
	await expect(section.locator('[data-api-token]')).toHaveCount(0);
	const row = section.getByRole('row').filter({ hasText: label });
	await expect(row).toContainText('有效');
	page.once('dialog', (d) => d.accept());
	await row.getByRole('button', { name: `吊销令牌「${label}」` }).click();
	await expect(row).toContainText('已于');

	const refused = await request.get('/api/v1/positions', { headers: { authorization: `Bearer ${token}` } });
	expect(refused.status()).toBe(401);
	expect(await refused.json()).toMatchObject({ code: 'unauthenticated', reason: 'revoked_token' });
});
