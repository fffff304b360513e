/**
 * Quick registration of a seeker by phone, from the apply button (a position page, a live room): the person
 * gives a name, a phone, a password and consent, and is signed in at once. The phone is the user name.
 *
 * A phone already known (an account, or a person registered at a station) is refused: taking over a record
 * by knowing a phone number would show that person's applications to whoever typed it. Such a person signs
 * in, or has the station open an account. There is no SMS gateway here; a deployment with one would verify
 * the phone before this call.
 */
import { z } from 'zod';
import { topic } from '$lib/realtime/topics';
import type { AppContext } from '../context';
import { seekers, users } from '../db/schema';
import { conflict, isUniqueViolation } from '../errors';
import { write } from '../events/write';
import { parse, phone, requiredText } from '../validation';
import { hashPassword, openSession, sessionUser } from './auth';

const registerInput = z.object({
	name: requiredText(40),
	phone,
	password: z.string().min(8, 'password_short').max(256, 'too_long'),
	consent: z.literal(true, { error: 'consent_required' })
});

export async function registerSeekerAccount(ctx: AppContext, input: unknown) {
	const data = parse(registerInput, input);
	const passwordHash = await hashPassword(data.password);
	let userId: number;
	try {
		userId = await write(ctx, async (tx, publish) => {
			const [seeker] = await tx.insert(seekers).values({ name: data.name, phone: data.phone, consentAt: ctx.now() }).returning({ id: seekers.id });
			const [user] = await tx
				.insert(users)
				.values({ username: data.phone, displayName: data.name, passwordHash, role: 'seeker', seekerId: seeker.id })
				.returning({ id: users.id });
			publish({ type: 'seeker.registered', topics: [topic.seeker(seeker.id)], payload: { seekerId: seeker.id, stationId: null, keyGroups: [] } });
			return user.id;
		});
	} catch (error) {
		// Either unique key (the seeker's phone, the user name) means the phone is known already.
		if (isUniqueViolation(error)) throw conflict('phone_taken', 'This phone number is already registered', { phone: 'phone_taken' });
		throw error;
	}
	const session = await openSession(ctx, userId);
	return { ...session, user: await sessionUser(ctx, userId) };
}
