/** Shared steps of the browser tests: signing in as a demo user, and a socket with a browser's session. */
import type { BrowserContext, Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD } from '../../src/lib/server/db/seed/demo-logins';

export const ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.getByLabel('用户名').fill(username);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	// A correct password leaves /login; wait for it so the next step never races the redirect.
	if (password === DEMO_PASSWORD) await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A real socket.io client carrying the session of a signed-in browser context (the counter, another desk). */
export async function socketOf(context: BrowserContext): Promise<Socket> {
	const cookie = (await context.cookies()).find((c) => c.name === 'jc_session');
	if (!cookie) throw new Error('socketOf: the context is not signed in');
	const socket = io(ORIGIN, { transports: ['websocket'], extraHeaders: { cookie: `jc_session=${cookie.value}`, origin: ORIGIN } });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}

export async function command(socket: Socket, name: string, input: unknown) {
	return socket.timeout(5000).emitWithAck('command', { name, input }) as Promise<{ ok: boolean; data?: unknown; error?: { reason: string } }>;
}

let keys = 0;
export const clientKey = (prefix = 'e2e') => `${prefix}-${Date.now()}-${++keys}`;
