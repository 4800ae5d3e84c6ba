import { QueryFailedError, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { canonicalJson } from '../../lib/canonical-json';
import { RackrateError, notFound, type ErrorCode, type FieldError } from '../../lib/errors';
import type { CatalogProblem } from '../../domain/catalog/catalog-problem';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';

/** Shared steps of catalogue services: insert under a unique key, load for update, detect no-op changes. */

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/**
 * Inserts `row`, turning a unique-key violation into `conflict()`. A
 * savepoint keeps the surrounding transaction usable for the caller's
 * error handling (idempotent requests store the 409).
 */
export async function insertUnique<T extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  row: T,
  conflict: () => RackrateError,
): Promise<void> {
  await tx.query('SAVEPOINT catalog_insert');
  try {
    await tx.insert(entity, row);
    await tx.query('RELEASE SAVEPOINT catalog_insert');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT catalog_insert');
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}

export function codeTaken(kind: string, code: string): RackrateError {
  return new RackrateError('code_taken', `Another ${kind} already has the code "${code}".`, {
    errors: [{ in: 'body', field: 'code', code: 'taken', message: `is already used by another ${kind}` }],
  });
}

/** Loads a row of this tenant by id with a row lock, or answers 404. */
export async function loadForUpdate<T extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  tenantId: string,
  id: string,
  label: string,
): Promise<T> {
  const row = await tx
    .createQueryBuilder(entity, 'r')
    .setLock('pessimistic_write')
    .where('r.tenant_id = :tenantId AND r.id = :id', { tenantId, id })
    .getOne();
  if (!row) throw notFound(label, id);
  return row;
}

export function archived(label: string, code: string): RackrateError {
  return new RackrateError('catalog_item_archived', `The ${label} "${code}" is archived.`);
}

export function sameRepresentation(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Cross-reference problems as a 422 whose field paths start at `prefix` (e.g. "definition"). */
export function invalidCatalog(problems: CatalogProblem[], prefix: Array<string | number> = [], code: ErrorCode = 'invalid_catalog'): RackrateError {
  const errors: FieldError[] = problems.map((p) => ({
    in: 'body',
    field: formatPath([...prefix, ...p.path]),
    code: p.code,
    message: p.message,
  }));
  return new RackrateError(code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

/** ['charges', 0, 'prices', 'USD'] → charges[0].prices.USD */
export function formatPath(path: Array<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

interface Versioned extends ObjectLiteral {
  tenantId: string;
  id: string;
  updatedAt: Date;
  version: number;
}

/**
 * Applies `mutate` to a loaded row and, if the representation changed,
 * bumps its version, saves it and records the change (audit + event).
 * A change that changes nothing writes nothing.
 */
export async function saveChange<T extends Versioned, R extends object>(
  tx: EntityManager,
  ctx: ChangeContext,
  entity: EntityTarget<T>,
  row: T,
  change: { action: string; resourceType: string; represent: (row: T) => R; mutate: (row: T) => void },
): Promise<T> {
  const before = change.represent(row);
  change.mutate(row);
  if (sameRepresentation(change.represent(row), before)) return row;
  row.updatedAt = ctx.now;
  row.version += 1;
  // TypeORM cannot type a partial update of a generic entity; the row is the entity itself.
  await tx.update(entity, { tenantId: row.tenantId, id: row.id } as never, row as never);
  await recordChange(tx, ctx, { action: change.action, resourceType: change.resourceType, resourceId: row.id, before, after: change.represent(row) });
  return row;
}

/** A deadline given at creation must lie ahead: a coupon that can never be redeemed is a mistake. */
export function assertFuture(value: string | undefined | null, field: string, now: Date): void {
  if (value == null || new Date(value) > now) return;
  throw new RackrateError('validation_failed', `${field} must be in the future.`, {
    errors: [{ in: 'body', field, code: 'not_in_future', message: 'must be in the future' }],
  });
}
