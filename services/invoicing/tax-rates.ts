import type { EntityManager } from 'typeorm';
import { Decimal } from '../../domain/money/decimal';
import { jurisdictionOf, overlappingRate, type TaxRate as TaxRateTerms } from '../../domain/tax/tax-rate';
import { TaxRate } from '../../db/entities/invoicing/tax-rate';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import { loadForUpdate, saveChange } from '../catalog/store';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import { paginate, type Page, type PageRequest } from '../pagination';
import { taxRateTerms } from './tax-provider';
import type { CreateTaxRateInput, UpdateTaxRateInput } from './tax-rate-schemas';

/**
 * The tenant's tax-rate table: create, read, list, rename or end a rate.
 * Two rates of the same place and tax code never overlap in time: writes
 * that could create an overlap take a per-tenant lock, then check.
 */
const RESOURCE = 'tax_rate';

export function taxRateRepresentation(r: TaxRate) {
  return {
    id: r.id,
    object: 'tax_rate' as const,
    name: r.name,
    country: r.country,
    region: r.region,
    tax_code: r.taxCode,
    percentage: new Decimal(r.percentage).toFixed(),
    inclusive: r.inclusive,
    valid_from: r.validFrom.toISOString(),
    valid_to: r.validTo?.toISOString() ?? null,
    description: r.description,
    metadata: r.metadata,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    version: r.version,
  };
}

/**
 * Serialises the overlap check with the write that follows it: without
 * the lock, two concurrent creates each see the table without the other
 * and both insert. Per tenant (rates are few and rarely written), held to
 * the end of the transaction.
 */
async function lockTaxRates(tx: EntityManager, tenantId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('rackrate.tax_rates:' || $1, 0))`, [tenantId]);
}

function afterStart(field: string, validFrom: Date): RackrateError {
  return new RackrateError('validation_failed', `${field} must be after valid_from (${validFrom.toISOString()}).`, {
    errors: [{ in: 'body', field, code: 'before_start', message: `must be after valid_from (${validFrom.toISOString()})` }],
  });
}

async function refuseOverlap(tx: EntityManager, tenantId: string, candidate: Omit<TaxRateTerms, 'name' | 'percentage' | 'inclusive'>, field: string): Promise<void> {
  // Same country only: region and tax code are compared by the domain rule (regions case-insensitively).
  const rows = await tx.findBy(TaxRate, { tenantId, country: candidate.country });
  const clash = overlappingRate(rows.map(taxRateTerms), candidate);
  if (clash === null) return;
  const place = `${jurisdictionOf(clash)}${clash.taxCode === null ? '' : ` (tax code ${clash.taxCode})`}`;
  const until = clash.validTo === null ? 'until ended' : `until ${clash.validTo.toISOString()}`;
  throw new RackrateError(
    'tax_rate_overlap',
    `Tax rate ${clash.id} ("${clash.name}") already covers ${place} from ${clash.validFrom.toISOString()} ${until}; end it with valid_to first.`,
    { errors: [{ in: 'body', field, code: 'overlap', message: `overlaps tax rate ${clash.id}` }] },
  );
}

export async function createTaxRate(tx: EntityManager, ctx: ChangeContext, input: CreateTaxRateInput): Promise<TaxRate> {
  const validFrom = input.valid_from === undefined ? ctx.now : new Date(input.valid_from);
  const validTo = input.valid_to == null ? null : new Date(input.valid_to);
  // The schema compares the two when both are sent; a default start is only known here.
  if (validTo !== null && validTo <= validFrom) throw afterStart('valid_to', validFrom);
  const id = uuidv7(ctx.now.getTime());
  const terms = { id, country: input.country, region: input.region ?? null, taxCode: input.tax_code ?? null, validFrom, validTo };
  await lockTaxRates(tx, ctx.tenantId);
  await refuseOverlap(tx, ctx.tenantId, terms, 'valid_from');
  const rate = tx.create(TaxRate, {
    tenantId: ctx.tenantId,
    ...terms,
    name: input.name,
    percentage: input.percentage.toFixed(),
    inclusive: input.inclusive,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 1,
  });
  await tx.insert(TaxRate, rate);
  await recordChange(tx, ctx, { action: 'tax_rate.created', resourceType: RESOURCE, resourceId: rate.id, before: null, after: taxRateRepresentation(rate) });
  return rate;
}

export async function getTaxRate(tx: EntityManager, tenantId: string, id: string): Promise<TaxRate> {
  const rate = await tx.findOneBy(TaxRate, { tenantId, id });
  if (!rate) throw notFound('tax rate', id);
  return rate;
}

export interface TaxRateFilter {
  country?: string | undefined;
  /** Only rates valid at this instant. */
  activeAt?: Date | undefined;
}

export async function listTaxRates(tx: EntityManager, tenantId: string, filter: TaxRateFilter, page: PageRequest): Promise<Page<TaxRate>> {
  const query = tx.createQueryBuilder(TaxRate, 'r').where('r.tenant_id = :tenantId', { tenantId });
  if (filter.country) query.andWhere('r.country = :country', { country: filter.country });
  if (filter.activeAt) query.andWhere('r.valid_from <= :at AND (r.valid_to IS NULL OR r.valid_to > :at)', { at: filter.activeAt });
  return paginate(query, 'r', page);
}

/**
 * Renames, describes or ends a rate. Moving the end later (or removing it)
 * can reach into another rate's time, so it is checked like a new rate.
 * Invoices already finalised keep the taxes they state; drafts refreshed
 * afterwards use the table as it is then.
 */
export async function updateTaxRate(tx: EntityManager, ctx: ChangeContext, id: string, patch: UpdateTaxRateInput): Promise<TaxRate> {
  if (patch.valid_to !== undefined) await lockTaxRates(tx, ctx.tenantId);
  const rate = await loadForUpdate(tx, TaxRate, ctx.tenantId, id, 'tax rate');
  if (patch.valid_to !== undefined) {
    const validTo = patch.valid_to === null ? null : new Date(patch.valid_to);
    if (validTo !== null && validTo <= rate.validFrom) throw afterStart('valid_to', rate.validFrom);
    const extends_ = validTo === null || (rate.validTo !== null && validTo > rate.validTo);
    if (extends_) await refuseOverlap(tx, ctx.tenantId, { ...taxRateTerms(rate), validTo }, 'valid_to');
  }
  return saveChange(tx, ctx, TaxRate, rate, {
    action: 'tax_rate.updated',
    resourceType: RESOURCE,
    represent: taxRateRepresentation,
    mutate: (r) => {
      if (patch.name !== undefined) r.name = patch.name;
      if (patch.description !== undefined) r.description = patch.description;
      if (patch.metadata !== undefined) r.metadata = patch.metadata;
      if (patch.valid_to !== undefined) r.validTo = patch.valid_to === null ? null : new Date(patch.valid_to);
    },
  });
}
