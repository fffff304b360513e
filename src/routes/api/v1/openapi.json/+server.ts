import { json } from '@sveltejs/kit';
import { openapi } from '$lib/server/exchange/openapi';
import type { RequestHandler } from './$types';

// The description itself is public: partners read it before they have a token.
export const GET: RequestHandler = () => json(openapi);
