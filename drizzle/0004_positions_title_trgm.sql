-- Trigram index for words in position titles. pg_trgm is a trusted contrib extension on PostgreSQL (no superuser
-- needed); PGlite loads it in src/lib/server/db/index.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "positions_open_title_trgm_idx" ON "positions" USING gin ("title" gin_trgm_ops) WHERE "positions"."state" = 'open';