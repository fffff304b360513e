/** The log scan finds mobile numbers and reported phone URLs, and leaves other digits alone. */
import { describe, expect, it } from 'vitest';
import { personalDataIn } from '../helpers/personal-data';

describe('personal data in logs', () => {
	it('finds a mobile number anywhere in a line, and reports it masked', () => {
		const found = personalDataIn(['{"level":30,"msg":"ok"}', '{"level":50,"err":{"detail":"Key (phone)=(13800138000) already exists."}}', 'plain 19912345678 text']);
		expect(found).toHaveLength(2);
		expect(found.join('\n')).not.toContain('13800138000');
		expect(found[0]).toContain('138****8000');
	});

	it('finds the warning for a phone number in a URL', () => {
		expect(personalDataIn(['{"level":40,"route":"/jobs","msg":"phone number in a URL"}'])).toHaveLength(1);
	});

	it('ignores timestamps, ids, masked numbers and numbers that are not mobiles', () => {
		expect(personalDataIn(['{"time":1796220518731,"id":12345678901,"phone":"138****8000","tel":"020-12345678","n":"12345678901"}'])).toEqual([]);
	});
});
