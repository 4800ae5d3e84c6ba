import fc from 'fast-check';
import { compileMetricRule, metricErrors } from '../../../domain/metering/event-metric-checks';
import { normalizeEvent, parseTimestamp, type NormalizedEvent } from '../../../domain/metering/event-rules';
import { INGEST_LIMITS } from '../../../domain/metering/ingest-limits';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const base = { id: 'evt-1', customer: 'CRM-1', code: 'interface.bytes', timestamp: '2026-11-25T11:00:00Z' };

function ok(raw: unknown): NormalizedEvent {
  const checked = normalizeEvent(raw, 0, NOW);
  if (!checked.ok) throw new Error(`expected ok, got ${JSON.stringify(checked.errors)}`);
  return checked.event;
}

function problems(raw: unknown): string[] {
  const checked = normalizeEvent(raw, 0, NOW);
  return checked.ok ? [] : checked.errors.map((e) => `${e.field} ${e.code}`);
}

describe('normalizeEvent', () => {
  it('normalises a full event', () => {
    expect(ok({ ...base, value: 12.5, properties: { gb: '3', port: 'xe-0/0/1' } })).toEqual({
      index: 0, id: 'evt-1', customer: 'CRM-1', accountId: null, subscription: null, subscriptionId: null,
      code: 'interface.bytes', occurredAtMs: Date.parse('2026-11-25T11:00:00Z'), occurredAt: '2026-11-25T11:00:00Z',
      value: '12.5', properties: { gb: '3', port: 'xe-0/0/1' }, propertiesJson: '{"gb":"3","port":"xe-0/0/1"}', cloudEventData: null,
    });
  });

  it.each([
    ['missing id', { ...base, id: undefined }, ['id required']],
    ['empty id', { ...base, id: '' }, ['id too_small']],
    ['numeric id', { ...base, id: 7 }, ['id invalid_type']],
    ['id over 200 characters', { ...base, id: 'x'.repeat(201) }, ['id too_big']],
    ['missing timestamp', { ...base, timestamp: undefined }, ['timestamp required']],
    ['timestamp without offset', { ...base, timestamp: '2026-11-25T11:00:00' }, ['timestamp invalid_format']],
    ['date only', { ...base, timestamp: '2026-11-25' }, ['timestamp invalid_format']],
    ['day that does not exist', { ...base, timestamp: '2026-11-31T11:00:00Z' }, ['timestamp invalid_format']],
    ['epoch number', { ...base, timestamp: 1764068400000 }, ['timestamp invalid_format']],
    ['more than 5 minutes ahead', { ...base, timestamp: '2026-11-25T12:05:00.001Z' }, ['timestamp too_far_in_future']],
    ['older than 35 days', { ...base, timestamp: '2026-10-21T11:59:59.999Z' }, ['timestamp too_old']],
    ['non-numeric value', { ...base, value: 'twelve' }, ['value not_numeric']],
    ['value with a comma', { ...base, value: '1,5' }, ['value not_numeric']],
    ['value as boolean', { ...base, value: true }, ['value not_numeric']],
    ['missing code', { ...base, code: undefined }, ['code required']],
    ['code with spaces', { ...base, code: 'interface bytes' }, ['code invalid_format']],
    ['no customer or subscription', { ...base, customer: undefined }, ['customer required']],
    ['customer and account_id', { ...base, account_id: '0199a2b4-0000-7000-8000-000000000001' }, ['account_id conflict']],
    ['subscription and subscription_id', { ...base, subscription: 'S', subscription_id: '0199a2b4-0000-7000-8000-000000000001' }, ['subscription_id conflict']],
    ['account_id not a uuid', { ...base, customer: undefined, account_id: 'acct-1' }, ['account_id invalid_format']],
    ['unknown field', { ...base, colour: 'blue' }, ['colour unknown_field']],
    ['properties an array', { ...base, properties: [1] }, ['properties invalid_type']],
    ['NUL in customer', { ...base, customer: 'a\u0000b' }, ['customer invalid_characters']],
    ['NUL in properties', { ...base, properties: { a: { b: 'x\u0000' } } }, ['properties invalid_characters']],
    ['lone surrogate in a property key', { ...base, properties: { ['\uD800k']: 1 } }, ['properties invalid_characters']],
    ['51 property keys', { ...base, properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 1])) }, ['properties too_big']],
    ['properties over 8 KiB', { ...base, properties: { text: 'é'.repeat(4100) } }, ['properties too_big']],
  ])('refuses %s', (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it('reports every problem of an event at once', () => {
    expect(problems({ code: 'a b', value: 'x', extra: 1 })).toEqual([
      'extra unknown_field', 'id required', 'customer required', 'code invalid_format', 'timestamp required', 'value not_numeric',
    ]);
  });

  it('keeps the id of a refused event when it has a usable one', () => {
    expect(normalizeEvent({ ...base, timestamp: undefined }, 3, NOW)).toMatchObject({ ok: false, id: 'evt-1' });
    expect(normalizeEvent({ ...base, id: '' }, 3, NOW)).toMatchObject({ ok: false, id: null });
    expect(normalizeEvent('evt', 3, NOW)).toEqual({ ok: false, id: null, errors: [{ field: '', code: 'invalid_type', message: 'must be an object' }] });
  });

  it('accepts the edges of the window, both ways of naming, and escaped text that merely looks unstorable', () => {
    expect(ok({ ...base, timestamp: '2026-11-25T12:05:00Z' }).occurredAtMs).toBe(NOW + INGEST_LIMITS.maxFutureSkewMs);
    expect(ok({ ...base, timestamp: '2026-10-21T12:00:00Z' }).occurredAtMs).toBe(NOW - INGEST_LIMITS.lateWindowMs);
    expect(ok({ ...base, id: 'x'.repeat(200) }).id).toHaveLength(200);
    // 200 characters, 400 UTF-16 units.
    expect(ok({ ...base, id: '😀'.repeat(200) }).id).toHaveLength(400);
    expect(ok({ ...base, customer: undefined, account_id: '0199A2B4-0000-7000-8000-00000000000A' }).accountId).toBe('0199a2b4-0000-7000-8000-00000000000a');
    expect(ok({ ...base, customer: undefined, subscription: 'SUB-1' }).subscription).toBe('SUB-1');
    expect(ok({ ...base, properties: { path: 'C:\\u0000' } }).propertiesJson).toBe('{"path":"C:\\\\u0000"}');
    expect(ok({ ...base, properties: { text: 'a'.repeat(8180) } }).properties.text).toHaveLength(8180);
    expect(ok({ ...base, value: '-0.000001' }).value).toBe('-0.000001');
    expect(ok({ ...base, value: 1e21 }).value).toBe('1e+21');
  });

  it('reads offsets and fractions as RFC 3339 says, keeping microseconds for the database', () => {
    const event = ok({ ...base, timestamp: '2026-11-25T13:30:00.123456789+02:30' });
    expect(event.occurredAtMs).toBe(Date.parse('2026-11-25T11:00:00.123Z'));
    expect(event.occurredAt).toBe('2026-11-25T13:30:00.123456+02:30');
    expect(parseTimestamp('2024-02-29T00:00:00z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseTimestamp('2025-02-29T00:00:00Z')).toBeNull();
    expect(parseTimestamp('2026-11-25T24:00:00Z')).toBeNull();
    expect(parseTimestamp('2026-11-25T23:59:60Z')).toBeNull();
  });

  it('parses every instant as Date does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), (date, offset) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(parseTimestamp(text)).toBe(date.getTime());
      }),
    );
  });
});

