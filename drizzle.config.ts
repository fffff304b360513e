import { defineConfig } from 'drizzle-kit';

// Generation only: migrations are applied at start-up by src/lib/server/db/migrate.ts on both drivers.
export default defineConfig({
	schema: './src/lib/server/db/schema.ts',
	out: './drizzle',
	dialect: 'postgresql',
	strict: true,
	verbose: true
});
