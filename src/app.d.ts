import type { Actor } from '$lib/server/actor';
import type { SessionUser } from '$lib/server/services/auth';

declare global {
	namespace App {
		interface Error {
			message: string;
			reason?: string;
		}
		interface Locals {
			actor: Actor;
			user: SessionUser | null;
			sessionId: string | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
