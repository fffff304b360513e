/** A live room's refusals (service reason keys) in the reader's words, with the moment to wait for. */
import type { ErrorBody } from '$lib/realtime/protocol';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatServiceTime } from '$lib/time';

export function roomErrorText(error: Pick<ErrorBody, 'reason' | 'fields' | 'retryAfter'>): string {
	const until = error.fields?.until;
	const time = until ? formatServiceTime(until, getLocale()) : '';
	switch (error.reason) {
		case 'muted':
			return m.room_error_muted({ time });
		case 'slow_mode':
			return m.room_error_slow_mode({ time });
		case 'room_not_live':
			return m.room_error_not_live();
		case 'sign_in_to_chat':
		case 'sign_in_to_apply':
			return m.room_error_sign_in();
		case 'position_not_open':
			return m.room_error_not_open();
		case 'room_not_started':
			return m.room_error_not_started();
		case 'timeout':
			return m.room_error_timeout();
		case 'too_many_messages':
		case 'too_many_applications':
			return m.room_error_rate_limited({ seconds: error.retryAfter ?? 10 });
		default:
			if (error.fields?.positionId === 'not_in_room') return m.room_error_not_in_room();
			return m.room_error_generic();
	}
}

/** A fresh key for one message or one tap (letters, digits, dashes: what the services accept). */
export function newClientKey(prefix: string) {
	return `${prefix}-${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
}
