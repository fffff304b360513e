/**
 * The supervisor's operations map (issue 3): live markers and tiles, filters that move map, tiles and
 * charts together, scope of the socket traffic, and accessibility.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import type { MapStations } from '../../src/lib/components/map/types';
import { clientKey, command, signIn, socketOf } from './helpers';

/** Station 1 (五山街道, Guangzhou) and its community: filtering to it shows the single marker. */
const STATION = 1;
const STATION_COMMUNITY = '440106001001';

async function mapReady(page: Page) {
	await expect(page.locator('[data-testid="ops-map"]')).toHaveAttribute('data-applied-event', /\d+/, { timeout: 15_000 });
	await expect(page.locator('[data-connection="live"]')).toBeVisible();
}

const tile = (page: Page, key: string) => page.locator(`[data-tile="${key}"]`);
const number = async (page: Page, key: string) => Number(await tile(page, key).textContent());

test("a check-in at the counter moves the supervisor's marker, occupancy and on-site tile within a second; filling the station raises an alert whose acknowledgement every supervisor sees", async ({ page, browser }) => {
	await signIn(page, 'supervisor.gz');
	await page.goto(`/ops?region=${STATION_COMMUNITY}`);
	await mapReady(page);
	const marker = page.locator(`[data-station="${STATION}"]`);
	await expect(marker).toBeVisible();
	const [, occupancy, capacity] = /(\d+) \/ (\d+)/.exec((await marker.getAttribute('aria-label'))!)!.map(Number) as number[];
	const onSite = await number(page, 'on-site');

	const staff = await browser.newContext();
	await signIn(await staff.newPage(), 'staff');
	const counter = await socketOf(staff);
	try {
		const first = await command(counter, 'visit:check_in', { stationId: STATION, clientKey: clientKey() });
		expect(first.ok).toBe(true);
		await expect(tile(page, 'on-site')).toHaveText(String(onSite + 1), { timeout: 1000 });
		await expect(marker).toHaveAttribute('aria-label', new RegExp(`${occupancy + 1} / ${capacity}`), { timeout: 1000 });

		// Fill it: the marker turns "full" (colour) without a reload.
		const visits = [(first.data as { visitId: number }).visitId];
		for (let n = occupancy + 1; n < capacity; n++) {
			const r = await command(counter, 'visit:check_in', { stationId: STATION, clientKey: clientKey() });
			expect(r.ok).toBe(true);
			visits.push((r.data as { visitId: number }).visitId);
		}
		await expect(marker).toHaveClass(/jc-load-full/, { timeout: 1000 });
		await expect(tile(page, 'on-site')).toHaveText(String(onSite + capacity - occupancy), { timeout: 1000 });

		// A full station is an alert, raised by the server; acknowledging it here shows in another supervisor's view.
		const full = page.locator(`[data-alert-kind="station_full"]`).filter({ hasText: /五山/ });
		await expect(full).toBeVisible({ timeout: 2000 });
		const other = await browser.newContext();
		const otherPage = await other.newPage();
		await signIn(otherPage, 'supervisor');
		await otherPage.goto(`/ops?region=${STATION_COMMUNITY}`);
		await mapReady(otherPage);
		const theirs = otherPage.locator(`[data-alert-kind="station_full"]`).filter({ hasText: /五山/ });
		await expect(theirs).toBeVisible();
		await expect(theirs.locator('[data-alert-acked]')).toHaveCount(0);
		await full.getByRole('button', { name: /确认/ }).click();
		await expect(theirs.locator('[data-alert-acked]')).toContainText('确认', { timeout: 2000 });

		for (const visitId of visits) {
			const r = await command(counter, 'visit:check_out', { stationId: STATION, visitId, clientKey: clientKey('out') });
			expect(r.ok).toBe(true);
		}
		await expect(marker).not.toHaveClass(/jc-load-full/, { timeout: 1000 });
		await expect(tile(page, 'on-site')).toHaveText(String(onSite), { timeout: 1000 });
		// The condition has passed: the alert clears in both views.
		await expect(full).toHaveCount(0, { timeout: 2000 });
		await expect(theirs).toHaveCount(0, { timeout: 2000 });
		await other.close();
	} finally {
		counter.close();
		await staff.close();
	}
});

