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
					createdAt: { type: 'string', format: 'date-time' },
					updatedAt: { type: 'string', format: 'date-time' }
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
