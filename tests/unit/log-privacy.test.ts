/** The app's logger never writes a mobile number, whether a field names it or an error quotes it. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/lib/server/log';

function capture() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _encoding, done) {
			lines.push(String(chunk));
			done();
		}
	});
	return { lines, log: createLog(stream) };
}

describe('log privacy', () => {
	it('redacts named fields and masks numbers quoted anywhere else', () => {
		const { lines, log } = capture();
		const err = Object.assign(new Error('duplicate key value violates unique constraint "seekers_phone_unique"'), { detail: 'Key (phone)=(13800138000) already exists.' });
		log.warn({ err, seeker: { phone: '13912345678', name: '王小明' }, note: 'call 15800006666 back' }, 'register 18800007777 failed');
		const out = lines.join('');
		expect(out).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
		expect(out).toContain('138****8000');
		expect(out).toContain('188****7777');
		expect(out).toContain('[redacted]');
		expect(out).not.toContain('王小明');
	});

	it('leaves longer runs of digits alone (timestamps, ids)', () => {
		const { lines, log } = capture();
		log.warn({ at: 1796220518731, ref: 'ext-13800138000123' }, 'tick');
		expect(lines.join('')).toContain('1796220518731');
		expect(lines.join('')).toContain('13800138000123');
	});
});
