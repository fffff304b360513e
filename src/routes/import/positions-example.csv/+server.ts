import { getLocale } from '$lib/paraglide/runtime';
import { csvResponse } from '$lib/server/csv';
import { importExampleCsv } from '$lib/server/services/position-import';
import type { RequestHandler } from './$types';

// A template with every column the import reads, headed in the reader's language; it holds no data, so no sign-in.
export const GET: RequestHandler = () => csvResponse(importExampleCsv(getLocale()), 'positions-import-example.csv');
