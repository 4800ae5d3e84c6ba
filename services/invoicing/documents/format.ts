import { minorUnitsOf } from '../../../domain/money/money';

/**
 * Locale formatting for invoice documents. Amounts stay decimal strings to
 * the end: Intl.NumberFormat formats a numeric string exactly (ES2023,
 * Node ≥ 20), so "12345678901234.57" never passes through a float. Dates are
 * written on the customer's calendar (`timezone`); periods are half-open, so
 * the last day printed is the day of the instant before `end`.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

type NumericString = `${number}`;

function numeric(value: string): NumericString {
  if (!DECIMAL.test(value)) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  return value as NumericString;
}

function fractionDigits(value: string): number {
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}

export interface DocumentFormat {
  locale: string;
  currency: string;
  timezone: string;
  /** An amount in the currency, every digit of the string kept ("1.234,56 €"). */
  money(amount: string): string;
  /** A unit price: the currency's minor digits, more when the price has them ($0.1825, ¥0.5). */
  price(unitPrice: string): string;
  /** A quantity as written, grouped ("1,234.5"). */
  quantity(quantity: string): string;
  /** A 0..1 share as a percentage with two decimals, truncated so 99.999 % never reads 100.00 %. */
  share(fraction: string): string;
  /** A percentage given as its number ("8.875" → "8.875%"). */
  percentage(percent: string): string;
  /** A chart number (axis ticks); never an amount. */
  chartNumber(value: number): string;
  date(instant: string | Date): string;
  /** Short day label for a chart axis ("Apr 8"). */
  shortDate(instant: Date): string;
  /** A half-open period as the days it covers ("Apr 1 – 30, 2026"). */
  period(start: string, end: string): string;
}

export function documentFormat(locale: string, currency: string, timezone: string): DocumentFormat {
  const minor = minorUnitsOf(currency);
  const moneyFormats = new Map<number, Intl.NumberFormat>();
  const moneyWith = (digits: number) => {
    let format = moneyFormats.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minor, maximumFractionDigits: digits });
      moneyFormats.set(digits, format);
    }
    return format;
  };
  const quantityWith = (digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
  const shareFormat = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2, roundingMode: 'trunc' });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: timezone });
  const shortFormat = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: timezone });

  return {
    locale,
    currency,
    timezone,
    money: (amount) => moneyWith(Math.max(minor, fractionDigits(amount))).format(numeric(amount)),
    price: (unitPrice) => moneyWith(Math.max(minor, fractionDigits(unitPrice))).format(numeric(unitPrice)),
    quantity: (quantity) => quantityWith(fractionDigits(quantity)).format(numeric(quantity)),
    share: (fraction) => shareFormat.format(numeric(fraction)),
    percentage: (percent) => quantityWith(fractionDigits(percent)).format(numeric(percent)) + '\u00a0%',
    chartNumber: (value) => quantityWith(Number.isInteger(value) ? 0 : 2).format(value),
    date: (instant) => dateFormat.format(new Date(instant)),
    shortDate: (instant) => shortFormat.format(instant),
    period: (start, end) => {
      const from = new Date(start);
      const last = new Date(Math.max(from.getTime(), new Date(end).getTime() - 1));
      return dateFormat.formatRange(from, last);
    },
  };
}

/** The paper a customer expects: Letter in the Americas that use it, A4 elsewhere. */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'GT', 'CR', 'PR', 'DO', 'PA', 'SV', 'NI', 'HN']);

export function paperFor(locale: string): 'LETTER' | 'A4' {
  const region = new Intl.Locale(locale).maximize().region;
  return region && LETTER_REGIONS.has(region) ? 'LETTER' : 'A4';
}

/** Completeness as printed: the document's figure, or known / expected when only the counts were recorded. */
export function completenessOf(known: number | null, expected: number | null, completeness: string | null): string | null {
  if (completeness !== null) return completeness;
  if (known === null || expected === null || expected === 0) return null;
  // Four decimals, truncated (integer arithmetic): an incomplete month never reads 100.00 %.
  const scaled = (BigInt(known) * 10_000n) / BigInt(expected);
  return `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, '0')}`;
}
