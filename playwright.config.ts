import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Playwright's own browser download does not work on our machines: use the system Chromium when present.
const chromium = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
// E2E_PORT lets two checkouts run their browser tests side by side (each gets its own database too: serve.js).
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	timeout: 30_000,
	reporter: process.env.CI ? 'line' : 'list',
	outputDir: 'test-results',
	// After every spec: the app's log of the run must hold no phone number (serve.js writes it).
	globalTeardown: './tests/e2e/log-scan.ts',
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		locale: 'zh-CN',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromium,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
		}
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
	webServer: {
		command: 'node tests/e2e/serve.js',
		// Ready when the database answers, not merely when the port is open.
		url: `http://127.0.0.1:${PORT}/healthz`,
		timeout: 120_000,
		reuseExistingServer: false,
		// One camera-stream viewer per room, so the browser tests can see what the viewer beyond the limit sees.
		env: { PORT: String(PORT), WEBRTC_MAX_VIEWERS: '1' }
	}
});
