CREATE TYPE "public"."application_channel" AS ENUM('live_room', 'display_qr', 'counter', 'web', 'fair');--> statement-breakpoint
CREATE TYPE "public"."application_status" AS ENUM('applied', 'contacted', 'interview', 'hired', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."chat_kind" AS ENUM('chat', 'question');--> statement-breakpoint
CREATE TYPE "public"."fair_state" AS ENUM('scheduled', 'open', 'ended');--> statement-breakpoint
CREATE TYPE "public"."key_group" AS ENUM('college_graduate', 'employment_difficulty', 'migrant_worker', 'flexible_worker', 'veteran', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('hr_department', 'trade_union', 'service_agency', 'employer');--> statement-breakpoint
CREATE TYPE "public"."pay_unit" AS ENUM('hour', 'day', 'month', 'piece');--> statement-breakpoint
CREATE TYPE "public"."position_kind" AS ENUM('full_time', 'part_time', 'odd_job', 'internship', 'public_welfare');--> statement-breakpoint
CREATE TYPE "public"."position_state" AS ENUM('draft', 'pending_review', 'open', 'filled', 'closed', 'expired');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('province', 'city', 'county', 'street', 'community');--> statement-breakpoint
CREATE TYPE "public"."room_state" AS ENUM('scheduled', 'live', 'ended');--> statement-breakpoint
CREATE TYPE "public"."service_kind" AS ENUM('policy_consultation', 'job_registration', 'career_guidance', 'job_recommendation', 'training_registration', 'legal_consultation', 'labour_rights_help');--> statement-breakpoint
CREATE TYPE "public"."station_kind" AS ENUM('community', 'industrial_park', 'transport_hub', 'mobile', 'online', 'odd_job', 'outdoor_worker');--> statement-breakpoint
CREATE TYPE "public"."station_state" AS ENUM('open', 'closed', 'offline');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'supervisor', 'staff', 'employer', 'seeker');--> statement-breakpoint
CREATE TYPE "public"."video_kind" AS ENUM('none', 'webrtc', 'hls', 'embed');--> statement-breakpoint
CREATE TABLE "applications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"seeker_id" integer NOT NULL,
	"position_id" bigint NOT NULL,
	"channel" "application_channel" NOT NULL,
	"source" text,
	"status" "application_status" DEFAULT 'applied' NOT NULL,
	"client_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"room_id" integer NOT NULL,
	"author_user_id" integer NOT NULL,
	"author_label" text NOT NULL,
	"kind" "chat_kind" DEFAULT 'chat' NOT NULL,
	"body" text NOT NULL,
	"client_key" text NOT NULL,
	"answered_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_messages_body_length" CHECK (char_length("chat_messages"."body") between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "displays" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"bilingual" boolean DEFAULT false NOT NULL,
	"last_heartbeat_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topics" text[] NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fair_booth_positions" (
	"booth_id" integer NOT NULL,
	"position_id" bigint NOT NULL,
	CONSTRAINT "fair_booth_positions_booth_id_position_id_pk" PRIMARY KEY("booth_id","position_id")
);
--> statement-breakpoint
CREATE TABLE "fair_booths" (
	"id" serial PRIMARY KEY NOT NULL,
	"fair_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fair_sign_ins" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fair_id" integer NOT NULL,
	"seeker_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_fairs" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"state" "fair_state" DEFAULT 'scheduled' NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_fairs_window_order" CHECK ("job_fairs"."ends_at" > "job_fairs"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "live_room_positions" (
	"room_id" integer NOT NULL,
	"position_id" bigint NOT NULL,
	"sort_order" integer NOT NULL,
	CONSTRAINT "live_room_positions_room_id_position_id_pk" PRIMARY KEY("room_id","position_id")
);
--> statement-breakpoint
CREATE TABLE "live_rooms" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"host_organisation_id" integer NOT NULL,
	"station_id" integer,
	"scheduled_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"state" "room_state" DEFAULT 'scheduled' NOT NULL,
	"video_kind" "video_kind" DEFAULT 'none' NOT NULL,
	"video_url" text,
	"pinned_position_id" bigint,
	"peak_viewers" integer DEFAULT 0 NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"region_code" text,
	"contact_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"kind" "position_kind" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"pay_min" integer NOT NULL,
	"pay_max" integer NOT NULL,
	"pay_unit" "pay_unit" NOT NULL,
	"headcount" integer NOT NULL,
	"filled_count" integer DEFAULT 0 NOT NULL,
	"employer_organisation_id" integer,
	"station_id" integer,
	"posted_by_user_id" integer,
	"region_code" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"state" "position_state" DEFAULT 'draft' NOT NULL,
	"review_note" text,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "positions_pay_nonneg" CHECK ("positions"."pay_min" >= 0),
	CONSTRAINT "positions_pay_range" CHECK ("positions"."pay_max" >= "positions"."pay_min"),
	CONSTRAINT "positions_headcount_range" CHECK ("positions"."headcount" between 1 and 10000),
	CONSTRAINT "positions_filled_range" CHECK ("positions"."filled_count" between 0 and "positions"."headcount"),
	CONSTRAINT "positions_window_order" CHECK ("positions"."ends_at" is null or "positions"."starts_at" is null or "positions"."ends_at" > "positions"."starts_at"),
	CONSTRAINT "positions_odd_job_window" CHECK ("positions"."kind" <> 'odd_job' or ("positions"."starts_at" is not null and "positions"."ends_at" is not null)),
	CONSTRAINT "positions_has_owner" CHECK ("positions"."employer_organisation_id" is not null or "positions"."station_id" is not null),
	CONSTRAINT "positions_lat_range" CHECK ("positions"."lat" between -90 and 90),
	CONSTRAINT "positions_lng_range" CHECK ("positions"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"parent_code" text,
	"level" "region_level" NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"station_quota" integer,
	CONSTRAINT "regions_code_digits" CHECK ("regions"."code" ~ '^[0-9]{2,12}$'),
	CONSTRAINT "regions_quota_nonneg" CHECK ("regions"."station_quota" is null or "regions"."station_quota" >= 0),
	CONSTRAINT "regions_lat_range" CHECK ("regions"."lat" between -90 and 90),
	CONSTRAINT "regions_lng_range" CHECK ("regions"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "room_mutes" (
	"room_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"until" timestamp with time zone NOT NULL,
	CONSTRAINT "room_mutes_room_id_user_id_pk" PRIMARY KEY("room_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "seekers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text,
	"phone" text,
	"key_groups" "key_group"[] DEFAULT '{}' NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"wanted_categories" text[] DEFAULT '{}' NOT NULL,
	"home_lat" double precision,
	"home_lng" double precision,
	"radius_m" integer DEFAULT 3000 NOT NULL,
	"odd_job_days" integer[] DEFAULT '{}' NOT NULL,
	"consent_at" timestamp with time zone,
	"consent_withdrawn_at" timestamp with time zone,
	"registered_at_station_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seekers_home_lat_range" CHECK ("seekers"."home_lat" is null or "seekers"."home_lat" between -90 and 90),
	CONSTRAINT "seekers_home_lng_range" CHECK ("seekers"."home_lng" is null or "seekers"."home_lng" between -180 and 180),
	CONSTRAINT "seekers_personal_needs_consent" CHECK ("seekers"."phone" is null or "seekers"."consent_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "service_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"kind" "service_kind" NOT NULL,
	"seeker_id" integer,
	"staff_user_id" integer,
	"note" text DEFAULT '' NOT NULL,
	"client_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "station_kind" NOT NULL,
	"lead_organisation_id" integer NOT NULL,
	"region_code" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"radius_m" integer DEFAULT 1200 NOT NULL,
	"capacity" integer NOT NULL,
	"occupancy" integer DEFAULT 0 NOT NULL,
	"opening_hours" text DEFAULT '09:00-17:30' NOT NULL,
	"services" "service_kind"[] DEFAULT '{}' NOT NULL,
	"facilities" text[] DEFAULT '{}' NOT NULL,
	"state" "station_state" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_capacity_positive" CHECK ("stations"."capacity" > 0),
	CONSTRAINT "stations_occupancy_nonneg" CHECK ("stations"."occupancy" >= 0),
	CONSTRAINT "stations_radius_range" CHECK ("stations"."radius_m" between 100 and 20000),
	CONSTRAINT "stations_lat_range" CHECK ("stations"."lat" between -90 and 90),
	CONSTRAINT "stations_lng_range" CHECK ("stations"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"region_code" text,
	"station_id" integer,
	"organisation_id" integer,
	"seeker_id" integer,
	"locale" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_scope" CHECK (("users"."role" <> 'supervisor' or "users"."region_code" is not null)
			and ("users"."role" <> 'staff' or "users"."station_id" is not null)
			and ("users"."role" <> 'employer' or "users"."organisation_id" is not null)
			and ("users"."role" <> 'seeker' or "users"."seeker_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"key_group" "key_group",
	"seeker_id" integer,
	"client_key" text NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_out_at" timestamp with time zone,
	"check_out_key" text,
	"over_capacity" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_seeker_id_seekers_id_fk" FOREIGN KEY ("seeker_id") REFERENCES "public"."seekers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_room_id_live_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."live_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "displays" ADD CONSTRAINT "displays_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_booth_positions" ADD CONSTRAINT "fair_booth_positions_booth_id_fair_booths_id_fk" FOREIGN KEY ("booth_id") REFERENCES "public"."fair_booths"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_booth_positions" ADD CONSTRAINT "fair_booth_positions_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_booths" ADD CONSTRAINT "fair_booths_fair_id_job_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."job_fairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_booths" ADD CONSTRAINT "fair_booths_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_sign_ins" ADD CONSTRAINT "fair_sign_ins_fair_id_job_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."job_fairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fair_sign_ins" ADD CONSTRAINT "fair_sign_ins_seeker_id_seekers_id_fk" FOREIGN KEY ("seeker_id") REFERENCES "public"."seekers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_fairs" ADD CONSTRAINT "job_fairs_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_fairs" ADD CONSTRAINT "job_fairs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_room_positions" ADD CONSTRAINT "live_room_positions_room_id_live_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."live_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_room_positions" ADD CONSTRAINT "live_room_positions_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_rooms" ADD CONSTRAINT "live_rooms_host_organisation_id_organisations_id_fk" FOREIGN KEY ("host_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_rooms" ADD CONSTRAINT "live_rooms_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_rooms" ADD CONSTRAINT "live_rooms_pinned_position_id_positions_id_fk" FOREIGN KEY ("pinned_position_id") REFERENCES "public"."positions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_rooms" ADD CONSTRAINT "live_rooms_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_employer_organisation_id_organisations_id_fk" FOREIGN KEY ("employer_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_posted_by_user_id_users_id_fk" FOREIGN KEY ("posted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_mutes" ADD CONSTRAINT "room_mutes_room_id_live_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."live_rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_mutes" ADD CONSTRAINT "room_mutes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seekers" ADD CONSTRAINT "seekers_registered_at_station_id_stations_id_fk" FOREIGN KEY ("registered_at_station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_seeker_id_seekers_id_fk" FOREIGN KEY ("seeker_id") REFERENCES "public"."seekers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_staff_user_id_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_lead_organisation_id_organisations_id_fk" FOREIGN KEY ("lead_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_seeker_id_seekers_id_fk" FOREIGN KEY ("seeker_id") REFERENCES "public"."seekers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_seeker_id_seekers_id_fk" FOREIGN KEY ("seeker_id") REFERENCES "public"."seekers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_seeker_position_unique" ON "applications" USING btree ("seeker_id","position_id");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_seeker_client_key_unique" ON "applications" USING btree ("seeker_id","client_key");--> statement-breakpoint
CREATE INDEX "applications_position_idx" ON "applications" USING btree ("position_id","created_at");--> statement-breakpoint
CREATE INDEX "applications_created_idx" ON "applications" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_client_key_unique" ON "chat_messages" USING btree ("room_id","author_user_id","client_key");--> statement-breakpoint
CREATE INDEX "chat_messages_room_idx" ON "chat_messages" USING btree ("room_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "displays_token_hash_unique" ON "displays" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "displays_station_idx" ON "displays" USING btree ("station_id");--> statement-breakpoint
CREATE INDEX "events_topics_idx" ON "events" USING gin ("topics");--> statement-breakpoint
CREATE INDEX "events_at_idx" ON "events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "fair_booths_org_unique" ON "fair_booths" USING btree ("fair_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fair_sign_ins_unique" ON "fair_sign_ins" USING btree ("fair_id","seeker_id");--> statement-breakpoint
CREATE INDEX "job_fairs_station_idx" ON "job_fairs" USING btree ("station_id","starts_at");--> statement-breakpoint
CREATE INDEX "live_rooms_state_idx" ON "live_rooms" USING btree ("state","scheduled_at");--> statement-breakpoint
CREATE INDEX "organisations_kind_idx" ON "organisations" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "positions_open_geo_idx" ON "positions" USING btree ("lat","lng") WHERE "positions"."state" = 'open';--> statement-breakpoint
CREATE INDEX "positions_state_published_idx" ON "positions" USING btree ("state","published_at","id");--> statement-breakpoint
CREATE INDEX "positions_employer_idx" ON "positions" USING btree ("employer_organisation_id","state");--> statement-breakpoint
CREATE INDEX "positions_station_idx" ON "positions" USING btree ("station_id","state");--> statement-breakpoint
CREATE INDEX "positions_expiry_idx" ON "positions" USING btree ("expires_at") WHERE "positions"."state" = 'open';--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_code");--> statement-breakpoint
CREATE UNIQUE INDEX "seekers_phone_unique" ON "seekers" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_client_key_unique" ON "service_records" USING btree ("station_id","client_key");--> statement-breakpoint
CREATE INDEX "service_records_station_at_idx" ON "service_records" USING btree ("station_id","at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "stations_region_idx" ON "stations" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "stations_lat_lng_idx" ON "stations" USING btree ("lat","lng");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_unique" ON "users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_station_client_key_unique" ON "visits" USING btree ("station_id","client_key");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_station_check_out_key_unique" ON "visits" USING btree ("station_id","check_out_key");--> statement-breakpoint
CREATE INDEX "visits_open_idx" ON "visits" USING btree ("station_id","checked_in_at") WHERE "visits"."checked_out_at" is null;--> statement-breakpoint
CREATE INDEX "visits_station_day_idx" ON "visits" USING btree ("station_id","checked_in_at");