/** What the app prints once it is up: where it is, on which data, and how to sign in. */
import { DEMO_DISPLAY_TOKEN, DEMO_LOGINS, DEMO_PASSWORD } from './db/seed/demo-logins';

export interface BannerInfo {
	database: string;
	/** Set when the demo province was seeded during this start. */
	seeded: { stations: number; positions: number; ms: number } | null;
	simRate: number;
}

/** The public URL: ORIGIN when set, else HOST/PORT as the server binds them (0.0.0.0 shown as localhost). */
export function publicUrl(env: NodeJS.ProcessEnv = process.env) {
	if (env.ORIGIN) return env.ORIGIN.replace(/\/$/, '');
	const port = env.PORT ?? (env.npm_lifecycle_event === 'dev' ? '5173' : '3000');
	const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function bannerText(info: BannerInfo, env: NodeJS.ProcessEnv = process.env) {
	const url = publicUrl(env);
	const userWidth = Math.max('username'.length, ...DEMO_LOGINS.map((d) => d.username.length)) + 2;
	const passWidth = DEMO_PASSWORD.length + 2;
	const row = (a: string, b: string, c: string, d: string) => `    ${a.padEnd(userWidth)}${b.padEnd(passWidth)}${c.padEnd(12)}${d}`;
	return [
		'',
		'  就业服务圈 Jobcircle',
		`  URL:          ${url}`,
		`  Database:     ${info.database}`,
		info.seeded
			? `  Demo data:    seeded just now (${info.seeded.stations} stations, ${info.seeded.positions} positions, ${(info.seeded.ms / 1000).toFixed(1)} s)`
			: '  Demo data:    existing database (SEED=auto seeds only an empty one)',
		`  Demo traffic: ${info.simRate > 0 ? `on, SIM_RATE=${info.simRate}` : 'off (SIM_RATE=0)'}`,
		'',
		'  Demo logins',
		row('username', 'password', 'role', ''),
		...DEMO_LOGINS.map((d) => row(d.username, DEMO_PASSWORD, d.role, `${d.zh} / ${d.en}`)),
		'',
		`  Wall display of station 1: ${url}/display/${DEMO_DISPLAY_TOKEN}`,
		''
	].join('\n');
}

export function printBanner(info: BannerInfo) {
	console.log(bannerText(info));
}
