/**
 * The whole Jobcircle data model (DESIGN.md "Domain"): one vocabulary from here to the UI.
 * Constraints carry the rules the services rely on; the services still validate first so that users get
 * a field-level message instead of a constraint name.
 */
import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	check,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const created = () => ts('created_at').notNull().defaultNow();
const latLngChecks = (table: string, lat: unknown, lng: unknown) => [
	check(`${table}_lat_range`, sql`${lat} between -90 and 90`),
	check(`${table}_lng_range`, sql`${lng} between -180 and 180`)
];

// ── enums ────────────────────────────────────────────────────────────────────────────────────────────
export const regionLevel = pgEnum('region_level', ['province', 'city', 'county', 'street', 'community']);
export const organisationKind = pgEnum('organisation_kind', [
	'hr_department',
	'trade_union',
	'service_agency',
	'employer'
]);
export const stationKind = pgEnum('station_kind', [
	'community',
	'industrial_park',
	'transport_hub',
	'mobile',
	'online',
	'odd_job',
	'outdoor_worker'
]);
export const stationState = pgEnum('station_state', ['open', 'closed', 'offline']);
export const keyGroup = pgEnum('key_group', [
	'college_graduate',
	'employment_difficulty',
	'migrant_worker',
	'flexible_worker',
	'veteran',
	'disabled'
]);
export const serviceKind = pgEnum('service_kind', [
	'policy_consultation',
	'job_registration',
	'career_guidance',
	'job_recommendation',
	'training_registration',
	'legal_consultation',
	'labour_rights_help'
]);
export const positionKind = pgEnum('position_kind', [
	'full_time',
	'part_time',
	'odd_job',
	'internship',
	'public_welfare'
]);
export const payUnit = pgEnum('pay_unit', ['hour', 'day', 'month', 'piece']);
export const positionState = pgEnum('position_state', [
	'draft',
	'pending_review',
	'open',
	'filled',
	'closed',
	'expired'
]);
export const applicationChannel = pgEnum('application_channel', [
	'live_room',
	'display_qr',
	'counter',
	'web',
	'fair'
]);
export const applicationStatus = pgEnum('application_status', [
	'applied',
	'contacted',
	'interview',
	'hired',
	'rejected',
	'withdrawn'
]);
export const fairState = pgEnum('fair_state', ['scheduled', 'open', 'ended']);
export const roomState = pgEnum('room_state', ['scheduled', 'live', 'ended']);
export const videoKind = pgEnum('video_kind', ['none', 'webrtc', 'hls', 'embed']);
export const chatKind = pgEnum('chat_kind', ['chat', 'question']);
export const userRole = pgEnum('user_role', ['admin', 'supervisor', 'staff', 'employer', 'seeker']);
export const alertKind = pgEnum('alert_kind', [
	'station_full',
	'station_silent',
	'display_offline',
	'county_below_quota',
	'review_overdue'
]);

// ── places and organisations ─────────────────────────────────────────────────────────────────────────
/** Administrative tree; codes are hierarchical (44 > 4401 > 440106 > 440106001 > 440106001001), so a code
 *  prefix is "this region and everything below it" — scopes and event topics rely on that. */
export const regions = pgTable(
	'regions',
	{
		code: text('code').primaryKey(),
		parentCode: text('parent_code'),
		level: regionLevel('level').notNull(),
		nameZh: text('name_zh').notNull(),
		nameEn: text('name_en').notNull(),
		lat: doublePrecision('lat').notNull(),
		lng: doublePrecision('lng').notNull(),
		/** Counties only: the least number of stations the county must have. */
		stationQuota: integer('station_quota')
	},
	(t) => [
		index('regions_parent_idx').on(t.parentCode),
		check('regions_code_digits', sql`${t.code} ~ '^[0-9]{2,12}$'`),
		check('regions_quota_nonneg', sql`${t.stationQuota} is null or ${t.stationQuota} >= 0`),
		...latLngChecks('regions', t.lat, t.lng)
	]
);

export const organisations = pgTable(
	'organisations',
	{
		id: serial('id').primaryKey(),
		name: text('name').notNull(),
		kind: organisationKind('kind').notNull(),
		regionCode: text('region_code').references(() => regions.code),
		contactPhone: text('contact_phone'),
		createdAt: created()
	},
	(t) => [index('organisations_kind_idx').on(t.kind)]
);

