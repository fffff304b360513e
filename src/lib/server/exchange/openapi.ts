/**
 * The OpenAPI 3.1 document of /api/v1, hand-written so it says what partners need (auth, paging, errors).
 * tests/integration/api/openapi.test.ts checks its structure and that it lists exactly the routes that exist.
 */
const error = { $ref: '#/components/responses/Error' };
const errors = { '400': error, '401': error, '403': error, '404': error, '429': error };
const page = (name: string, item: string) => ({
	type: 'object',
	required: [name, 'next'],
	properties: {
		[name]: { type: 'array', items: { $ref: `#/components/schemas/${item}` } },
		next: { type: ['integer', 'null'], description: 'Pass as `after` for the next page; null on the last page.' }
	}
});
const after = { name: 'after', in: 'query', schema: { type: 'integer', minimum: 1 }, description: 'Keyset cursor: `next` of the previous page.' };
const limit = { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } };
const ok = (schema: object) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } }, ...errors });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const report = ref('ImportReport');

export const openapi = {
	openapi: '3.1.0',
	info: {
		title: 'Jobcircle exchange API',
		version: '1.0.0',
		description: 'For the provincial employment platform and employers. Each token belongs to one organisation and sees only its data.'
	},
	servers: [{ url: '/api/v1' }],
	security: [{ bearerToken: [] }],
	paths: {
		'/positions': {
			get: {
				operationId: 'listPositions',
				summary: "The token organisation's positions, oldest first",
				parameters: [
					{ name: 'state', in: 'query', schema: { $ref: '#/components/schemas/PositionState' } },
					{ name: 'updatedSince', in: 'query', schema: { type: 'string', format: 'date-time' } },
					after,
					limit
				],
				responses: ok(page('positions', 'Position'))
			},
			post: {
				operationId: 'upsertPosition',
				summary: "Create or update the token organisation's position with this `externalRef`",
				description:
					'The platform keys positions by its own reference and need not keep our ids. When the organisation has no position with ' +
					'`externalRef`, one is created as a draft (every required field needed; 201). Otherwise the fields sent are changed (200); ' +
					'editing an open position sends it back to review, and filled, closed or expired positions cannot be edited (409). ' +
					'`submit: true` sends a draft for review once saved. References are per organisation: naming another organisation is 403. ' +
					'Fields at fault are named in `fields` (400).',
				parameters: [],
				requestBody: { required: true, content: { 'application/json': { schema: ref('PositionUpsert') } } },
				responses: {
					'200': { description: 'Updated', content: { 'application/json': { schema: ref('UpsertAnswer') } } },
					'201': { description: 'Created', content: { 'application/json': { schema: ref('UpsertAnswer') } } },
					...errors,
					'409': error
				}
			}
		},
		'/positions/import': {
			post: {
				operationId: 'importPositions',
				summary: 'Import many positions at once from a JSON array or a CSV file, with a per-row report',
				description:
					'Every row is checked as `upsertPosition` checks a new position; rows that fail are reported as (row, field, reason). ' +
					'`mode=check` only reports; `mode=all` (the default) imports every row or, when any row fails, none (422 with the report); ' +
					'`mode=valid` imports the rows that pass. Positions are created as drafts; an `externalRef` already used by the organisation ' +
					'fails its row (`taken`). CSV: UTF-8 with or without BOM, a header row in Chinese or English (the export\'s column names or ' +
					'the field names below), dates as `2025-03-01 08:00` in Beijing time or ISO 8601 with a zone. At most 20,000 rows and 10 MB.',
				parameters: [{ name: 'mode', in: 'query', schema: { type: 'string', enum: ['check', 'all', 'valid'], default: 'all' } }],
				requestBody: {
					required: true,
					content: {
						'application/json': { schema: { type: 'array', items: ref('PositionInput'), maxItems: 20000 } },
						'text/csv': { schema: { type: 'string' } }
					}
				},
				responses: {
					'200': { description: 'The report (rows imported unless `mode=check`)', content: { 'application/json': { schema: report } } },
					'422': {
						description: '`mode=all` and some rows fail: nothing was imported',
						content: { 'application/json': { schema: { allOf: [report, ref('Error')] } } }
					},
					...errors
				}
			}
		},
		'/stations': {
			get: {
				operationId: 'listStations',
				summary: 'Public facts of every station',
				parameters: [after, limit],
				responses: ok(page('stations', 'Station'))
			}
		},
		'/positions/{id}/applications': {
			get: {
				operationId: 'listApplications',
				summary: "Applications to one of the token organisation's positions, newest first (403 for another organisation's)",
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }, after, limit],
				responses: ok({
					type: 'object',
					required: ['applications'],
					properties: { applications: { type: 'array', items: { $ref: '#/components/schemas/Application' } } }
				})
			}
		}
	},
	components: {
		securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token created in /admin (starts with jc_).' } },
		responses: {
			Error: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
		},
		schemas: {
			Error: {
				type: 'object',
				required: ['code', 'reason', 'message'],
				properties: {
					code: { type: 'string', enum: ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'unavailable'] },
					reason: { type: 'string' },
					message: { type: 'string' },
					fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'The fields at fault, each with a reason key.' }
				}
			},
			PositionState: { type: 'string', enum: ['draft', 'pending_review', 'open', 'filled', 'closed', 'expired'] },
			Position: {
				type: 'object',
				required: ['id', 'title', 'kind', 'state', 'updatedAt'],
				properties: {
					id: { type: 'integer' },
					title: { type: 'string' },
					category: { type: 'string' },
					kind: { type: 'string' },
					description: { type: 'string' },
					payMin: { type: ['integer', 'null'] },
					payMax: { type: ['integer', 'null'] },
					payUnit: { type: 'string' },
					headcount: { type: 'integer' },
					filledCount: { type: 'integer' },
					stationId: { type: ['integer', 'null'] },
					regionCode: { type: ['string', 'null'] },
					address: { type: ['string', 'null'] },
					lat: { type: ['number', 'null'] },
					lng: { type: ['number', 'null'] },
					startsAt: { type: ['string', 'null'], format: 'date-time' },
					endsAt: { type: ['string', 'null'], format: 'date-time' },
					state: { $ref: '#/components/schemas/PositionState' },
					publishedAt: { type: ['string', 'null'], format: 'date-time' },
					expiresAt: { type: ['string', 'null'], format: 'date-time' },
					externalRef: { type: ['string', 'null'] },
					createdAt: { type: 'string', format: 'date-time' },
					updatedAt: { type: 'string', format: 'date-time' }
				}
			},
			PositionInput: {
				type: 'object',
				description: 'A position as the organisation posts it. Creating needs the required fields; an odd job also needs startsAt and endsAt.',
				required: ['title', 'category', 'kind', 'payMin', 'payMax', 'payUnit', 'headcount'],
				properties: {
					externalRef: { type: 'string', minLength: 1, maxLength: 100, description: "The organisation's own reference, unique within it." },
					title: { type: 'string', minLength: 1, maxLength: 80 },
					category: { type: 'string', minLength: 1, maxLength: 40 },
					kind: { type: 'string', enum: ['full_time', 'part_time', 'odd_job', 'internship', 'public_welfare'] },
					description: { type: 'string', maxLength: 4000 },
					payMin: { type: 'integer', minimum: 0, maximum: 10000000 },
					payMax: { type: 'integer', minimum: 0, maximum: 10000000, description: 'At least payMin.' },
					payUnit: { type: 'string', enum: ['hour', 'day', 'month', 'piece'] },
					headcount: { type: 'integer', minimum: 1, maximum: 10000 },
					address: { type: 'string', maxLength: 200 },
					regionCode: { type: 'string', pattern: '^[0-9]{2,12}$', description: "A known region; the organisation's own when omitted." },
					lat: { type: 'number', minimum: -90, maximum: 90, description: 'The middle of the region when omitted.' },
					lng: { type: 'number', minimum: -180, maximum: 180 },
					startsAt: { type: ['string', 'null'], format: 'date-time' },
					endsAt: { type: ['string', 'null'], format: 'date-time', description: 'After startsAt.' },
					expiresAt: { type: ['string', 'null'], format: 'date-time' },
					employerOrganisationId: { type: ['integer', 'null'], description: "The token's own organisation only (403 otherwise)." }
				}
			},
			PositionUpsert: {
				allOf: [
					ref('PositionInput'),
					{
						type: 'object',
						required: ['externalRef'],
						properties: { submit: { type: 'boolean', default: false, description: 'Send a draft for review once saved.' } }
					}
				]
			},
			UpsertAnswer: {
				type: 'object',
				required: ['created', 'position'],
				properties: { created: { type: 'boolean' }, position: ref('Position') }
			},
			ImportReport: {
				type: 'object',
				required: ['mode', 'format', 'total', 'valid', 'invalid', 'imported', 'refused', 'errors', 'errorsOmitted', 'ignoredColumns'],
				properties: {
					mode: { type: 'string', enum: ['check', 'all', 'valid'] },
					format: { type: 'string', enum: ['csv', 'json'] },
					total: { type: 'integer', description: 'Data rows read.' },
					valid: { type: 'integer' },
					invalid: { type: 'integer' },
					imported: { type: 'integer', description: 'Positions created (drafts).' },
					refused: { type: 'boolean', description: '`mode=all` with failing rows: nothing imported.' },
					errors: {
						type: 'array',
						maxItems: 1000,
						items: {
							type: 'object',
							required: ['row', 'field', 'column', 'reason'],
							properties: {
								row: { type: 'integer', description: 'CSV: the spreadsheet row (header = 1). JSON: the array position from 1.' },
								field: { type: 'string', description: 'The field at fault, `_` for the row as a whole.' },
								column: { type: ['string', 'null'], description: 'The CSV header of that field as the file wrote it.' },
								reason: { type: 'string', description: 'A stable key: required, number, date, kind, pay_unit, unknown_region, taken …' }
							}
						}
					},
					errorsOmitted: { type: 'integer', description: 'Errors beyond the first 1,000, counted but not listed.' },
					ignoredColumns: { type: 'array', items: { type: 'string' }, description: 'CSV columns not recognised (read past).' }
				}
			},
			Station: {
				type: 'object',
				required: ['id', 'name', 'kind', 'regionCode', 'lat', 'lng', 'state'],
				properties: {
					id: { type: 'integer' },
					name: { type: 'string' },
					kind: { type: 'string' },
					regionCode: { type: 'string' },
					address: { type: 'string' },
					lat: { type: 'number' },
					lng: { type: 'number' },
					radiusM: { type: 'integer' },
					capacity: { type: 'integer' },
					openingHours: { type: 'string' },
					services: { type: 'array', items: { type: 'string' } },
					facilities: { type: 'array', items: { type: 'string' } },
					state: { type: 'string', enum: ['open', 'closed', 'offline'] }
				}
			},
			Application: {
				type: 'object',
				required: ['applicationId', 'status', 'channel', 'createdAt', 'seekerId'],
				properties: {
					applicationId: { type: 'integer' },
					status: { type: 'string' },
					channel: { type: 'string' },
					createdAt: { type: 'string', format: 'date-time' },
					seekerId: { type: 'integer' },
					name: { type: ['string', 'null'], description: 'Null once the seeker withdrew consent.' },
					phone: { type: ['string', 'null'], description: 'Null once the seeker withdrew consent.' }
				}
			}
		}
	}
} as const;
