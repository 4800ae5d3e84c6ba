import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../../lib/errors';
import { problemSchema, PROBLEM_CONTENT_TYPE } from '../http/problem';
import type { Route } from '../routing/route';

/**
 * The OpenAPI 3.1 document, generated from the same route declarations and
 * zod schemas that validate requests, so it cannot drift from the code.
 */

/** Codes any route of a kind can return, by what it takes. */
function commonErrors(route: Route): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const hasInput = route.query !== undefined || route.body !== undefined || route.method === 'post';
  if (hasInput) codes.push('validation_failed');
  if (route.body !== undefined || route.bulkBody !== undefined) codes.push('malformed_json', 'payload_too_large', 'unsupported_media_type');
  if (route.auth !== 'none') codes.push('unauthenticated');
  if (route.auth === 'tenant') codes.push('insufficient_scope');
  if (route.params !== undefined) codes.push('not_found');
  if (route.method === 'post' && route.auth !== 'none' && route.idempotencyKey !== 'ignored') {
    codes.push('invalid_idempotency_key', 'idempotency_key_in_use', 'idempotency_key_reused');
  }
  return codes;
}

function errorResponses(route: Route) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...commonErrors(route), ...(route.errors ?? [])]) {
    const status = ERROR_CATALOG[code].status;
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  }
  const responses: Record<string, { description: string; content: Record<string, { schema: z.ZodType }> }> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${ERROR_CATALOG[c].title}`).join('; '),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
    };
  }
  return responses;
}

const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .meta({ description: 'Makes the POST safe to retry: the same key and body replay the first response for 24 h.' }),
});

export function buildOpenApiDocument(routes: readonly Route[], version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant API key: `Authorization: Bearer rr_...`. Scopes: admin, read, ingest, portal.',
  });
  registry.registerComponent('securitySchemes', 'platformKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The deployment operator key (RACKRATE_PLATFORM_KEY).',
  });

  for (const route of routes) {
    const success = route.success;
    registry.registerPath({
      method: route.method,
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      security: route.auth === 'tenant' ? [{ apiKey: [] }] : route.auth === 'platform' ? [{ platformKey: [] }] : [],
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.method === 'post' && route.auth !== 'none' && route.idempotencyKey !== 'ignored' ? { headers: idempotencyHeader } : {}),
        ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
        ...(route.bulkBody
          ? { body: { required: true, content: Object.fromEntries(Object.entries(route.bulkBody.mediaTypes).map(([type, schema]) => [type, { schema }])) } }
          : {}),
      },
      responses: {
        ...Object.fromEntries(
          [{ status: success.status, description: success.description }, ...(success.otherStatuses ?? [])].map(({ status, description }) => [
            String(status),
            {
              description,
              ...(success.schema
                ? {
                    content: {
                      [success.contentType ?? 'application/json']: { schema: success.schema },
                      ...Object.fromEntries((success.alternatives ?? []).map((a) => [a.contentType, { schema: a.schema }])),
                    },
                  }
                : {}),
            },
          ]),
        ),
        ...errorResponses(route),
      },
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Rackrate API',
      version,
      description:
        'Billing and payments for data-center providers. Conventions (auth, errors, pagination, ' +
        'idempotency) are described in docs/api.md.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
  });
}