export const stations = pgTable(
	'stations',
	{
		id: serial('id').primaryKey(),
		name: text('name').notNull(),
		kind: stationKind('kind').notNull(),
		leadOrganisationId: integer('lead_organisation_id')
			.notNull()
			.references(() => organisations.id),
		regionCode: text('region_code')
			.notNull()
			.references(() => regions.code),
		address: text('address').notNull().default(''),
		lat: doublePrecision('lat').notNull(),
		lng: doublePrecision('lng').notNull(),
		/** Walking 15 minutes ≈ 1.2 km. */
		radiusM: integer('radius_m').notNull().default(1200),
		capacity: integer('capacity').notNull(),
		/** People on site now; moved only by visits, in the same transaction. */
		occupancy: integer('occupancy').notNull().default(0),
		openingHours: text('opening_hours').notNull().default('09:00-17:30'),
		services: serviceKind('services').array().notNull().default(sql`'{}'`),
		facilities: text('facilities').array().notNull().default(sql`'{}'`),
		state: stationState('state').notNull().default('open'),
		/** Last check-in, check-out or state change, bumped in the same transaction: "open but silent" alerts read it. */
		lastActivityAt: ts('last_activity_at').notNull().defaultNow(),
		createdAt: created(),
		updatedAt: ts('updated_at').notNull().defaultNow()
	},
	(t) => [
		index('stations_region_idx').on(t.regionCode),
		index('stations_lat_lng_idx').on(t.lat, t.lng),
		check('stations_capacity_positive', sql`${t.capacity} > 0`),
		check('stations_occupancy_nonneg', sql`${t.occupancy} >= 0`),
		check('stations_radius_range', sql`${t.radiusM} between 100 and 20000`),
		...latLngChecks('stations', t.lat, t.lng)
	]
);

// ── people ───────────────────────────────────────────────────────────────────────────────────────────
/** Name and phone are personal data: null once consent is withdrawn; never in events or logs. */
export const seekers = pgTable(
	'seekers',
	{
		id: serial('id').primaryKey(),
		name: text('name'),
		phone: text('phone'),
		keyGroups: keyGroup('key_groups').array().notNull().default(sql`'{}'`),
		skills: text('skills').array().notNull().default(sql`'{}'`),
		wantedCategories: text('wanted_categories').array().notNull().default(sql`'{}'`),
		homeLat: doublePrecision('home_lat'),
		homeLng: doublePrecision('home_lng'),
		radiusM: integer('radius_m').notNull().default(3000),
		/** Days of the week (0 = Sunday) the seeker can take odd jobs. */
		oddJobDays: integer('odd_job_days').array().notNull().default(sql`'{}'`),
		consentAt: ts('consent_at'),
		consentWithdrawnAt: ts('consent_withdrawn_at'),
		registeredAtStationId: integer('registered_at_station_id').references(() => stations.id),
		createdAt: created()
	},
	(t) => [
		uniqueIndex('seekers_phone_unique').on(t.phone),
		check('seekers_home_lat_range', sql`${t.homeLat} is null or ${t.homeLat} between -90 and 90`),
		check('seekers_home_lng_range', sql`${t.homeLng} is null or ${t.homeLng} between -180 and 180`),
		check('seekers_personal_needs_consent', sql`${t.phone} is null or ${t.consentAt} is not null`)
	]
);

