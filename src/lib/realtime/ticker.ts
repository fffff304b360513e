/**
 * The supervisor's activity ticker: which events are news, and what a line says. Only public facts
 * (titles, station ids), never a person's data.
 */
import type { LiveEvent } from './protocol';

export type TickerKind = 'position_opened' | 'position_filled' | 'room_live' | 'fair_started';

export interface TickerItem {
	id: number;
	kind: TickerKind;
	title: string;
	stationId: number | null;
	at: string;
}

interface Payload {
	title?: unknown;
	state?: unknown;
	stationId?: unknown;
}

function kindOf(event: LiveEvent): TickerKind | null {
	const p = event.payload as Payload;
	switch (event.type) {
		case 'position.approved':
			return 'position_opened';
		case 'position.filled':
			return 'position_filled';
		case 'room.state_changed':
			return p.state === 'live' ? 'room_live' : null;
		case 'fair.state_changed':
			return p.state === 'open' ? 'fair_started' : null;
		default:
			return null;
	}
}

export function tickerItemOf(event: LiveEvent): TickerItem | null {
	const kind = kindOf(event);
	if (!kind) return null;
	const p = event.payload as Payload;
	return {
		id: event.id,
		kind,
		title: typeof p.title === 'string' ? p.title : '',
		stationId: typeof p.stationId === 'number' ? p.stationId : null,
		at: event.at
	};
}
