import type { Express, Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { scopesGrant } from '../../domain/auth/scopes';
import { bindTenant } from '../../db/tenant-transaction';
import { RackrateError, type FieldError } from '../../lib/errors';
import type { AuthenticatedKey } from '../../services/auth/api-keys';
import { secretEquals } from '../../services/auth/api-key-codec';
import type { Actor } from '../../services/change-context';
import { readIdempotencyKey, runIdempotently, type IdempotencyScope } from '../http/idempotency';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../http/problem';
import { requestIdOf } from '../http/request-id';
import { unstorableText } from '../http/unstorable-text';
import { parseInput } from '../../lib/zod-field-errors';
import type { AppDeps, HandlerResult, Route } from './route';

/** /v1/accounts/{id} → /v1/accounts/:id */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

function unauthenticated(detail: string): RackrateError {
  return new RackrateError('unauthenticated', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="rackrate"' } });
}

async function authenticateTenant(req: Request, deps: AppDeps, now: Date): Promise<AuthenticatedKey> {
  const token = bearerToken(req);
  if (token === undefined) throw unauthenticated('Send an API key as "Authorization: Bearer <key>".');
  const key = token === '' ? null : await deps.authenticator.authenticate(token, now);
  if (key === null) throw unauthenticated('The API key is not valid: unknown, revoked or expired.');
  return key;
}

function authenticatePlatform(req: Request, deps: AppDeps): Actor {
  const token = bearerToken(req);
  if (token === undefined) throw unauthenticated('Send the platform key as "Authorization: Bearer <key>".');
  const expected = deps.config.platformKey;
  if (expected === undefined) {
    throw unauthenticated('This deployment has no platform key; set RACKRATE_PLATFORM_KEY to enable platform operations.');
  }
  if (!secretEquals(token, expected)) throw unauthenticated('The platform key is not valid.');
  return { type: 'platform', id: null, label: 'platform' };
}

interface ValidatedInput {
  params: unknown;
  query: unknown;
  body: unknown;
  bulkBody: unknown;
}

/** Path, query and body are all checked before anything runs; every bad field is reported at once. */
function validateInput(route: Route, req: Request): ValidatedInput {
  let params: unknown = {};
  if (route.params) {
    const parsed = parseInput(route.params, req.params, 'path');
    // Ids are opaque: one that cannot exist is simply not found.
    if (!parsed.ok) throw new RackrateError('not_found', `No resource at ${req.path}.`);
    params = parsed.value;
  }
  const bulk = route.bulkBody !== undefined;
  const errors: FieldError[] = [...unstorableText({ ...req.query }, 'query'), ...(bulk ? [] : unstorableText(req.body, 'body'))];
  if (errors.length > 0) {
    throw new RackrateError('validation_failed', errors.map((e) => `${e.field || e.in}: ${e.message}`).join('; '), { errors });
  }
  let query: unknown = {};
  if (route.query) {
    const parsed = parseInput(route.query, { ...req.query }, 'query');
    if (parsed.ok) query = parsed.value;
    else errors.push(...parsed.errors);
  } else if (Object.keys(req.query).length > 0) {
    for (const name of Object.keys(req.query)) {
      errors.push({ in: 'query', field: name, code: 'unknown_field', message: 'is not a known query parameter' });
    }
  }
  let body: unknown = undefined;
  if (route.body) {
    // An optional body (e.g. an asset transition's time) may be left out entirely.
    if (req.body === undefined && !route.body.safeParse(undefined).success) {
      errors.push({ in: 'body', field: '', code: 'required', message: 'a JSON request body is required' });
    } else {
      const parsed = parseInput(route.body, req.body, 'body');
      if (parsed.ok) body = parsed.value;
      else errors.push(...parsed.errors);
    }
  } else if (!bulk && req.body !== undefined && !isEmptyObject(req.body)) {
    errors.push({ in: 'body', field: '', code: 'not_allowed', message: 'this operation takes no request body' });
  }
  if (errors.length > 0) {
    const summary = errors.map((e) => `${e.in === 'body' ? '' : `${e.in} `}${e.field || 'body'}: ${e.message}`).join('; ');
    throw new RackrateError('validation_failed', summary, { errors });
  }
  return { params, query, body, bulkBody: bulk ? req.body : undefined };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function send(res: Response, result: HandlerResult, replayed: boolean, contentType = 'application/json'): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.status(result.status);
  if (result.status === 204) {
    res.end();
    return;
  }
  if (!res.getHeader('content-type')) res.type(contentType);
  res.send(typeof result.body === 'string' || Buffer.isBuffer(result.body) ? result.body : JSON.stringify(result.body));
}

/** Runs a handler inside `tx`, through the idempotency store when the caller sent a key. */
async function execute(
  tx: EntityManager,
  req: Request,
  res: Response,
  deps: AppDeps,
  idempotency: { key: string | undefined; scope: IdempotencyScope },
  now: Date,
  run: () => Promise<HandlerResult>,
): Promise<{ result: HandlerResult; replayed: boolean }> {
  const { key, scope } = idempotency;
  if (key === undefined) return { result: await run(), replayed: false };
  return runIdempotently(
    tx,
    scope,
    { key, method: req.method, path: req.path, body: req.body, now, ttlHours: deps.config.idempotencyKeyTtlHours },
    run,
    (error) => ({
      status: error.status,
      body: problemBody(error, requestIdOf(res), req.originalUrl),
      headers: { ...error.headers, 'Content-Type': PROBLEM_CONTENT_TYPE },
    }),
  );
}

/** Only POSTs are made idempotent; GET, PATCH and DELETE are idempotent by meaning or by state checks. */
function idempotencyKeyOf(req: Request, route: Route): string | undefined {
  return req.method === 'POST' && route.idempotencyKey !== 'ignored' ? readIdempotencyKey(req) : undefined;
}

function handlerFor(route: Route, deps: AppDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = requestIdOf(res);
    const now = deps.clock.now();
    const logger = deps.logger.child({ request_id: requestId });
    const contentType = route.success.contentType;

    if (route.auth === 'none') {
      const input = validateInput(route, req);
      const result = await route.handler({ ...input, requestId, logger, now, deps });
      return send(res, result, false, contentType);
    }

    if (route.auth === 'platform') {
      const actor = authenticatePlatform(req, deps);
      const idempotencyKey = idempotencyKeyOf(req, route);
      const input = validateInput(route, req);
      const outcome = await deps.dataSource.transaction((tx) =>
        execute(tx, req, res, deps, { key: idempotencyKey, scope: { kind: 'platform' } }, now, () =>
          route.handler({ ...input, requestId, logger, now, tx, actor }),
        ),
      );
      return send(res, outcome.result, outcome.replayed, contentType);
    }

    const key = await authenticateTenant(req, deps, now);
    res.locals.tenantId = key.tenantId;
    res.locals.apiKeyId = key.keyId;
    if (!scopesGrant(key.scopes, route.permission)) {
      throw new RackrateError(
        'insufficient_scope',
        `This operation needs a key with the ${route.permission === 'write' ? 'admin' : `${route.permission} or admin`} scope; this key has ${key.scopes.join(', ')}.`,
      );
    }
    const idempotencyKey = idempotencyKeyOf(req, route);
    const input = validateInput(route, req);
    const actor: Actor = { type: 'api_key', id: key.keyId, label: `${key.prefix} (${key.name})` };
    const change = { tenantId: key.tenantId, actor, requestId, now };
    if (route.beforeTransaction) await route.beforeTransaction(deps, now);
    const effects: Array<() => void | Promise<void>> = [];
    const outcome = await deps.dataSource.transaction(async (tx) => {
      await bindTenant(tx, key.tenantId);
      return execute(tx, req, res, deps, { key: idempotencyKey, scope: { kind: 'tenant', tenantId: key.tenantId } }, now, () =>
        route.handler({
          ...input,
          requestId,
          logger: logger.child({ tenant_id: key.tenantId }),
          now,
          tenantId: key.tenantId,
          key,
          tx,
          change,
          deps,
          idempotencyKey: idempotencyKey ?? null,
          onCommit: (effect) => effects.push(effect),
        }),
      );
    });
    for (const effect of effects) await effect();
    send(res, outcome.result, outcome.replayed, contentType);
  };
}

/** Body limits above the default, by "METHOD /path", for the JSON body parser (bulkBody routes). */
export function bulkBodyLimits(routes: readonly Route[]): Map<string, number> {
  const limits = new Map<string, number>();
  for (const route of routes) {
    if (route.bulkBody === undefined) continue;
    if (route.path.includes('{')) throw new Error(`${route.path}: a bulk body needs a path without parameters`);
    limits.set(`${route.method.toUpperCase()} ${route.path}`, route.bulkBody.limitBytes);
  }
  return limits;
}

/**
 * Mounts every route, then answers 405 (with Allow) for a known path asked
 * with a method it does not support.
 */
export function mountRoutes(app: Express, routes: readonly Route[], deps: AppDeps): void {
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    app[route.method](expressPath(route.path), handlerFor(route, deps));
    const methods = methodsByPath.get(route.path) ?? [];
    methods.push(route.method.toUpperCase());
    if (route.method === 'get') methods.push('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    app.all(expressPath(path), (req: Request) => {
      throw new RackrateError('method_not_allowed', `${req.method} is not supported on ${path}; use ${methods.join(', ')}.`, {
        headers: { Allow: methods.join(', ') },
      });
    });
  }
}