export const users = pgTable(
	'users',
	{
		id: serial('id').primaryKey(),
		username: text('username').notNull(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: userRole('role').notNull(),
		regionCode: text('region_code').references(() => regions.code),
		stationId: integer('station_id').references(() => stations.id),
		organisationId: integer('organisation_id').references(() => organisations.id),
		seekerId: integer('seeker_id').references(() => seekers.id),
		locale: text('locale'),
		disabledAt: ts('disabled_at'),
		createdAt: created()
	},
	(t) => [
		uniqueIndex('users_username_unique').on(t.username),
		// Each role carries exactly the scope it is checked against.
		check(
			'users_role_scope',
			sql`(${t.role} <> 'supervisor' or ${t.regionCode} is not null)
			and (${t.role} <> 'staff' or ${t.stationId} is not null)
			and (${t.role} <> 'employer' or ${t.organisationId} is not null)
			and (${t.role} <> 'seeker' or ${t.seekerId} is not null)`
		)
	]
);

/** Only the SHA-256 of the cookie token is stored; a leaked table does not sign anybody in. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: ts('expires_at').notNull(),
		createdAt: created()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

// ── station work ─────────────────────────────────────────────────────────────────────────────────────
export const visits = pgTable(
	'visits',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		stationId: integer('station_id')
			.notNull()
			.references(() => stations.id),
		keyGroup: keyGroup('key_group'),
		seekerId: integer('seeker_id').references(() => seekers.id),
		/** Idempotency: a double-tapped check-in carries the same key. */
		clientKey: text('client_key').notNull(),
		checkedInAt: ts('checked_in_at').notNull().defaultNow(),
		checkedOutAt: ts('checked_out_at'),
		/** Idempotency of the check-out tap ("check out the next person" must not close two visits). */
		checkOutKey: text('check_out_key'),
		overCapacity: boolean('over_capacity').notNull().default(false)
	},
	(t) => [
		uniqueIndex('visits_station_client_key_unique').on(t.stationId, t.clientKey),
		uniqueIndex('visits_station_check_out_key_unique').on(t.stationId, t.checkOutKey),
		index('visits_open_idx').on(t.stationId, t.checkedInAt).where(sql`${t.checkedOutAt} is null`),
		index('visits_station_day_idx').on(t.stationId, t.checkedInAt)
	]
);

export const serviceRecords = pgTable(
	'service_records',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		stationId: integer('station_id')
			.notNull()
			.references(() => stations.id),
		kind: serviceKind('kind').notNull(),
		seekerId: integer('seeker_id').references(() => seekers.id),
		staffUserId: integer('staff_user_id').references(() => users.id),
		note: text('note').notNull().default(''),
		clientKey: text('client_key').notNull(),
		at: ts('at').notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('service_records_client_key_unique').on(t.stationId, t.clientKey),
		index('service_records_station_at_idx').on(t.stationId, t.at)
	]
);

export const positions = pgTable(
	'positions',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		title: text('title').notNull(),
		category: text('category').notNull(),
		kind: positionKind('kind').notNull(),
		description: text('description').notNull().default(''),
		payMin: integer('pay_min').notNull(),
		payMax: integer('pay_max').notNull(),
		payUnit: payUnit('pay_unit').notNull(),
		headcount: integer('headcount').notNull(),
		filledCount: integer('filled_count').notNull().default(0),
		employerOrganisationId: integer('employer_organisation_id').references(() => organisations.id),
		/** The station that collected the position (walk-in employer, odd job board), if any. */
		stationId: integer('station_id').references(() => stations.id),
		postedByUserId: integer('posted_by_user_id').references(() => users.id),
		regionCode: text('region_code')
			.notNull()
			.references(() => regions.code),
		address: text('address').notNull().default(''),
		lat: doublePrecision('lat').notNull(),
		lng: doublePrecision('lng').notNull(),
		/** Odd jobs: the work window (date and hours). Others: optional start. */
		startsAt: ts('starts_at'),
		endsAt: ts('ends_at'),
		state: positionState('state').notNull().default('draft'),
		reviewNote: text('review_note'),
		submittedAt: ts('submitted_at'),
		publishedAt: ts('published_at'),
		closedAt: ts('closed_at'),
		/** After this moment an open position is expired by the sweeper. */
		expiresAt: ts('expires_at'),
		/** The employer's own reference (its HR system's or the provincial platform's id): the key of an API upsert. */
		externalRef: text('external_ref'),
		createdAt: created(),
		updatedAt: ts('updated_at').notNull().defaultNow()
	},
	(t) => [
		// One position per reference within an employer organisation; positions without one are not keyed.
		uniqueIndex('positions_employer_external_ref_idx').on(t.employerOrganisationId, t.externalRef).where(sql`${t.externalRef} is not null`),
		index('positions_open_geo_idx').on(t.lat, t.lng).where(sql`${t.state} = 'open'`),
		index('positions_state_published_idx').on(t.state, t.publishedAt, t.id),
		index('positions_employer_idx').on(t.employerOrganisationId, t.state),
		index('positions_station_idx').on(t.stationId, t.state),
		index('positions_expiry_idx').on(t.expiresAt).where(sql`${t.state} = 'open'`),
		// Words in the title (ILIKE '%…%'): trigrams find a rare word without reading every open position.
		// Needs the pg_trgm extension (the migration creates it; the PGlite driver loads it).
		index('positions_open_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')).where(sql`${t.state} = 'open'`),
		check('positions_pay_nonneg', sql`${t.payMin} >= 0`),
		check('positions_pay_range', sql`${t.payMax} >= ${t.payMin}`),
		check('positions_headcount_range', sql`${t.headcount} between 1 and 10000`),
		check('positions_filled_range', sql`${t.filledCount} between 0 and ${t.headcount}`),
		check('positions_window_order', sql`${t.endsAt} is null or ${t.startsAt} is null or ${t.endsAt} > ${t.startsAt}`),
		check(
			'positions_odd_job_window',
			sql`${t.kind} <> 'odd_job' or (${t.startsAt} is not null and ${t.endsAt} is not null)`
		),
		check('positions_has_owner', sql`${t.employerOrganisationId} is not null or ${t.stationId} is not null`),
		...latLngChecks('positions', t.lat, t.lng)
	]
);

