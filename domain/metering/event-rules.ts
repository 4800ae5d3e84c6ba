import { INGEST_LIMITS } from './ingest-limits';

/**
 * One usage event as sent (our JSON shape) checked and normalised, without
 * the database: shape, identifiers, timestamp window, value and properties.
 * Whether the customer, subscription and event code exist is decided later,
 * against the tenant's data (services/metering/ingest-lookups.ts), and
 * whether the properties suit the code's metrics in event-metric-checks.ts.
 *
 * This runs for every event on the ingestion hot path, so it is written by
 * hand (one pass over the keys, no schema library) and collects every
 * problem of the event instead of stopping at the first.
 */
export interface EventFieldError {
  /** Relative to the event, e.g. `timestamp` or `properties.gb`. */
  field: string;
  code: string;
  message: string;
}

export interface NormalizedEvent {
  /** Position in the request (0 for a single event). */
  index: number;
  id: string;
  /** Exactly one of customer / accountId, or neither when a subscription names the account. */
  customer: string | null;
  accountId: string | null;
  subscription: string | null;
  subscriptionId: string | null;
  code: string;
  /** Milliseconds since the epoch (the timestamp floored to the millisecond). */
  occurredAtMs: number;
  /** The timestamp as PostgreSQL will read it: as sent, cut to microseconds. */
  occurredAt: string;
  /** Decimal text, or null. */
  value: string | null;
  properties: Record<string, unknown>;
  /** `properties` as stored (JSON text). */
  propertiesJson: string;
  /** Null for our shape; for a CloudEvent, the form its `data` had (errors name CloudEvents attributes, cloudevents.ts). */
  cloudEventData: 'none' | 'bare' | 'fields' | 'nested' | null;
}

export type EventCheck =
  | { ok: true; event: NormalizedEvent }
  /** `id` is the event's id when it had a usable one, so the result can name it. */
  | { ok: false; id: string | null; errors: EventFieldError[] };

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The event names billable metrics may use (services/catalog/metric-schemas.ts). */
const EVENT_CODE = /^[A-Za-z0-9_.:-]{1,100}$/;
const DECIMAL_TEXT = /^-?(?:0|[1-9]\d{0,39})(?:\.\d{1,20})?$/;
/** PostgreSQL stores neither NUL nor a lone UTF-16 surrogate (api/http/unstorable-text.ts). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Cheap first test: no NUL and no surrogate at all (nearly all text) cannot be unstorable. */
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;
/**
 * The same two in JSON text as JSON.stringify writes it: `\u0000`, or a
 * surrogate escape (well-formed JSON.stringify escapes only lone ones),
 * not preceded by an escaped backslash.
 */
const UNSTORABLE_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

const KNOWN_FIELDS = new Set(['id', 'customer', 'account_id', 'subscription', 'subscription_id', 'code', 'timestamp', 'value', 'properties']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in characters (code points), as PostgreSQL counts `length()`. */
function characters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** UTF-8 length of `text`, exact only up to `limit + 1` (enough to compare with the limit). */
function utf8BytesUpTo(text: string, limit: number): number {
  if (text.length > limit) return limit + 1;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** The number written by `count` ASCII digits at `at`, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Epoch milliseconds of an RFC 3339 date-time (`2026-11-25T12:00:00.123+02:00`,
 * `T`/`Z` in either case, 1-9 fraction digits, offset required), or null
 * when it is not one or names a day that does not exist. Read character by
 * character: it runs for every event, and a regular expression with ten
 * groups cost more than the rest of the event check.
 */
export function parseTimestamp(text: string): number | null {
  if (text.length < 20 || text.length > 35) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (text.charCodeAt(10) | 0x20) !== 116 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return null;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return null;
  }
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    const start = ++at;
    while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
    const count = at - start;
    if (count < 1 || count > 9) return null;
    ms = digitsAt(text, start, Math.min(count, 3)) * (count >= 3 ? 1 : count === 2 ? 10 : 100);
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(at);
  if ((zone | 0x20) === 122) {
    if (at + 1 !== text.length) return null;
  } else if (zone === 43 || zone === 45) {
    if (at + 6 !== text.length || text.charCodeAt(at + 3) !== 58) return null;
    const offsetHours = digitsAt(text, at + 1, 2);
    const offsetMins = digitsAt(text, at + 4, 2);
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return null;
    offsetMinutes = (offsetHours * 60 + offsetMins) * (zone === 45 ? -1 : 1);
  } else {
    return null;
  }
  // Date.UTC reads years 0-99 as 1900-1999; such instants are far outside any window anyway, but stay exact.
  let utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) {
    const date = new Date(utc);
    date.setUTCFullYear(year);
    utc = date.getTime();
  }
  return utc - offsetMinutes * 60_000;
}

