import { isCloudEvent, normalizeCloudEvent, sentFieldName } from '../../../domain/metering/cloudevents';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const ce = { specversion: '1.0', id: 'ce-1', source: '/agents/ams1', type: 'interface.bytes', time: '2026-11-25T11:00:00Z', subject: 'CRM-1' };

function normalized(raw: Record<string, unknown>) {
  const checked = normalizeCloudEvent(raw, 2, NOW);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  const { id, customer, subscription, code, occurredAt, value, properties, index } = checked.event;
  return { index, id, customer, subscription, code, occurredAt, value, properties };
}

function problems(raw: Record<string, unknown>): string[] {
  const checked = normalizeCloudEvent(raw, 0, NOW);
  return checked.ok ? [] : checked.errors.map((e) => `${e.field} ${e.code}`);
}

describe('CloudEvents 1.0 structured mode', () => {
  it('is recognised by its specversion attribute', () => {
    expect(isCloudEvent(ce)).toBe(true);
    expect(isCloudEvent({ id: 'x', code: 'y' })).toBe(false);
    expect(isCloudEvent([ce])).toBe(false);
  });

  it('maps the attributes onto our event', () => {
    expect(normalized({ ...ce, data: { gb: 2, port: 'xe-0/0/1' } })).toEqual({
      index: 2, id: 'ce-1', customer: 'CRM-1', subscription: null, code: 'interface.bytes', occurredAt: '2026-11-25T11:00:00Z',
      value: null, properties: { gb: 2, port: 'xe-0/0/1' },
    });
  });

  it.each([
    ['data fields, value among them', { value: '7.5', gb: 1 }, '7.5', { gb: 1 }],
    ['data {value, properties}', { value: 3, properties: { gb: 1 } }, '3', { gb: 1 }],
    ['data {properties} alone', { properties: { gb: 1 } }, null, { gb: 1 }],
    ['data with "properties" that is not an object: a property like any other', { properties: 'x', gb: 1 }, null, { properties: 'x', gb: 1 }],
    ['a bare number', 42, '42', {}],
    ['no data', undefined, null, {}],
  ])('reads %s', (_name, data, value, properties) => {
    expect(normalized({ ...ce, data })).toMatchObject({ value, properties });
  });

  it('takes the subscription from the rackratesubscription extension and ignores other extensions', () => {
    const { subject: _subject, ...noSubject } = ce;
    expect(normalized({ ...noSubject, rackratesubscription: 'SUB-1', traceparent: '00-x' })).toMatchObject({ customer: null, subscription: 'SUB-1' });
  });

  it.each([
    ['a missing time', { ...ce, time: undefined }, ['time required']],
    ['a time too far ahead', { ...ce, time: '2026-11-25T13:00:00Z' }, ['time too_far_in_future']],
    ['a missing type', { ...ce, type: undefined }, ['type required']],
    ['another spec version', { ...ce, specversion: '0.3' }, ['specversion invalid_value']],
    ['no source', { ...ce, source: undefined }, ['source required']],
    ['no subject nor subscription', { ...ce, subject: undefined }, ['subject required']],
    ['an XML payload', { ...ce, datacontenttype: 'application/xml' }, ['datacontenttype unsupported']],
    ['binary data', { ...ce, data_base64: 'AAAA' }, ['data_base64 unsupported']],
    ['a non-numeric bare value', { ...ce, data: 'lots' }, ['data not_numeric']],
    ['a non-numeric value field', { ...ce, data: { value: 'lots' } }, ['data.value not_numeric']],
    ['data that is a list', { ...ce, data: [1, 2] }, ['data not_numeric']],
  ])('refuses %s, naming the CloudEvents attribute', (_name, raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });

  it('accepts a JSON datacontenttype with parameters', () => {
    expect(problems({ ...ce, datacontenttype: 'application/json; charset=utf-8' })).toEqual([]);
    expect(problems({ ...ce, datacontenttype: 'application/vnd.acme+json' })).toEqual([]);
  });

  it('names later (metric) errors where the field sat in the CloudEvent', () => {
    for (const [data, field, expected] of [
      [{ gb: 'x' }, 'properties.gb', 'data.gb'],
      [{ properties: { gb: 'x' } }, 'properties.gb', 'data.properties.gb'],
      [5, 'value', 'data'],
      [{ value: 5 }, 'value', 'data.value'],
      [{ gb: 1 }, 'customer', 'subject'],
      [{ gb: 1 }, 'code', 'type'],
    ] as const) {
      const checked = normalizeCloudEvent({ ...ce, data }, 0, NOW);
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      expect(sentFieldName(checked.event, field)).toBe(expected);
    }
  });
});
