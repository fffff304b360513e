/** What `npm start` prints once the app is up: where it is, on which data, and how to sign in. */
import { DEMO_DISPLAY_TOKEN, DEMO_LOGINS, DEMO_PASSWORD } from './db/seed/demo-logins';

export function printBanner(options: { database: string; seeded: boolean; simRate: number }) {
	const port = process.env.PORT ?? (process.env.npm_lifecycle_event === 'dev' ? '5173' : '3000');
	const url = process.env.ORIGIN ?? `http://localhost:${port}`;
	const width = Math.max(...DEMO_LOGINS.map((d) => d.username.length)) + 2;
	const lines = [
		'',
		'  就业服务圈 Jobcircle',
		`  ${url}`,
		`  database: ${options.database}${options.seeded ? ' (demo province seeded just now)' : ''}`,
		`  demo traffic: ${options.simRate > 0 ? `on (SIM_RATE=${options.simRate})` : 'off (SIM_RATE=0)'}`,
		'',
		`  Demo logins (password: ${DEMO_PASSWORD})`,
		...DEMO_LOGINS.map((d) => `    ${d.username.padEnd(width)}${d.role.padEnd(12)}${d.zh} / ${d.en}`),
		'',
		`  Wall display of station 1: ${url}/display/${DEMO_DISPLAY_TOKEN}`,
		''
	];
	console.log(lines.join('\n'));
}