/**
 * Cuts a fraction longer than PostgreSQL's microseconds, so the database does not round it into the
 * next second (or month). Only for text parseTimestamp accepted: a fraction starts at index 19.
 */
function microsecondText(text: string): string {
  if (text.charCodeAt(19) !== 46) return text;
  const dot = 19;
  let end = dot + 1;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end - dot - 1 <= 6 ? text : text.slice(0, dot + 7) + text.slice(end);
}

/** A JSON number or a decimal string as decimal text; null when neither. */
export function decimalText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return value;
  return null;
}

/** Whether decimalText would accept `value` (without making the text). */
export function isNumeric(value: unknown): boolean {
  return typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && DECIMAL_TEXT.test(value);
}

function textField(
  raw: Record<string, unknown>,
  name: string,
  maxLength: number,
  errors: EventFieldError[],
): string | null {
  const value = raw[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ field: name, code: 'invalid_type', message: 'must be a string' });
    return null;
  }
  if (value.length === 0) {
    errors.push({ field: name, code: 'too_small', message: 'must not be empty' });
    return null;
  }
  if (value.length > maxLength && characters(value) > maxLength) {
    errors.push({ field: name, code: 'too_big', message: `must be at most ${maxLength} characters` });
    return null;
  }
  if (MAYBE_UNSTORABLE.test(value) && UNSTORABLE.test(value)) {
    errors.push({ field: name, code: 'invalid_characters', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' });
    return null;
  }
  return value;
}

function uuidField(raw: Record<string, unknown>, name: string, errors: EventFieldError[]): string | null {
  const value = raw[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !UUID.test(value)) {
    errors.push({ field: name, code: 'invalid_format', message: 'must be a UUID' });
    return null;
  }
  return value.toLowerCase();
}

function checkTimestamp(value: unknown, nowMs: number, errors: EventFieldError[]): number | null {
  if (value === undefined || value === null) {
    errors.push({ field: 'timestamp', code: 'required', message: 'is required' });
    return null;
  }
  const ms = typeof value === 'string' ? parseTimestamp(value) : null;
  if (ms === null) {
    errors.push({ field: 'timestamp', code: 'invalid_format', message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-11-25T12:00:00Z' });
    return null;
  }
  if (ms > nowMs + INGEST_LIMITS.maxFutureSkewMs) {
    errors.push({ field: 'timestamp', code: 'too_far_in_future', message: 'must be at most 5 minutes after the time of the request' });
    return null;
  }
  if (ms < nowMs - INGEST_LIMITS.lateWindowMs) {
    errors.push({ field: 'timestamp', code: 'too_old', message: 'must be within the late-event window of 35 days before the time of the request' });
    return null;
  }
  return ms;
}

function checkProperties(value: unknown, errors: EventFieldError[]): { properties: Record<string, unknown>; json: string } | null {
  if (value === undefined || value === null) return { properties: {}, json: '{}' };
  if (!isPlainObject(value)) {
    errors.push({ field: 'properties', code: 'invalid_type', message: 'must be an object' });
    return null;
  }
  let keys = 0;
  for (const _ in value) keys++;
  if (keys > INGEST_LIMITS.maxPropertyKeys) {
    errors.push({ field: 'properties', code: 'too_big', message: `must have at most ${INGEST_LIMITS.maxPropertyKeys} keys` });
    return null;
  }
  const json = JSON.stringify(value);
  if (utf8BytesUpTo(json, INGEST_LIMITS.maxPropertiesBytes) > INGEST_LIMITS.maxPropertiesBytes) {
    errors.push({ field: 'properties', code: 'too_big', message: `must be at most ${INGEST_LIMITS.maxPropertiesBytes} bytes as JSON` });
    return null;
  }
  if (json.includes('\\u') && UNSTORABLE_JSON.test(json)) {
    errors.push({ field: 'properties', code: 'invalid_characters', message: 'must not contain NUL characters or unpaired UTF-16 surrogates' });
    return null;
  }
  return { properties: value, json };
}

/**
 * Checks one event of our JSON shape against the request's clock `nowMs`.
 * Exactly one way to name the customer (`customer` external id or
 * `account_id`) and at most one to name the subscription (`subscription`
 * external id or `subscription_id`); a subscription alone names its account.
 */
export function normalizeEvent(raw: unknown, index: number, nowMs: number): EventCheck {
  if (!isPlainObject(raw)) {
    return { ok: false, id: null, errors: [{ field: '', code: 'invalid_type', message: 'must be an object' }] };
  }
  const errors: EventFieldError[] = [];
  for (const key in raw) {
    if (!KNOWN_FIELDS.has(key)) errors.push({ field: key, code: 'unknown_field', message: 'is not a known field' });
  }

  const rawId = raw.id;
  const id = textField(raw, 'id', INGEST_LIMITS.maxIdLength, errors);
  if (rawId === undefined || rawId === null) errors.push({ field: 'id', code: 'required', message: 'is required' });

  const customer = textField(raw, 'customer', INGEST_LIMITS.maxExternalIdLength, errors);
  const accountId = uuidField(raw, 'account_id', errors);
  const subscription = textField(raw, 'subscription', INGEST_LIMITS.maxExternalIdLength, errors);
  const subscriptionId = uuidField(raw, 'subscription_id', errors);
  const hasCustomer = raw.customer !== undefined && raw.customer !== null;
  const hasAccountId = raw.account_id !== undefined && raw.account_id !== null;
  const hasSubscription = raw.subscription !== undefined && raw.subscription !== null;
  const hasSubscriptionId = raw.subscription_id !== undefined && raw.subscription_id !== null;
  if (hasCustomer && hasAccountId) {
    errors.push({ field: 'account_id', code: 'conflict', message: 'name the customer by customer or by account_id, not both' });
  }
  if (hasSubscription && hasSubscriptionId) {
    errors.push({ field: 'subscription_id', code: 'conflict', message: 'name the subscription by subscription or by subscription_id, not both' });
  }
  if (!hasCustomer && !hasAccountId && !hasSubscription && !hasSubscriptionId) {
    errors.push({ field: 'customer', code: 'required', message: 'one of customer, account_id, subscription or subscription_id is required' });
  }

  let code: string | null = null;
  if (raw.code === undefined || raw.code === null) errors.push({ field: 'code', code: 'required', message: 'is required' });
  else if (typeof raw.code !== 'string' || !EVENT_CODE.test(raw.code)) {
    errors.push({ field: 'code', code: 'invalid_format', message: 'must be 1-100 letters, digits, "_", ".", ":" or "-"' });
  } else code = raw.code;

  const occurredAtMs = checkTimestamp(raw.timestamp, nowMs, errors);

  let value: string | null = null;
  if (raw.value !== undefined && raw.value !== null) {
    value = decimalText(raw.value);
    if (value === null) errors.push({ field: 'value', code: 'not_numeric', message: 'must be a number or a decimal string such as "12.5"' });
  }

  const properties = checkProperties(raw.properties, errors);

  if (errors.length > 0 || id === null || code === null || occurredAtMs === null || properties === null) {
    return { ok: false, id, errors };
  }
  return {
    ok: true,
    event: {
      index,
      id,
      customer,
      accountId,
      subscription,
      subscriptionId,
      code,
      occurredAtMs,
      occurredAt: microsecondText(raw.timestamp as string),
      value,
      properties: properties.properties,
      propertiesJson: properties.json,
      cloudEventData: null,
    },
  };
}
