/** Enum values from the schema, in the reader's language: one place per vocabulary. */
import { m } from '$lib/paraglide/messages';

export const stationKindLabel = {
	community: m.station_kind_community,
	industrial_park: m.station_kind_industrial_park,
	transport_hub: m.station_kind_transport_hub,
	mobile: m.station_kind_mobile,
	online: m.station_kind_online,
	odd_job: m.station_kind_odd_job,
	outdoor_worker: m.station_kind_outdoor_worker
} as const;

export const stationStateLabel = { open: m.station_state_open, closed: m.station_state_closed, offline: m.station_state_offline } as const;

export const positionStateLabel = {
	draft: m.position_state_draft,
	pending_review: m.position_state_pending_review,
	open: m.position_state_open,
	filled: m.position_state_filled,
	closed: m.position_state_closed,
	expired: m.position_state_expired
} as const;

export const positionKindLabel = {
	full_time: m.position_kind_full_time,
	part_time: m.position_kind_part_time,
	odd_job: m.position_kind_odd_job,
	internship: m.position_kind_internship,
	public_welfare: m.position_kind_public_welfare
} as const;

export const applicationStatusLabel = {
	applied: m.application_status_applied,
	contacted: m.application_status_contacted,
	interview: m.application_status_interview,
	hired: m.application_status_hired,
	rejected: m.application_status_rejected,
	withdrawn: m.application_status_withdrawn
} as const;

export const roleLabel = { admin: m.role_admin, supervisor: m.role_supervisor, staff: m.role_staff, employer: m.role_employer, seeker: m.role_seeker } as const;

const payLabel = { hour: m.pay_hour, day: m.pay_day, month: m.pay_month, piece: m.pay_piece } as const;

export function payRange(p: { payMin: number; payMax: number; payUnit: keyof typeof payLabel }) {
	return payLabel[p.payUnit]({ min: p.payMin, max: p.payMax });
}

export const serviceKindLabel = {
	policy_consultation: m.service_kind_policy_consultation,
	job_registration: m.service_kind_job_registration,
	career_guidance: m.service_kind_career_guidance,
	job_recommendation: m.service_kind_job_recommendation,
	training_registration: m.service_kind_training_registration,
	legal_consultation: m.service_kind_legal_consultation,
	labour_rights_help: m.service_kind_labour_rights_help
} as const;

/** `none`: a visit nobody tagged. */
export const keyGroupLabel = {
	college_graduate: m.key_group_college_graduate,
	employment_difficulty: m.key_group_employment_difficulty,
	migrant_worker: m.key_group_migrant_worker,
	flexible_worker: m.key_group_flexible_worker,
	veteran: m.key_group_veteran,
	disabled: m.key_group_disabled,
	none: m.key_group_none
} as const;

export const applicationChannelLabel = {
	live_room: m.channel_live_room,
	display_qr: m.channel_display_qr,
	counter: m.channel_counter,
	web: m.channel_web,
	fair: m.channel_fair
} as const;

export const alertKindLabel = {
	station_full: m.alerts_kind_station_full,
	station_silent: m.alerts_kind_station_silent,
	display_offline: m.alerts_kind_display_offline,
	county_below_quota: m.alerts_kind_county_below_quota,
	review_overdue: m.alerts_kind_review_overdue
} as const;

export const alertSeverityLabel = { bad: m.alerts_severity_bad, warn: m.alerts_severity_warn } as const;

export const fairStateLabel = { scheduled: m.fair_state_scheduled, open: m.fair_state_open, ended: m.fair_state_ended } as const;

export const roomStateLabel = { scheduled: m.room_state_scheduled, live: m.room_state_live, ended: m.room_state_ended } as const;
