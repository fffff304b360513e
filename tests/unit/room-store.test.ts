/**
 * RoomLiveStore without a server: a snapshot replaces the room wholesale (a late joiner or a resync), events
 * apply on top — pins, queue additions, chat lines once each, hidden lines gone, counts per position.
 */
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/lib/realtime/protocol';
import { type RoomCard, RoomHostStore, RoomLiveStore } from '../../src/lib/realtime/stores/room.svelte';
import type { RoomLive } from '../../src/lib/server/services/rooms';

const card = (positionId: number, sortOrder: number): RoomCard => ({
	positionId,
	title: `岗位 ${positionId}`,
	kind: 'full_time',
	state: 'open',
	payMin: 5000,
	payMax: 7000,
	payUnit: 'month',
	headcount: 3,
	filledCount: 0,
	employer: '顺达物流',
	placeZh: '天河区',
	placeEn: 'Tianhe',
	address: '',
	startsAt: null,
	endsAt: null,
	sortOrder
});

const initial = (): RoomLive => ({
	room: { id: 7, title: '直播', state: 'live', host: '顺达物流', stationId: null, station: null, scheduledAt: '', startedAt: '', endedAt: null, videoKind: 'none', videoUrl: null, slowModeSeconds: 0, pinnedPositionId: 1 },
	queue: [card(1, 0), card(2, 1)],
	chat: [],
	applications: { 1: 3 }
});

let nextId = 100;
const ev = (type: string, payload: Record<string, unknown>): LiveEvent => ({ id: nextId++, type, topics: ['room:7'], payload, at: '', prev: {} });
const line = (id: number) => ({ id, kind: 'chat', label: '张**', host: false, body: `第 ${id} 条`, at: '2026-01-01T00:00:00Z', answered: false });

describe('RoomLiveStore', () => {
	it('pins, adds to the queue in order, counts applications per position', () => {
		const store = new RoomLiveStore(null, initial());
		expect(store.pinned?.positionId).toBe(1);
		store.apply(ev('room.queue_added', { roomId: 7, card: card(3, 2) }));
		store.apply(ev('room.pinned', { roomId: 7, positionId: 3, card: card(3, 2) }));
		expect(store.queue.map((c) => c.positionId)).toEqual([1, 2, 3]);
		expect(store.pinned?.title).toBe('岗位 3');
		store.apply(ev('application.created', { positionId: 3, source: 'room:7' }));
		store.apply(ev('application.created', { positionId: 1, source: 'room:7' }));
		expect(store.countFor(3)).toBe(1);
		expect(store.countFor(1)).toBe(4);
		expect(store.countFor(2)).toBe(0);
	});

	it('shows a chat line once, hides it for everyone, marks questions answered, follows state', () => {
		const store = new RoomLiveStore(null, initial());
		store.apply(ev('room.message_posted', { message: line(1) }));
		store.apply(ev('room.message_posted', { message: line(1) }));
		store.apply(ev('room.message_posted', { message: { ...line(2), kind: 'question' } }));
		expect(store.chat.map((m) => m.id)).toEqual([1, 2]);
		store.apply(ev('room.question_answered', { messageId: 2 }));
		expect(store.chat.find((m) => m.id === 2)?.answered).toBe(true);
		store.apply(ev('room.message_hidden', { messageId: 1 }));
		expect(store.chat.map((m) => m.id)).toEqual([2]);
		store.apply(ev('room.slow_mode_changed', { seconds: 30 }));
		store.apply(ev('room.state_changed', { state: 'ended', startedAt: 'a', endedAt: 'b' }));
		expect(store.room).toMatchObject({ state: 'ended', slowModeSeconds: 30, endedAt: 'b' });
	});
});

describe('RoomHostStore', () => {
	it('lists each applicant once, newest first, and counts the last minute', () => {
		const now = Date.parse('2026-01-01T10:00:00Z');
		const applicant = (applicationId: number, secondsAgo: number) => ({ applicationId, positionId: 1, status: 'applied', label: '张**', contact: '138****5678', at: new Date(now - secondsAgo * 1000).toISOString() });
		const store = new RoomHostStore(null, 7, { applicants: [applicant(1, 120)], mutes: [] });
		store.apply(ev('room.applicant_added', { applicant: applicant(2, 30) }));
		store.apply(ev('room.applicant_added', { applicant: applicant(2, 30) }));
		expect(store.forPosition(1).map((a) => a.applicationId)).toEqual([2, 1]);
		expect(store.perMinute(now)).toBe(1);
	});
});
