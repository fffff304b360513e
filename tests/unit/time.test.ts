import { describe, expect, it } from 'vitest';
import { formatServiceDateTime, parseServiceLocal, startOfServiceDay, toServiceLocalInput, zoneOffsetMinutes } from '../../src/lib/time';

describe('service day', () => {
	it('is the Beijing day whatever the server zone', () => {
		expect(zoneOffsetMinutes(new Date('2026-11-22T12:00:00Z'))).toBe(480);
		// 23:30 UTC on the 21st is 07:30 on the 22nd in Beijing: the day began at 16:00 UTC on the 21st.
		expect(startOfServiceDay(new Date('2026-11-21T23:30:00Z')).toISOString()).toBe('2026-11-21T16:00:00.000Z');
		expect(startOfServiceDay(new Date('2026-11-21T15:59:59Z')).toISOString()).toBe('2026-11-20T16:00:00.000Z');
	});
	it('follows other zones too', () => {
		expect(startOfServiceDay(new Date('2026-07-01T12:00:00Z'), 'UTC').toISOString()).toBe('2026-07-01T00:00:00.000Z');
	});

	it('formats instants in service time for the reader', () => {
		expect(formatServiceDateTime('2026-11-21T23:30:00Z', 'zh-CN')).toContain('07:30');
		expect(formatServiceDateTime('2026-11-21T23:30:00Z', 'en')).toContain('11/22');
	});

	it('reads a datetime-local value as service time, and writes one back', () => {
		expect(parseServiceLocal('2026-11-23T14:00').toISOString()).toBe('2026-11-23T06:00:00.000Z');
		expect(toServiceLocalInput(new Date('2026-11-23T06:00:00Z'))).toBe('2026-11-23T14:00');
		expect(Number.isNaN(parseServiceLocal('tomorrow').getTime())).toBe(true);
		expect(Number.isNaN(parseServiceLocal('').getTime())).toBe(true);
	});
});
