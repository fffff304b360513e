ALTER TABLE "live_rooms" ADD COLUMN "viewer_seconds" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "live_rooms" ADD COLUMN "slow_mode_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "live_rooms" ADD CONSTRAINT "live_rooms_slow_mode_range" CHECK ("live_rooms"."slow_mode_seconds" between 0 and 600);