import { z } from 'zod';
import { DOCS_PAGE_HTML } from '../openapi/docs-page';
import { publicRoute } from '../routing/route';

/**
 * The document itself is attached by api/app.ts (it is generated from the
 * complete route list, which includes these routes).
 */
export function apiDocsRoutes(openApiDocument: () => unknown) {
  return [
    publicRoute({
      method: 'get',
      path: '/v1/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'The OpenAPI 3.1 document',
      tags: ['Operations'],
      auth: 'none',
      success: { status: 200, description: 'This document', schema: z.record(z.string(), z.unknown()) },
      async handler() {
        return { status: 200, body: openApiDocument() };
      },
    }),
    publicRoute({
      method: 'get',
      path: '/v1/docs',
      operationId: 'getApiDocsPage',
      summary: 'Readable API reference (Swagger UI)',
      tags: ['Operations'],
      auth: 'none',
      success: { status: 200, description: 'An HTML page', schema: z.string(), contentType: 'text/html' },
      async handler() {
        return { status: 200, body: DOCS_PAGE_HTML };
      },
    }),
  ];
}