test('filters narrow the map, the tiles and the charts together, and live in the URL', async ({ page }) => {
	await signIn(page, 'supervisor');
	await page.goto('/ops');
	await mapReady(page);
	const all = (await (await page.request.get('/ops/stations.json')).json()) as MapStations;
	const mobile = all.kinds.indexOf('mobile');
	const expected = all.kind.filter((k) => k === mobile).length;
	expect(expected).toBeGreaterThan(0);

	await page.getByLabel('驿站类型').selectOption('mobile');
	await expect(page).toHaveURL(/[?&]kind=mobile/);
	await expect(tile(page, 'stations')).toHaveText(String(expected));
	// Every station that passes is on the map: cluster counts plus single markers add up.
	await expect
		.poll(async () =>
			page.evaluate(() => {
				const clusters = [...document.querySelectorAll('.jc-cluster span')].reduce((n, el) => n + Number(el.textContent), 0);
				return clusters + document.querySelectorAll('.jc-station').length;
			})
		)
		.toBe(expected);
	// The charts and the remaining tiles are the server's figures for the same filter.
	const summary = await (await page.request.get('/ops/summary.json?kind=mobile')).json();
	expect(await number(page, 'open-positions')).toBe(summary.kpi.openPositions);
	const hourTotal = summary.visitorsByHour.reduce((a: number, b: number) => a + b, 0);
	await expect(page.locator('[data-chart="visitors-by-hour"] figcaption')).toContainText(`合计 ${hourTotal}`);

	// Shareable: the same URL opens the same view.
	await page.reload();
	await expect(page.getByLabel('驿站类型')).toHaveValue('mobile');
	await expect(tile(page, 'stations')).toHaveText(String(expected));

	// A bad filter is a clear 400, not a 500.
	const bad = await page.request.get('/ops/summary.json?kind=spaceship');
	expect(bad.status()).toBe(400);
	expect((await bad.json()).fields).toHaveProperty('kind');
});

test("a city supervisor's socket never carries another city's events", async ({ page, browser }) => {
	const frames: string[] = [];
	page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
	await signIn(page, 'supervisor.gz');
	await page.goto('/ops');
	await mapReady(page);

	const admin = await browser.newContext();
	const adminPage = await admin.newPage();
	await signIn(adminPage, 'admin');
	const everything = (await (await adminPage.request.get('/ops/stations.json')).json()) as MapStations;
	const elsewhere = everything.id.find((_, i) => !everything.region[i].startsWith('4401'))!;
	const socket = await socketOf(admin);
	try {
		const onSite = await number(page, 'on-site');
		const away = await command(socket, 'visit:check_in', { stationId: elsewhere, clientKey: clientKey() });
		expect(away.ok).toBe(true);
		// A Guangzhou check-in after it: once that one is on screen, the other would have arrived too.
		const home = await command(socket, 'visit:check_in', { stationId: STATION, clientKey: clientKey() });
		expect(home.ok).toBe(true);
		await expect(tile(page, 'on-site')).toHaveText(String(onSite + 1), { timeout: 2000 });
		const leaked = frames.filter((f) => f.includes(`"stationId":${elsewhere},`) || /region:44(?!01)\d/.test(f));
		expect(leaked).toEqual([]);
		expect(frames.some((f) => f.includes(`"stationId":${STATION},`))).toBe(true);
		await command(socket, 'visit:check_out', { stationId: elsewhere, visitId: (away.data as { visitId: number }).visitId, clientKey: clientKey('out') });
		await command(socket, 'visit:check_out', { stationId: STATION, visitId: (home.data as { visitId: number }).visitId, clientKey: clientKey('out') });
	} finally {
		socket.close();
		await admin.close();
	}
});

test('the ops page has no serious accessibility violations, and a text equivalent for every tile and chart', async ({ page }) => {
	await signIn(page, 'supervisor');
	await page.goto('/ops');
	await mapReady(page);
	const { violations } = await new AxeBuilder({ page }).analyze();
	const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
	for (const t of await page.locator('[data-tile]').all()) await expect(t).toHaveText(/^\d+$/);
	for (const chart of await page.locator('[data-chart]').all()) {
		await expect(chart.locator('canvas')).toHaveAttribute('role', 'img');
		expect(await chart.locator('table tbody tr').count()).toBeGreaterThan(0);
	}
	// Stations are reachable from the keyboard: a cluster takes focus and Enter zooms into it.
	const cluster = page.locator('.jc-cluster').first();
	await cluster.focus();
	await expect(cluster).toHaveAttribute('aria-label', /个驿站/);
});
