// The nonce-based CSP holds on the pages with the most moving parts (the Leaflet map and Chart.js charts,
// the wall display with its QR codes, the live room with its video area, the host console): each loads
// without a single policy violation, and its document carries the policy.
import { type Page, expect, test } from '@playwright/test';
import { DEMO_DISPLAY_TOKEN } from '../../src/lib/server/db/seed/demo-logins';
import { signIn } from './helpers';

/** The seeded room that is live now, hosted by the demo employer. */
async function liveRoom(page: Page) {
	await page.goto('/live');
	await page.getByRole('link', { name: /仓储配送岗位直播带岗/ }).first().click();
	await page.waitForURL(/\/live\/\d+$/);
	return new URL(page.url()).pathname;
}

const PAGES: Array<{ name: string; path: (page: Page) => Promise<string> | string; as?: string; ready: string }> = [
	{ name: '/ops', path: () => '/ops', as: 'supervisor', ready: '[data-connection="live"]' },
	{ name: '/jobs', path: () => '/jobs', ready: 'h1' },
	{ name: '/display/[token]', path: () => `/display/${DEMO_DISPLAY_TOKEN}`, ready: '[data-connection="live"]' },
	{ name: '/live/[room]', path: liveRoom, as: 'seeker', ready: '[data-connection="live"]' },
	{ name: '/live/[room]/host', path: async (page) => `${await liveRoom(page)}/host`, as: 'employer', ready: '[data-connection="live"]' }
];

for (const p of PAGES) {
	test(`${p.name} loads without CSP violations`, async ({ page }) => {
		const violations: string[] = [];
		page.on('console', (msg) => {
			if (/Content Security Policy|Refused to (load|execute|apply|frame|connect)/i.test(msg.text())) violations.push(msg.text());
		});
		await page.addInitScript(() => {
			document.addEventListener('securitypolicyviolation', (e) => {
				(window as unknown as { __csp: string[] }).__csp ??= [];
				(window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
			});
		});
		if (p.as) await signIn(page, p.as);
		const response = await page.goto(await p.path(page));
		expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
		await expect(page.locator(p.ready).first()).toBeVisible();
		// Let the live parts start (socket, charts, map layers, the display's first page turn).
		await page.waitForTimeout(1500);
		const fromPage = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
		expect([...violations, ...fromPage]).toEqual([]);
	});
}