export const applications = pgTable(
	'applications',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		seekerId: integer('seeker_id')
			.notNull()
			.references(() => seekers.id),
		positionId: bigint('position_id', { mode: 'number' })
			.notNull()
			.references(() => positions.id),
		channel: applicationChannel('channel').notNull(),
		/** Where exactly: `display:12`, `room:5`, `fair:3` … */
		source: text('source'),
		status: applicationStatus('status').notNull().default('applied'),
		clientKey: text('client_key').notNull(),
		createdAt: created(),
		updatedAt: ts('updated_at').notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('applications_seeker_position_unique').on(t.seekerId, t.positionId),
		uniqueIndex('applications_seeker_client_key_unique').on(t.seekerId, t.clientKey),
		index('applications_position_idx').on(t.positionId, t.createdAt),
		index('applications_created_idx').on(t.createdAt)
	]
);

// ── job fairs ────────────────────────────────────────────────────────────────────────────────────────
export const jobFairs = pgTable(
	'job_fairs',
	{
		id: serial('id').primaryKey(),
		stationId: integer('station_id')
			.notNull()
			.references(() => stations.id),
		title: text('title').notNull(),
		startsAt: ts('starts_at').notNull(),
		endsAt: ts('ends_at').notNull(),
		state: fairState('state').notNull().default('scheduled'),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: created()
	},
	(t) => [
		index('job_fairs_station_idx').on(t.stationId, t.startsAt),
		check('job_fairs_window_order', sql`${t.endsAt} > ${t.startsAt}`)
	]
);

export const fairBooths = pgTable(
	'fair_booths',
	{
		id: serial('id').primaryKey(),
		fairId: integer('fair_id')
			.notNull()
			.references(() => jobFairs.id, { onDelete: 'cascade' }),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		label: text('label').notNull()
	},
	(t) => [uniqueIndex('fair_booths_org_unique').on(t.fairId, t.organisationId)]
);

export const fairBoothPositions = pgTable(
	'fair_booth_positions',
	{
		boothId: integer('booth_id')
			.notNull()
			.references(() => fairBooths.id, { onDelete: 'cascade' }),
		positionId: bigint('position_id', { mode: 'number' })
			.notNull()
			.references(() => positions.id)
	},
	(t) => [primaryKey({ columns: [t.boothId, t.positionId] })]
);

export const fairSignIns = pgTable(
	'fair_sign_ins',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		fairId: integer('fair_id')
			.notNull()
			.references(() => jobFairs.id, { onDelete: 'cascade' }),
		seekerId: integer('seeker_id')
			.notNull()
			.references(() => seekers.id),
		at: ts('at').notNull().defaultNow()
	},
	(t) => [uniqueIndex('fair_sign_ins_unique').on(t.fairId, t.seekerId)]
);

