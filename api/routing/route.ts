import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Permission } from '../../domain/auth/scopes';
import type { Clock } from '../../lib/clock';
import type { Config } from '../../lib/config';
import type { ErrorCode } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import type { ApiKeyAuthenticator } from '../../services/auth/api-key-authenticator';
import type { AuthenticatedKey } from '../../services/auth/api-keys';
import type { Actor, ChangeContext } from '../../services/change-context';

/**
 * A route is declared once, with its schemas; the same declaration mounts
 * the Express handler (validation, auth, transactions, idempotency) and
 * writes the OpenAPI operation. Nothing else registers endpoints.
 */
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

type MaybeSchema = z.ZodType | undefined;
export type Input<S extends MaybeSchema> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What health checks and other dependency-aware routes can ask about. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<void>;
}

export interface AppDeps {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  clock: Clock;
  authenticator: ApiKeyAuthenticator;
  readiness: ReadinessProbe[];
  /** Temporal, for the routes that start, signal or query workflows. */
  temporal: TemporalClientProvider;
}

interface RequestBase<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  requestId: string;
  logger: Logger;
  /** The request's instant, read once from the clock. */
  now: Date;
  /** A `bulkBody` route's parsed JSON body, unchecked (undefined for other routes). */
  bulkBody: unknown;
}

export interface TenantRequest<P, Q, B> extends RequestBase<P, Q, B> {
  tenantId: string;
  key: AuthenticatedKey;
  /** The tenant-bound transaction the whole request runs in. */
  tx: EntityManager;
  change: ChangeContext;
  deps: AppDeps;
  /** The request's Idempotency-Key, if any: effects outside the database (workflow updates) derive their ids from it. */
  idempotencyKey: string | null;
  /** Runs `effect` once the transaction has committed, before the response is sent (never on rollback or replay). */
  onCommit(effect: () => void | Promise<void>): void;
}

export interface PlatformRequest<P, Q, B> extends RequestBase<P, Q, B> {
  /** A transaction bound to no tenant: tenant tables show nothing until a handler binds one. */
  tx: EntityManager;
  actor: Actor;
}

export interface PublicRequest<P, Q, B> extends RequestBase<P, Q, B> {
  deps: AppDeps;
}

interface RouteBase<P extends MaybeSchema, Q extends MaybeSchema, B extends MaybeSchema> {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /v1/accounts/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  success: {
    status: number;
    description: string;
    schema?: z.ZodType;
    /** Media type of `schema` when not JSON. */
    contentType?: string;
    /** Other media types the handler may answer with (e.g. JSON beside YAML), each documented. */
    alternatives?: Array<{ contentType: string; schema: z.ZodType }>;
    /** Other success statuses with the same body (e.g. 200 when a publish changed nothing). */
    otherStatuses?: Array<{ status: number; description: string }>;
  };
  /** Codes this operation can return beyond the ones every route of its kind can. */
  errors?: ErrorCode[];
  /**
   * A large body the handler checks itself, for a hot path where a zod parse
   * of every item would cost more than the work (event ingestion): accepted up
   * to `limitBytes` instead of BODY_LIMIT_BYTES (paths without parameters
   * only), documented per media type with `mediaTypes` but not parsed with
   * them; the handler reads it as `bulkBody`. Use instead of `body`.
   */
  bulkBody?: { limitBytes: number; mediaTypes: Record<string, z.ZodType> };
  /**
   * 'ignored': the Idempotency-Key header is neither read nor stored, because
   * the body carries its own idempotency keys (usage event ids) and storing
   * each large response would cost more than answering a replay again.
   */
  idempotencyKey?: 'ignored';
}

export interface TenantRoute<P extends MaybeSchema, Q extends MaybeSchema, B extends MaybeSchema>
  extends RouteBase<P, Q, B> {
  auth: 'tenant';
  permission: Permission;
  /**
   * Runs after authentication and validation, before the request's
   * transaction opens, on connections of its own: for work that must not
   * happen inside it (creating partitions is DDL).
   */
  beforeTransaction?(deps: AppDeps, now: Date): Promise<void>;
  handler(req: TenantRequest<Input<P>, Input<Q>, Input<B>>): Promise<HandlerResult>;
}

export interface PlatformRoute<P extends MaybeSchema, Q extends MaybeSchema, B extends MaybeSchema>
  extends RouteBase<P, Q, B> {
  auth: 'platform';
  handler(req: PlatformRequest<Input<P>, Input<Q>, Input<B>>): Promise<HandlerResult>;
}

export interface PublicRoute<P extends MaybeSchema, Q extends MaybeSchema, B extends MaybeSchema>
  extends RouteBase<P, Q, B> {
  auth: 'none';
  handler(req: PublicRequest<Input<P>, Input<Q>, Input<B>>): Promise<HandlerResult>;
}

export type Route =
  | TenantRoute<MaybeSchema, MaybeSchema, MaybeSchema>
  | PlatformRoute<MaybeSchema, MaybeSchema, MaybeSchema>
  | PublicRoute<MaybeSchema, MaybeSchema, MaybeSchema>;

// Identity helpers: they exist so TypeScript infers each handler's input types.
export function tenantRoute<P extends MaybeSchema = undefined, Q extends MaybeSchema = undefined, B extends MaybeSchema = undefined>(
  route: TenantRoute<P, Q, B>,
): TenantRoute<P, Q, B> {
  return route;
}

export function platformRoute<P extends MaybeSchema = undefined, Q extends MaybeSchema = undefined, B extends MaybeSchema = undefined>(
  route: PlatformRoute<P, Q, B>,
): PlatformRoute<P, Q, B> {
  return route;
}

export function publicRoute<P extends MaybeSchema = undefined, Q extends MaybeSchema = undefined, B extends MaybeSchema = undefined>(
  route: PublicRoute<P, Q, B>,
): PublicRoute<P, Q, B> {
  return route;
}
