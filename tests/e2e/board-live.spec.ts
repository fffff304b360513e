/**
 * The wall display follows the station's work live: a position staff approve is on the board within a
 * second and leaves when closed; and after its network was cut while 20 changes were made, the board
 * catches up without a reload to exactly what a fresh load from the database shows.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Socket } from 'socket.io-client';
import { DEMO_DISPLAY_TOKEN } from '../../src/lib/server/db/seed/demo-logins';
import { command, signIn, socketOf } from './helpers';

const boardIds = async (page: Page) => {
	const all = await page.locator('[data-board-all]').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-board-all') ?? ''));
	return all.join('|');
};

let posted = 0;
/** Staff of station 1 post, submit and approve a position at their station: three changes. */
async function approveNew(staff: Socket, title = `看板测试岗位${Date.now() % 100000}-${++posted}`) {
	const created = await command(staff, 'position:create', { title, category: 'warehouse', kind: 'full_time', payMin: 4000, payMax: 6000, payUnit: 'month', headcount: 2 });
	expect(created.ok, JSON.stringify(created.error)).toBe(true);
	const id = (created.data as { id: number }).id;
	expect((await command(staff, 'position:submit', { positionId: id })).ok).toBe(true);
	expect((await command(staff, 'position:review', { positionId: id, decision: 'approve' })).ok).toBe(true);
	return id;
}

test('an approved position is on the board within a second, and closing it removes it', async ({ page, browser }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await page.goto(`/display/${DEMO_DISPLAY_TOKEN}`);
	await expect(page.locator('[data-board-all]').first()).toBeAttached();
	const staffContext = await browser.newContext();
	const staffPage = await staffContext.newPage();
	await signIn(staffPage, 'staff');
	const staff = await socketOf(staffContext);

	const id = await approveNew(staff);
	await expect(page.locator('section.positions')).toHaveAttribute('data-board-all', new RegExp(`(^|,)${id}(,|$)`), { timeout: 1000 });
	// New positions come in first, highlighted.
	await expect(page.locator(`[data-board-position="${id}"]`)).toBeVisible({ timeout: 1000 });

	expect((await command(staff, 'position:close', { positionId: id })).ok).toBe(true);
	await expect(page.locator('section.positions')).not.toHaveAttribute('data-board-all', new RegExp(`(^|,)${id}(,|$)`), { timeout: 1000 });
	staff.close();
	await staffContext.close();
});

test('cut off while 20 changes are made, the board catches up to the database without a reload', async ({ browser }) => {
	const boardContext = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
	const board = await boardContext.newPage();
	await board.goto(`/display/${DEMO_DISPLAY_TOKEN}`);
	await expect(board.locator('[data-board-all]').first()).toBeAttached();
	await board.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
	const before = (await board.locator('section.positions').getAttribute('data-board-all'))!.split(',').filter(Boolean).map(Number);

	const staffContext = await browser.newContext();
	const staffPage = await staffContext.newPage();
	await signIn(staffPage, 'staff');
	const staff = await socketOf(staffContext);

	await boardContext.setOffline(true);
	await expect(board.getByRole('status')).toContainText('离线，自', { timeout: 15_000 });

	let changes = 0;
	const fresh: number[] = [];
	for (let i = 0; i < 4; i++) {
		fresh.push(await approveNew(staff));
		changes += 3;
	}
	for (const id of before.slice(0, 4)) {
		const closed = await command(staff, 'position:close', { positionId: id });
		if (closed.ok) changes++;
	}
	for (const id of fresh.slice(0, 2)) {
		expect((await command(staff, 'position:close', { positionId: id })).ok).toBe(true);
		changes++;
	}
	for (const id of fresh.slice(2, 4)) {
		expect((await command(staff, 'position:fill', { positionId: id })).ok).toBe(true);
		changes++;
	}
	expect(changes).toBe(20);

	await boardContext.setOffline(false);
	await expect(board.getByRole('status')).toHaveCount(0, { timeout: 20_000 });

	// The database's board for the station, as a fresh load renders it.
	const reference = await browser.newPage();
	await reference.goto(`/display/${DEMO_DISPLAY_TOKEN}`);
	await expect(reference.locator('[data-board-all]').first()).toBeAttached();
	const expected = await boardIds(reference);
	await expect.poll(() => boardIds(board), { timeout: 10_000 }).toBe(expected);
	for (const id of [...before.slice(0, 4), ...fresh]) expect(expected.split(/[|,]/)).not.toContain(String(id));
	expect(await board.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

	staff.close();
	await reference.close();
	await staffContext.close();
	await boardContext.close();
});