// ── live recruiting rooms ────────────────────────────────────────────────────────────────────────────
export const liveRooms = pgTable(
	'live_rooms',
	{
		id: serial('id').primaryKey(),
		title: text('title').notNull(),
		hostOrganisationId: integer('host_organisation_id')
			.notNull()
			.references(() => organisations.id),
		stationId: integer('station_id').references(() => stations.id),
		scheduledAt: ts('scheduled_at').notNull(),
		startedAt: ts('started_at'),
		endedAt: ts('ended_at'),
		state: roomState('state').notNull().default('scheduled'),
		videoKind: videoKind('video_kind').notNull().default('none'),
		videoUrl: text('video_url'),
		pinnedPositionId: bigint('pinned_position_id', { mode: 'number' }).references(() => positions.id),
		peakViewers: integer('peak_viewers').notNull().default(0),
		/** Viewers × seconds while live, summed over every process's samples: average = this / live seconds. */
		viewerSeconds: bigint('viewer_seconds', { mode: 'number' }).notNull().default(0),
		/** Slow mode: the least seconds between two messages of one viewer (0 = off). */
		slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: created()
	},
	(t) => [
		index('live_rooms_state_idx').on(t.state, t.scheduledAt),
		check('live_rooms_slow_mode_range', sql`${t.slowModeSeconds} between 0 and 600`)
	]
);

export const liveRoomPositions = pgTable(
	'live_room_positions',
	{
		roomId: integer('room_id')
			.notNull()
			.references(() => liveRooms.id, { onDelete: 'cascade' }),
		positionId: bigint('position_id', { mode: 'number' })
			.notNull()
			.references(() => positions.id),
		sortOrder: integer('sort_order').notNull()
	},
	(t) => [primaryKey({ columns: [t.roomId, t.positionId] })]
);

export const chatMessages = pgTable(
	'chat_messages',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		roomId: integer('room_id')
			.notNull()
			.references(() => liveRooms.id, { onDelete: 'cascade' }),
		authorUserId: integer('author_user_id')
			.notNull()
			.references(() => users.id),
		/** Masked display name captured when written; chat never carries personal data. */
		authorLabel: text('author_label').notNull(),
		kind: chatKind('kind').notNull().default('chat'),
		body: text('body').notNull(),
		clientKey: text('client_key').notNull(),
		answeredAt: ts('answered_at'),
		hiddenAt: ts('hidden_at'),
		createdAt: created()
	},
	(t) => [
		uniqueIndex('chat_messages_client_key_unique').on(t.roomId, t.authorUserId, t.clientKey),
		index('chat_messages_room_idx').on(t.roomId, t.id),
		check('chat_messages_body_length', sql`char_length(${t.body}) between 1 and 500`)
	]
);

