/**
 * Playwright global teardown: the app's log of the whole browser run (written by serve.js) must hold no
 * phone number, and no report of one in a URL. Runs while the server is still up, after every spec.
 */
import { existsSync, readFileSync } from 'node:fs';
import { personalDataIn } from '../helpers/personal-data';

const APP_LOG = 'test-results/app.log';

export default function scanAppLog() {
	if (!existsSync(APP_LOG)) throw new Error(`${APP_LOG} is missing: serve.js writes the app's log there`);
	const lines = readFileSync(APP_LOG, 'utf8').split('\n');
	const found = personalDataIn(lines);
	if (found.length) throw new Error(`Personal data in the app's log (${found.length} lines, shown masked):\n${found.slice(0, 20).join('\n')}`);
	console.log(`log-scan: ${lines.length} log lines, no phone numbers`);
}
