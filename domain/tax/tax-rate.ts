import type { PostalAddress } from '../accounts/account';
import type { Decimal } from '../money/decimal';

/**
 * Tax rates and which of them apply to a line (domain/tax/README.md).
 *
 * A rate belongs to a jurisdiction: a country, or a region of it (a
 * Canadian province, a US state), and optionally to one product tax code.
 * Its validity is `validFrom` inclusive to `validTo` exclusive, so a rate
 * change is one rate ending at the instant the next one starts.
 */
export interface TaxRate {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Null: the country level. Compared case-insensitively ("BC" = "bc"). */
  region: string | null;
  /** Null: the generic rate of its level; otherwise only lines with this product tax code. */
  taxCode: string | null;
  /** "20" for 20 %. */
  percentage: Decimal;
  /** True: prices already contain the tax; false: the tax is added on top. */
  inclusive: boolean;
  validFrom: Date;
  /** Exclusive; null means until ended. */
  validTo: Date | null;
}

/** Where a supply is taxed. */
export interface TaxPlace {
  country: string;
  region: string | null;
}

/** Place of supply: the customer's billing address, else the seller's address, else null (no tax, with a note). */
export function taxPlaceOf(customer: PostalAddress | null, seller: PostalAddress | null): TaxPlace | null {
  const address = customer ?? seller;
  if (address === null) return null;
  const region = address.region?.trim() ?? '';
  return { country: address.country.toUpperCase(), region: region === '' ? null : region };
}

function sameRegion(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a.toLocaleUpperCase('en-US') === b.toLocaleUpperCase('en-US');
}

export function isValidAt(rate: Pick<TaxRate, 'validFrom' | 'validTo'>, at: Date): boolean {
  return rate.validFrom.getTime() <= at.getTime() && (rate.validTo === null || at.getTime() < rate.validTo.getTime());
}

/**
 * The one rate of a level. Writes refuse overlapping rates, so at most one
 * candidate is valid at a time; if a source without that check (a test, an
 * import) holds two, the latest start wins, then the smaller id, so the
 * answer never depends on the order rates were loaded in.
 */
function pick(candidates: TaxRate[]): TaxRate | null {
  let best: TaxRate | null = null;
  for (const rate of candidates) {
    if (best === null) best = rate;
    else {
      const byStart = rate.validFrom.getTime() - best.validFrom.getTime();
      if (byStart > 0 || (byStart === 0 && rate.id < best.id)) best = rate;
    }
  }
  return best;
}

/** At one level: the rate naming the line's tax code, else the generic rate. A 0 % tax-code rate zero-rates the product there. */
function rateOfLevel(atLevel: TaxRate[], taxCode: string | null): TaxRate | null {
  if (taxCode !== null) {
    const specific = pick(atLevel.filter((r) => r.taxCode === taxCode));
    if (specific !== null) return specific;
  }
  return pick(atLevel.filter((r) => r.taxCode === null));
}

/**
 * Rates that apply to one line: levels stack (a country-level rate, region null, plus a
 * region-level rate, e.g. Canadian GST + provincial PST; a US state rate alone); at each level
 * a rate naming the line's tax code beats the generic one (tax_code null); a matching tax-code
 * rate of 0 % zero-rates the product at that level. Only rates valid at `at`
 * (validFrom <= at < validTo). Region compares case-insensitively.
 * Country level first, then the region level.
 */
export function applicableRates(rates: readonly TaxRate[], place: TaxPlace, taxCode: string | null, at: Date): TaxRate[] {
  const country = place.country.toUpperCase();
  const valid = rates.filter((r) => r.country.toUpperCase() === country && isValidAt(r, at));
  const out: TaxRate[] = [];
  const countryRate = rateOfLevel(valid.filter((r) => r.region === null), taxCode);
  if (countryRate !== null) out.push(countryRate);
  if (place.region !== null) {
    const regionRate = rateOfLevel(valid.filter((r) => r.region !== null && sameRegion(r.region, place.region)), taxCode);
    if (regionRate !== null) out.push(regionRate);
  }
  return out;
}

/** Half-open intervals [from, to) with null meaning unbounded overlap when each starts before the other ends. */
function periodsOverlap(a: Pick<TaxRate, 'validFrom' | 'validTo'>, b: Pick<TaxRate, 'validFrom' | 'validTo'>): boolean {
  const aEndsAfterBStarts = a.validTo === null || a.validTo.getTime() > b.validFrom.getTime();
  const bEndsAfterAStarts = b.validTo === null || b.validTo.getTime() > a.validFrom.getTime();
  return aEndsAfterBStarts && bEndsAfterAStarts;
}

/**
 * Another rate with the same country, region and tax code whose validity overlaps the
 * candidate's; null when none. Two such rates would both claim the same lines at the same
 * instant, so the invoice would depend on which one was read first. The earliest-starting
 * overlap is returned so the error names the same rate every time.
 */
export function overlappingRate(
  rates: readonly TaxRate[],
  candidate: Pick<TaxRate, 'country' | 'region' | 'taxCode' | 'validFrom' | 'validTo'> & { id?: string },
): TaxRate | null {
  const country = candidate.country.toUpperCase();
  const clashes = rates.filter(
    (r) =>
      r.id !== candidate.id &&
      r.country.toUpperCase() === country &&
      sameRegion(r.region, candidate.region) &&
      r.taxCode === candidate.taxCode &&
      periodsOverlap(r, candidate),
  );
  clashes.sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return clashes[0] ?? null;
}

/** "CA-BC" for a region-level rate, "DE" for a country-level one (the invoice's tax summary). */
export function jurisdictionOf(rate: Pick<TaxRate, 'country' | 'region'>): string {
  return rate.region === null ? rate.country.toUpperCase() : `${rate.country.toUpperCase()}-${rate.region.toLocaleUpperCase('en-US')}`;
}