describe('metricErrors', () => {
  const rule = (aggregation: object, filters: object[] = []) =>
    compileMetricRule({ code: 'm', eventName: 'interface.bytes', aggregation: aggregation as never, filters: filters as never });
  const errorsOf = (properties: Record<string, unknown>, rules: ReturnType<typeof rule>[], value?: unknown) =>
    metricErrors(ok({ ...base, properties, ...(value === undefined ? {} : { value }) }), rules).map((e) => `${e.field} ${e.code}`);

  it.each([
    ['count needs nothing', { type: 'count' }, {}, undefined, []],
    ['sum of a property: a number', { type: 'sum', property: 'gb' }, { gb: 2 }, undefined, []],
    ['sum of a property: a decimal string', { type: 'sum', property: 'gb' }, { gb: '2.5' }, undefined, []],
    ['sum of a missing property', { type: 'sum', property: 'gb' }, {}, undefined, ['properties.gb required']],
    ['sum of a word', { type: 'sum', property: 'gb' }, { gb: 'two' }, undefined, ['properties.gb not_numeric']],
    ['sum of value', { type: 'sum', property: 'value' }, {}, 3, []],
    ['sum of a missing value', { type: 'sum', property: 'value' }, {}, undefined, ['value required']],
    ['max of a nested property', { type: 'max', property: 'pdu.kw' }, { pdu: { kw: 4.2 } }, undefined, []],
    ['max of a nested property in a string', { type: 'max', property: 'pdu.kw' }, { pdu: 'x' }, undefined, ['properties.pdu.kw required']],
    ['unique count of a string', { type: 'unique_count', property: 'ip' }, { ip: '192.0.2.1' }, undefined, []],
    ['unique count of an object', { type: 'unique_count', property: 'ip' }, { ip: { v: 4 } }, undefined, ['properties.ip invalid_type']],
    ['percentile with both directions', { type: 'percentile', property: 'bps', percentile: '95', window_minutes: 5 }, { bps: { in: 10, out: 0 } }, undefined, []],
    ['percentile with one direction', { type: 'percentile', property: 'bps', percentile: '95', window_minutes: 5 }, { bps: { out: 7 } }, undefined, []],
    ['percentile with none', { type: 'percentile', property: 'bps', percentile: '95', window_minutes: 5 }, { bps: {} }, undefined, ['properties.bps required']],
    ['percentile with a negative rate', { type: 'percentile', property: 'bps', percentile: '95', window_minutes: 5 }, { bps: { in: -1, out: '3' } }, undefined, ['properties.bps.in not_numeric', 'properties.bps.out not_numeric']],
    ['percentile as a bare number', { type: 'percentile', property: 'bps', percentile: '95', window_minutes: 5 }, { bps: 10 }, undefined, ['properties.bps invalid_sample']],
  ])('%s', (_name, aggregation, properties, value, expected) => {
    expect(errorsOf(properties, [rule(aggregation)], value)).toEqual(expected);
  });

  it('holds an event only to the metrics whose filters certainly include it', () => {
    const ams = rule({ type: 'sum', property: 'gb' }, [{ property: 'region', operator: 'eq', values: ['ams1'] }]);
    const notLab = rule({ type: 'sum', property: 'kwh' }, [{ property: 'site', operator: 'not_in', values: ['lab'] }]);
    expect(errorsOf({ region: 'ams1' }, [ams])).toEqual(['properties.gb required']);
    expect(errorsOf({ region: 'fra1' }, [ams])).toEqual([]);
    expect(errorsOf({}, [ams])).toEqual([]);
    expect(errorsOf({ site: 'prod' }, [notLab])).toEqual(['properties.kwh required']);
    expect(errorsOf({ site: 'lab' }, [notLab])).toEqual([]);
    expect(errorsOf({}, [notLab])).toEqual([]);
  });

  it('names a field once when several metrics need it', () => {
    expect(errorsOf({ gb: 'x' }, [rule({ type: 'sum', property: 'gb' }), rule({ type: 'max', property: 'gb' }), rule({ type: 'count' })])).toEqual([
      'properties.gb not_numeric',
    ]);
  });
});
