/** Zod pieces shared by the services, so the same field fails with the same message everywhere. */
import { z } from 'zod';
import { fromZod } from './errors';

export const id = z.coerce.number().int('integer').positive('positive').max(2 ** 53 - 1);
export const clientKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'client_key_format');
export const lat = z.number().min(-90, 'lat_range').max(90, 'lat_range');
export const lng = z.number().min(-180, 'lng_range').max(180, 'lng_range');
export const text = (max: number) => z.string().trim().max(max, 'too_long');
export const requiredText = (max: number) => z.string().trim().min(1, 'required').max(max, 'too_long');
/** Mainland mobile numbers: 11 digits starting 13–19. */
export const phone = z.string().trim().regex(/^1[3-9]\d{9}$/, 'phone_format');
export const date = z.coerce.date({ error: 'date' });

/**
 * The shape of a partial update: every field optional and *without* its create-time default. zod 4 applies
 * a default inside `.partial()`, so an update naming one field would otherwise reset all the others.
 */
export function patchOf<T extends z.ZodRawShape>(shape: T) {
	const stripped = Object.fromEntries(
		Object.entries(shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType])
	) as unknown as { [K in keyof T]: T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K] };
	return z.object(stripped).partial();
}

/** Parse or throw a ServiceError('invalid') naming each field at fault. */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
	const result = schema.safeParse(input);
	if (!result.success) throw fromZod(result.error);
	return result.data;
}
