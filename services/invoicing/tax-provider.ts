import type { EntityManager } from 'typeorm';
import { calculateTax, type TaxCalculation, type TaxRequest } from '../../domain/tax/tax-calculation';
import { Decimal } from '../../domain/money/decimal';
import type { TaxRate as TaxRateTerms } from '../../domain/tax/tax-rate';
import { TaxRate } from '../../db/entities/invoicing/tax-rate';

/**
 * Where an invoice's tax comes from (docs/taxes.md). The invoice generator
 * asks the tenant's provider (tenants.tax_provider, by name) for a
 * `TaxCalculation` and writes it on the invoice as is; the built-in
 * provider reads the tenant's rate table. An external engine (Avalara,
 * Stripe Tax, Vertex…) is another implementation registered under its own
 * name: it gets the same request (place, exemption, tax ids, lines with
 * their tax codes) and must return line taxes that add up to its summary.
 */
export interface TaxProvider {
  readonly name: string;
  calculate(tx: EntityManager, tenantId: string, request: TaxRequest): Promise<TaxCalculation>;
}

export const DEFAULT_TAX_PROVIDER = 'rate_table';

export function taxRateTerms(row: TaxRate): TaxRateTerms {
  return {
    id: row.id,
    name: row.name,
    country: row.country,
    region: row.region,
    taxCode: row.taxCode,
    percentage: new Decimal(row.percentage),
    inclusive: row.inclusive,
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
}

/** The tenant's rates of the request's country valid at its instant; the pure calculation picks among them. */
export const rateTableTaxProvider: TaxProvider = {
  name: DEFAULT_TAX_PROVIDER,
  async calculate(tx, tenantId, request) {
    // Exempt, reverse-charged or placeless requests need no rates: skip the query.
    if (request.place === null || request.exemption !== 'none') return calculateTax([], request);
    const rows = await tx
      .createQueryBuilder(TaxRate, 'r')
      .where('r.tenant_id = :tenantId AND r.country = :country', { tenantId, country: request.place.country.toUpperCase() })
      .andWhere('r.valid_from <= :at AND (r.valid_to IS NULL OR r.valid_to > :at)', { at: request.at })
      .getMany();
    return calculateTax(rows.map(taxRateTerms), request);
  },
};

const providers = new Map<string, TaxProvider>([[rateTableTaxProvider.name, rateTableTaxProvider]]);

/** Makes a provider available under its name; registering a name again replaces the earlier provider (tests use this for fakes). */
export function registerTaxProvider(provider: TaxProvider): void {
  providers.set(provider.name, provider);
}

/** The provider a tenant configured; an unknown name is a deployment error, never a silent fallback to no tax. */
export function taxProviderFor(name: string): TaxProvider {
  const provider = providers.get(name);
  if (provider === undefined) {
    throw new Error(`Unknown tax provider "${name}" (tenants.tax_provider); registered: ${[...providers.keys()].sort().join(', ')}`);
  }
  return provider;
}
