CREATE TABLE "app_processes" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"worker" integer,
	"started_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"relay_cursor" bigint NOT NULL,
	"relay_behind" integer,
	"relay_lag_ms" integer,
	"sockets" integer DEFAULT 0 NOT NULL,
	"broker" text NOT NULL,
	"duties" boolean DEFAULT false NOT NULL
);
