/**
 * Services throw ServiceError with a status-like code; a page turns that into SvelteKit's `error()`
 * so the visitor sees the translated error page (403, 404, 503 …) instead of a 500.
 */
import { error, fail, json } from '@sveltejs/kit';
import { type ServiceError, asServiceError } from '../errors';

/** `Retry-After` for a rate-limited answer (RFC 9110: seconds). */
export const retryAfterHeader = (e: ServiceError): Record<string, string> => (e.retryAfter !== undefined ? { 'retry-after': String(e.retryAfter) } : {});

export async function orHttpError<T>(work: Promise<T>): Promise<T> {
	try {
		return await work;
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		error(e.status, { message: e.message, reason: e.reason });
	}
}

/** For JSON endpoints: the service's answer as JSON, or its error as a JSON body with the matching status. */
export async function jsonOrError<T>(work: () => Promise<T>, init: ResponseInit = {}): Promise<Response> {
	try {
		return json(await work(), init);
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		const headers = new Headers(init.headers);
		for (const [k, v] of Object.entries(retryAfterHeader(e))) headers.set(k, v);
		return json(e.toBody(), { status: e.status, headers });
	}
}

/**
 * The form of a form action. A body that is not what its Content-Type says (a broken multipart upload,
 * `text/plain` from a script) makes `request.formData()` throw, which SvelteKit would answer with a 500:
 * it is the client's 400.
 */
export async function formOf(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch {
		error(400, { message: 'The form could not be read', reason: 'form_unreadable' });
	}
}

/** For form actions: the service's answer, or `fail()` with its status, reason and the fields at fault. */
export async function actionOrFail<T>(work: () => Promise<T>) {
	try {
		return await work();
	} catch (cause) {
		const e = asServiceError(cause);
		if (!e) throw cause;
		return fail(e.status, { reason: e.reason, fields: e.fields ?? {}, ...(e.retryAfter !== undefined ? { retryAfter: e.retryAfter } : {}) });
	}
}
