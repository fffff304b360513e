import pino from 'pino';
import { maskMobileNumbers } from '$lib/privacy';
import { config } from './config';

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
		hooks: { streamWrite: maskMobileNumbers }
	};
	return destination ? pino(options, destination) : pino(options);
}

export const log = createLog();

export type Logger = typeof log;