export const roomMutes = pgTable(
	'room_mutes',
	{
		roomId: integer('room_id')
			.notNull()
			.references(() => liveRooms.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		until: ts('until').notNull()
	},
	(t) => [primaryKey({ columns: [t.roomId, t.userId] })]
);

// ── wall displays ────────────────────────────────────────────────────────────────────────────────────
export const displays = pgTable(
	'displays',
	{
		id: serial('id').primaryKey(),
		stationId: integer('station_id')
			.notNull()
			.references(() => stations.id),
		label: text('label').notNull(),
		/** SHA-256 of the device token; the token itself is shown once. */
		tokenHash: text('token_hash').notNull(),
		bilingual: boolean('bilingual').notNull().default(false),
		lastHeartbeatAt: ts('last_heartbeat_at'),
		revokedAt: ts('revoked_at'),
		createdAt: created()
	},
	(t) => [uniqueIndex('displays_token_hash_unique').on(t.tokenHash), index('displays_station_idx').on(t.stationId)]
);

// ── supervisor alerts ────────────────────────────────────────────────────────────────────────────────
/**
 * Raised and cleared by the alert engine (server/alerts), acknowledged by supervisors. `subject` names what
 * the alert is about (`station:12`, `display:3`, `region:440106`, `position:99`); at most one open alert per
 * kind and subject, enforced by the partial unique index so several processes running the engine cannot
 * raise it twice. `title` and `detail` are non-personal labels and figures, copied when raised.
 */
export const alerts = pgTable(
	'alerts',
	{
		id: serial('id').primaryKey(),
		kind: alertKind('kind').notNull(),
		subject: text('subject').notNull(),
		/** The region the alert belongs to (the station's, the display's station's, the county, the position's). */
		regionCode: text('region_code')
			.notNull()
			.references(() => regions.code),
		stationId: integer('station_id').references(() => stations.id),
		title: text('title').notNull(),
		detail: jsonb('detail').$type<Record<string, number | string>>().notNull().default({}),
		raisedAt: ts('raised_at').notNull().defaultNow(),
		clearedAt: ts('cleared_at'),
		acknowledgedAt: ts('acknowledged_at'),
		acknowledgedByUserId: integer('acknowledged_by_user_id').references(() => users.id)
	},
	(t) => [
		uniqueIndex('alerts_open_subject_unique').on(t.kind, t.subject).where(sql`${t.clearedAt} is null`),
		// Open alerts of a region prefix (`like '4401%'`), newest first: the snapshot and the list read this.
		index('alerts_open_region_idx').on(t.regionCode.op('text_pattern_ops'), t.raisedAt).where(sql`${t.clearedAt} is null`),
		check('alerts_ack_pair', sql`(${t.acknowledgedAt} is null) = (${t.acknowledgedByUserId} is null)`)
	]
);

// ── the event log ────────────────────────────────────────────────────────────────────────────────────
/**
 * Append-only. Rows are appended under one advisory lock held to commit (see events/write.ts), so ids are
 * handed out in commit order and "every id below a visible id is settled" holds: the relay and clients can
 * resume by a plain id cursor. `topics` lists every socket.io room the event is published to, including
 * `region:<prefix>` for each ancestor region, so replay for any subscription is one indexed predicate.
 * Payloads never carry personal data.
 */
export const events = pgTable(
	'events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		topics: text('topics').array().notNull(),
		type: text('type').notNull(),
		payload: jsonb('payload').notNull(),
		at: ts('at').notNull().defaultNow()
	},
	(t) => [index('events_topics_idx').using('gin', t.topics), index('events_at_idx').on(t.at)]
);

// ── platform exchange ────────────────────────────────────────────────────────────────────────────────
/**
 * Per-organisation API tokens for /api/v1 (the provincial employment platform and employers' own systems).
 * Only the SHA-256 of the token is kept; the token itself is shown once when created. A revoked token stays
 * for the record (who created it, when it was last used) but no longer authenticates.
 */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: serial('id').primaryKey(),
		organisationId: integer('organisation_id')
			.notNull()
			.references(() => organisations.id),
		label: text('label').notNull(),
		tokenHash: text('token_hash').notNull(),
		createdBy: integer('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: created(),
		lastUsedAt: ts('last_used_at'),
		revokedAt: ts('revoked_at')
	},
	(t) => [uniqueIndex('api_tokens_token_hash_unique').on(t.tokenHash), index('api_tokens_organisation_idx').on(t.organisationId)]
);

// ── the app's own processes ──────────────────────────────────────────────────────────────────────────
/**
 * One row per running app process, rewritten by its heartbeat every few seconds (the database's clock, so
 * hosts need not agree on the time): what the administrator's system-health panel shows. A process that
 * stops cleanly removes its row; one that died stays, with its last heartbeat, until the pruning sweep.
 * Operational state, not domain state: never in the event log.
 */
export const appProcesses = pgTable('app_processes', {
	/** host:pid:random — also the `process` label of /metrics. */
	id: text('id').primaryKey(),
	host: text('host').notNull(),
	pid: integer('pid').notNull(),
	/** Its place in APP_PROCESSES (1…N, kept across restarts); null for a standalone process. */
	worker: integer('worker'),
	startedAt: ts('started_at').notNull(),
	seenAt: ts('seen_at').notNull().defaultNow(),
	relayCursor: bigint('relay_cursor', { mode: 'number' }).notNull(),
	/** Events in the log its relay had not emitted yet, at the heartbeat (null: the log was unreadable). */
	relayBehind: integer('relay_behind'),
	/** How long the oldest of them had waited. */
	relayLagMs: integer('relay_lag_ms'),
	sockets: integer('sockets').notNull().default(0),
	/** The socket.io adapter's broker: `off` (no REDIS_URL), `up` or `down`. */
	broker: text('broker', { enum: ['off', 'up', 'down'] }).notNull(),
	/** Whether this process holds the background duties (demo traffic, sweeps). */
	duties: boolean('duties').notNull().default(false)
});
