import { ZodError } from 'zod';

export type ErrorCode =
	| 'invalid'
	| 'unauthenticated'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'rate_limited'
	| 'unavailable';

const STATUS: Record<ErrorCode, number> = {
	invalid: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	rate_limited: 429,
	unavailable: 503
};

/** What a client gets back: a stable code to translate, a reason key, and the fields at fault. */
export interface ErrorBody {
	code: ErrorCode;
	/** A stable machine key, e.g. `capacity_full`; the UI translates it. */
	reason: string;
	message: string;
	fields?: Record<string, string>;
	/** For `rate_limited`: seconds until the request may be made again (also the HTTP `Retry-After`). */
	retryAfter?: number;
}

export class ServiceError extends Error {
	constructor(
		readonly code: ErrorCode,
		readonly reason: string,
		message?: string,
		readonly fields?: Record<string, string>,
		readonly retryAfter?: number
	) {
		super(message ?? reason);
	}
	get status() {
		return STATUS[this.code];
	}
	toBody(): ErrorBody {
		return {
			code: this.code,
			reason: this.reason,
			message: this.message,
			...(this.fields ? { fields: this.fields } : {}),
			...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {})
		};
	}
}

export const forbidden = (reason = 'out_of_scope') => new ServiceError('forbidden', reason, 'Not allowed for your role or scope');
export const notFound = (what: string) => new ServiceError('not_found', `${what}_not_found`, `No such ${what}`);
export const conflict = (reason: string, message?: string, fields?: Record<string, string>) =>
	new ServiceError('conflict', reason, message, fields);
/** Too many of something too fast: try again in `seconds`. */
export const rateLimited = (reason: string, seconds: number, message = 'Too many requests; try again shortly') =>
	new ServiceError('rate_limited', reason, message, undefined, Math.max(1, Math.ceil(seconds)));
export const invalid = (fields: Record<string, string>, reason = 'invalid_input') =>
	new ServiceError('invalid', reason, `Invalid ${Object.keys(fields).join(', ')}`, fields);

export function fromZod(error: ZodError) {
	const fields: Record<string, string> = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.join('.') : '_';
		fields[key] ??= issue.message;
	}
	return invalid(fields);
}

/** PostgreSQL SQLSTATE classes that mean "the database is not there right now", not "you did wrong". */
const UNAVAILABLE_STATES = /^(08|53|57P0[1-3])/;
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/** Anything thrown in a service, as a ServiceError or (for real bugs) the original error. */
export function asServiceError(error: unknown): ServiceError | null {
	if (error instanceof ServiceError) return error;
	if (error instanceof ZodError) return fromZod(error);
	const e = error as { code?: string; cause?: { code?: string } } | null;
	const code = e?.code ?? e?.cause?.code;
	if (code && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_STATES.test(code))) {
		return new ServiceError('unavailable', 'database_unavailable', 'The database is unavailable; nothing was saved. Try again shortly.');
	}
	return null;
}

/** The SQLSTATE of a unique violation, looked up through drizzle's wrapping. */
export function isUniqueViolation(error: unknown, constraint?: string) {
	const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
	const inner = (e?.cause ?? e) as { code?: string; constraint_name?: string; constraint?: string };
	if (inner?.code !== '23505') return false;
	return !constraint || inner.constraint_name === constraint || inner.constraint === constraint;
}
