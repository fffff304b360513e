/**
 * The app's HTTP surface as the file tree says it is, read at test time: every route (a directory with a
 * page or an endpoint), the form actions its +page.server.ts exports and the methods its +server.ts exports.
 * Tests that must cover the whole surface compare their tables with this, so a new route fails them until
 * someone says what it allows.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface RouteFiles {
	/** The URL pattern: `/stations/[id]/desk` (layout groups such as `(app)` removed). */
	id: string;
	page: boolean;
	/** Paths relative to the project, e.g. `src/routes/admin/+page.server.ts`. */
	pageServer: string | null;
	server: string | null;
}

const ROOT = 'src/routes';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function discoverRoutes(root = ROOT): RouteFiles[] {
	const found: RouteFiles[] = [];
	const walk = (dir: string) => {
		const names = readdirSync(dir);
		const has = (f: string) => names.includes(f);
		if (has('+page.svelte') || has('+page.server.ts') || has('+server.ts')) {
			const segments = path.relative(root, dir).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
			found.push({
				id: `/${segments.join('/')}`,
				page: has('+page.svelte'),
				pageServer: has('+page.server.ts') ? path.join(dir, '+page.server.ts') : null,
				server: has('+server.ts') ? path.join(dir, '+server.ts') : null
			});
		}
		for (const name of names) if (statSync(path.join(dir, name)).isDirectory()) walk(path.join(dir, name));
	};
	walk(root);
	return found.sort((a, b) => a.id.localeCompare(b.id));
}

type Loader = () => Promise<unknown>;

/** Action names per route id, from `import.meta.glob('/src/routes/**\/+page.server.ts')` of the calling test. */
export async function actionsByRoute(modules: Record<string, Loader>): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	for (const route of discoverRoutes()) {
		if (!route.pageServer) continue;
		const load = modules[`/${route.pageServer}`];
		if (!load) throw new Error(`no module for ${route.pageServer}`);
		const mod = (await load()) as { actions?: Record<string, unknown> };
		if (mod.actions) out.set(route.id, Object.keys(mod.actions).sort());
	}
	return out;
}

/** HTTP methods per endpoint route id, from `import.meta.glob('/src/routes/**\/+server.ts')`. */
export async function methodsByRoute(modules: Record<string, Loader>): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	for (const route of discoverRoutes()) {
		if (!route.server) continue;
		const load = modules[`/${route.server}`];
		if (!load) throw new Error(`no module for ${route.server}`);
		const mod = (await load()) as Record<string, unknown>;
		out.set(route.id, METHODS.filter((m) => typeof mod[m] === 'function'));
	}
	return out;
}
