import pino from 'pino';
import { config } from './config';

/** Structured JSON logs. Personal data (names, phones) is never logged: log ids, not people. */
export const log = pino({
	level: config.logLevel,
	base: { app: 'jobcircle', pid: process.pid },
	redact: { paths: ['*.phone', '*.name', '*.password', 'phone', 'password', 'token'], censor: '[redacted]' }
});

export type Logger = typeof log;
