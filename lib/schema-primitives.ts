import { z } from 'zod';
import { COUNTRY_CODES } from '../domain/geo/countries';
import { CURRENCY_CODES } from '../domain/money/currencies';
import { isTimeZone } from '../domain/time/time-zones';

/**
 * Field types shared by request schemas. Each rejects with a message that
 * states the rule, because the message reaches the API caller verbatim.
 */

/** Free text that must not be blank or padded: we never trim silently. */
export function text(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^\S(?:[\s\S]*\S)?$/, 'must not start or end with whitespace');
}

export const uuid = z.uuid({ message: 'must be a UUID' });

// Enumerated (not pattern + lookup) so the OpenAPI document lists the allowed codes.
export const currencyCode = z
  .enum(CURRENCY_CODES, { error: 'must be an ISO 4217 currency code Rackrate can bill in, such as USD' })
  .meta({ description: 'ISO 4217 currency code', example: 'USD' });

export const countryCode = z
  .enum(COUNTRY_CODES, { error: 'must be an ISO 3166-1 alpha-2 country code such as US' })
  .meta({ description: 'ISO 3166-1 alpha-2 country code', example: 'US' });

export const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as America/New_York')
  .meta({ description: 'IANA time zone', example: 'America/New_York' });

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export const locale = z
  .string()
  .max(35)
  .refine(isLocale, 'must be a BCP 47 language tag such as en-US')
  .meta({ description: 'BCP 47 language tag for invoices and e-mail', example: 'en-US' });

export const email = z.email({ message: 'must be an e-mail address' }).max(254);

export const timestamp = z.iso.datetime({ offset: true }).meta({ example: '2026-11-25T12:00:00.000Z' });

/**
 * Values by currency (a price book, amounts off, minimums), e.g. `{ "USD": …, "EUR": … }`. The keys
 * are checked against the currency list here rather than as a 150-value enum, so the OpenAPI
 * document states the value schema once instead of once per currency.
 */
export function perCurrency<T extends z.ZodType>(value: T) {
  return z
    .record(z.string().regex(/^[A-Z]{3}$/, 'keys must be three-letter upper-case ISO 4217 codes such as USD'), value)
    .superRefine((record, ctx) => {
      for (const key of Object.keys(record)) {
        if (/^[A-Z]{3}$/.test(key) && !CURRENCY_CODES.includes(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is not an ISO 4217 currency Rackrate can bill in' });
        }
      }
    })
    .meta({ description: 'By ISO 4217 currency code.', propertyNames: { pattern: '^[A-Z]{3}$' } });
}
