import { z } from 'zod';
import { Decimal } from '../money/decimal';

/**
 * Catalogue numbers travel as decimal strings ("12.50", never 12.5) so no
 * binary float touches a price; these schemas check the text and hand the
 * rating engine a Decimal. Up to 15 integer and 12 fraction digits: unit
 * prices such as 0.000000450000 per API call fit, and so do large quantities.
 */
const DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{1,12})?$/;

export const decimalText = z
  .string()
  .regex(DECIMAL, 'must be a decimal number written as a string, e.g. "12.50"')
  .meta({ example: '12.50' });

/** Later checks run even when the format check failed (zod 4), so each guards itself. */
const valid = (text: string) => DECIMAL.test(text);

export const decimal = decimalText.transform((text) => new Decimal(text));

/** Prices and quantities in a catalogue: zero or more. */
export const nonNegativeDecimal = decimalText
  .refine((text) => !valid(text) || !text.startsWith('-'), 'must not be negative')
  .transform((text) => new Decimal(text));

export const positiveDecimal = decimalText
  .refine((text) => !valid(text) || (!text.startsWith('-') && !new Decimal(text).isZero()), 'must be greater than zero')
  .transform((text) => new Decimal(text));

/** A percentage between 0 and 100 inclusive, e.g. "2.9". */
export const percent = decimalText
  .refine((text) => {
    if (!valid(text)) return true;
    const value = new Decimal(text);
    return value.greaterThanOrEqualTo(0) && value.lessThanOrEqualTo(100);
  }, 'must be between 0 and 100')
  .transform((text) => new Decimal(text));

/**
 * A decimal that must also satisfy `rule` (e.g. a power factor in (0, 1]).
 * The rule only sees text that parsed, so a malformed value gets the format
 * message, never an exception.
 */
export function decimalWhere(rule: (value: Decimal) => boolean, message: string) {
  return decimalText.refine((text) => !valid(text) || rule(new Decimal(text)), message).transform((text) => new Decimal(text));
}
