import pino from 'pino';
import { maskPhone } from '$lib/privacy';
import { config } from './config';

/** A mainland mobile number standing alone (not part of a longer run of digits such as a timestamp). */
const PHONE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;

/**
 * Structured JSON logs. Personal data (names, phones) is never logged: log ids, not people. Fields that carry
 * it by name are redacted; and because an error can quote a value anyway (a database error's `detail` says
 * "Key (phone)=(13800138000) already exists"), every finished line has mobile numbers masked before it is written.
 */
export function createLog(destination?: pino.DestinationStream) {
	const options: pino.LoggerOptions = {
		level: config.logLevel,
		base: { app: 'jobcircle', pid: process.pid },
		redact: { paths: ['*.phone', '*.name', '*.password', 'phone', 'password', 'token'], censor: '[redacted]' },
		hooks: { streamWrite: (line) => line.replace(PHONE, (p) => maskPhone(p)) }
	};
	return destination ? pino(options, destination) : pino(options);
}

export const log = createLog();

export type Logger = typeof log;
