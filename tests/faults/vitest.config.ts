/**
 * The fault suite (`npm run test:faults`, `FAULTS_SHORT=1` for the short variant inside `npm test`): real
 * app processes, a PostgreSQL server of its own and real socket.io clients, so the scenarios run one at a
 * time (each uses most of a 2-core machine) with generous, but finite, time limits.
 */
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({ project: './src/lib/i18n/project.inlang', outdir: './src/lib/paraglide', strategy: ['cookie', 'baseLocale'], cookieName: 'jc_locale' }),
		sveltekit()
	],
	test: {
		include: ['tests/faults/**/*.test.ts'],
		environment: 'node',
		testTimeout: 300_000,
		hookTimeout: 180_000,
		pool: 'forks',
		fileParallelism: false,
		maxWorkers: 1
	}
});
