import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { allRoutes } from '../../api/app';
import { API_VERSION } from '../../api/app';
import { buildOpenApiDocument } from '../../api/openapi/document';
import type { Route } from '../../api/routing/route';

/**
 * Every successful JSON response any API test receives is checked against
 * its route's documented success schema, both the zod schema and the JSON
 * Schema the OpenAPI document publishes, so each test doubles as a contract
 * test and a representation cannot drift from its documentation.
 */
interface Matcher {
  route: Route;
  pattern: RegExp;
}

let matchers: Matcher[] | undefined;
let published: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: object } | undefined;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<string, ValidateFunction>();

function routeFor(method: string, path: string): Route | undefined {
  matchers ??= allRoutes().map((route) => ({
    route,
    pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  // Literal segments win over parameters: /v1/catalog/export before /v1/catalog/{x}.
  const candidates = matchers.filter((m) => m.route.method === method.toLowerCase() && m.pattern.test(path));
  candidates.sort((a, b) => (b.route.path.match(/\{/g)?.length ?? 0) < (a.route.path.match(/\{/g)?.length ?? 0) ? 1 : -1);
  return candidates[0]?.route;
}

function publishedValidator(route: Route): ValidateFunction | undefined {
  const key = `${route.method} ${route.path}`;
  if (!compiled.has(key)) {
    published ??= buildOpenApiDocument(allRoutes(), API_VERSION) as unknown as typeof published;
    const documented = published!.paths[route.path]?.[route.method]?.responses[String(route.success.status)]?.content?.['application/json']?.schema;
    if (!documented) return undefined;
    compiled.set(key, ajv.compile({ ...documented, components: published!.components }));
  }
  return compiled.get(key);
}

export function assertConformance(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
  if (status < 200 || status >= 300 || !/json/.test(contentType ?? '')) return;
  const path = new URL(url, 'http://x').pathname;
  const route = routeFor(method, path);
  // A route whose main answer is not JSON may document a JSON alternative (the catalogue export).
  const schema = route?.success.contentType
    ? route.success.alternatives?.find((a) => a.contentType === 'application/json')?.schema
    : route?.success.schema;
  if (!route || !schema) return;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`${method} ${path} answered ${status} with a body that breaks its zod schema: ${JSON.stringify(parsed.error.issues)}`);
  }
  const validate = publishedValidator(route);
  if (validate && !validate(body)) {
    throw new Error(`${method} ${path} answered ${status} with a body that breaks its published schema: ${JSON.stringify(validate.errors)}`);
  }
}
