import { Decimal } from '../money/decimal';

/**
 * Catalogue documents are stored as their validated, normalised form: zod
 * fills defaults, and decimals are written back as plain strings ("12.50"
 * becomes "12.5"), so the stored JSON, the API's answer and a catalogue
 * export all read the same, and comparing two documents compares meaning.
 */
export type Normalized<T> = T extends Decimal
  ? string
  : T extends Date
    ? string
    : T extends ReadonlyArray<infer U>
      ? Normalized<U>[]
      : T extends object
        ? { [K in keyof T]: Normalized<T[K]> }
        : T;

export function normalize<T>(value: T): Normalized<T> {
  return normalizeValue(value) as Normalized<T>;
}

function normalizeValue(value: unknown): unknown {
  if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) out[key] = normalizeValue(inner);
    return out;
  }
  return value;
}
