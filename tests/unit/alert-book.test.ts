/**
 * AlertBook without a server: snapshots and the three alert events, applied in any repetition, keep one
 * entry per open alert, newest first, bounded.
 */
import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../src/lib/alerts';
import type { LiveEvent } from '../../src/lib/realtime/protocol';
import { ALERT_BOOK_LIMIT, AlertBook } from '../../src/lib/realtime/stores/alerts.svelte';

const at = (minute: number) => new Date(Date.UTC(2025, 4, 1, 8, minute)).toISOString();
const alert = (id: number, minute: number, over: Partial<AlertView> = {}): AlertView => ({
	id,
	kind: 'station_full',
	subject: `station:${id}`,
	regionCode: '440106001001',
	stationId: id,
	title: `驿站 ${id}`,
	detail: { occupancy: 20, capacity: 20 },
	raisedAt: at(minute),
	acknowledgedAt: null,
	acknowledgedBy: null,
	...over
});
let nextId = 1;
const event = (type: string, payload: object): LiveEvent => ({ id: nextId++, type, topics: ['region:4401'], payload: payload as Record<string, unknown>, at: '', prev: {} });
const raised = (a: AlertView) => event('alert.raised', a);
const cleared = (alertId: number) => event('alert.cleared', { alertId });
const acked = (alertId: number, by = '天河督导', when = at(30)) => event('alert.acknowledged', { alertId, acknowledgedAt: when, acknowledgedBy: by });
const ids = (book: AlertBook) => book.alerts.map((a) => a.id);

describe('AlertBook', () => {
	it('loads a snapshot newest first and replaces it on the next one', () => {
		const book = new AlertBook();
		book.load([alert(1, 1), alert(3, 3), alert(2, 2)]);
		expect(ids(book)).toEqual([3, 2, 1]);
		book.load([alert(4, 4)]);
		expect(ids(book)).toEqual([4]);
	});

	it('applies raised, cleared and acknowledged, and ignores repeats', () => {
		const book = new AlertBook();
		book.load([alert(1, 1)]);
		expect(book.apply(raised(alert(2, 2)))).toBe(true);
		expect(book.apply(raised(alert(2, 2)))).toBe(true);
		expect(book.apply(raised(alert(1, 1)))).toBe(true);
		expect(ids(book)).toEqual([2, 1]);

		expect(book.apply(acked(1))).toBe(true);
		expect(book.alerts.find((a) => a.id === 1)).toMatchObject({ acknowledgedBy: '天河督导', acknowledgedAt: at(30) });
		// A later, different acknowledgement of the same alert does not overwrite the first.
		book.apply(acked(1, '广州督导', at(40)));
		expect(book.alerts.find((a) => a.id === 1)).toMatchObject({ acknowledgedBy: '天河督导', acknowledgedAt: at(30) });

		expect(book.apply(cleared(2))).toBe(true);
		expect(book.apply(cleared(2))).toBe(true);
		expect(book.apply(cleared(99))).toBe(true);
		expect(book.apply(acked(99))).toBe(true);
		expect(ids(book)).toEqual([1]);
	});

	it('leaves other events to other stores', () => {
		const book = new AlertBook();
		book.load([alert(1, 1)]);
		const before = book.alerts;
		expect(book.apply(event('visit.checked_in', { stationId: 1, occupancy: 3 }))).toBe(false);
		expect(book.apply(event('alerts.whatever', { alertId: 1 }))).toBe(false);
		expect(book.alerts).toBe(before);
	});

	it('keeps the newest ALERT_BOOK_LIMIT', () => {
		const book = new AlertBook();
		book.load(Array.from({ length: ALERT_BOOK_LIMIT }, (_, i) => alert(i + 1, i % 60, { raisedAt: new Date(Date.UTC(2025, 4, 1, 8, 0, i)).toISOString() })));
		book.apply(raised(alert(1000, 59)));
		expect(book.alerts).toHaveLength(ALERT_BOOK_LIMIT);
		expect(book.alerts[0].id).toBe(1000);
		expect(ids(book)).not.toContain(1); // the oldest went
		// An alert older than everything kept does not push a newer one out.
		book.apply(raised(alert(1001, 0, { raisedAt: at(-600) })));
		expect(ids(book)).not.toContain(1001);
	});

	it('per-region snapshots replace only their region; the same alert through two regions is kept once', () => {
		const book = new AlertBook();
		const gz = book.forRegion('4401');
		const sz = book.forRegion('4403');
		gz.snapshot({ stations: [], alerts: [alert(1, 1), alert(2, 2)] });
		sz.snapshot({ stations: [], alerts: [alert(3, 3, { regionCode: '440305' })] });
		expect(ids(book)).toEqual([3, 2, 1]);
		gz.snapshot({ stations: [], alerts: [alert(2, 2)] });
		expect(ids(book)).toEqual([3, 2]);
		// A county topic inside the city carries the same alert again.
		book.forRegion('440106').snapshot({ stations: [], alerts: [alert(2, 2)] });
		expect(ids(book)).toEqual([3, 2]);
		expect(gz.event(raised(alert(3, 3, { regionCode: '440305' })))).toBe(true);
		expect(ids(book)).toEqual([3, 2]);
		sz.snapshot(null);
		expect(ids(book)).toEqual([2]);
	});

	it('applies a command answer at once', () => {
		const book = new AlertBook();
		book.load([alert(1, 1)]);
		book.acknowledged({ ...alert(1, 1), acknowledgedAt: at(5), acknowledgedBy: '督导甲' });
		expect(book.alerts[0]).toMatchObject({ acknowledgedAt: at(5), acknowledgedBy: '督导甲' });
	});
});
