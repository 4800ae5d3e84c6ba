import { normalizeEvent, type EventCheck, type EventFieldError, type NormalizedEvent } from './event-rules';

/**
 * CloudEvents 1.0 in structured JSON mode, mapped onto our event shape:
 *   id → id, type → code, time → timestamp, subject → customer (account
 *   external id), extension `rackratesubscription` → subscription (external
 *   id), data → value and properties.
 * `data` may be `{ "value": …, "properties": { … } }`, or an object whose
 * fields are the properties (a `value` field among them is the value), or a
 * bare number (the value). Errors name the CloudEvents attribute, so a
 * producer can find what to fix. Other extension attributes are allowed and
 * ignored, as the specification asks of consumers that do not know them.
 */
export function isCloudEvent(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'specversion' in raw;
}

export type CloudEventDataForm = 'none' | 'bare' | 'fields' | 'nested';

const RENAMED: Record<string, string> = {
  id: 'id',
  code: 'type',
  timestamp: 'time',
  customer: 'subject',
  subscription: 'rackratesubscription',
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dataForm(data: unknown): CloudEventDataForm {
  if (data === undefined || data === null) return 'none';
  if (!isPlainObject(data)) return 'bare';
  for (const key in data) if (key !== 'value' && key !== 'properties') return 'fields';
  return isPlainObject(data.properties) ? 'nested' : 'fields';
}

/** Our field name → the CloudEvents attribute (or the place inside `data`) it came from. */
function cloudEventField(field: string, form: CloudEventDataForm): string {
  const renamed = RENAMED[field];
  if (renamed !== undefined) return renamed;
  if (field === 'value') return form === 'bare' ? 'data' : 'data.value';
  if (field === 'properties') return form === 'nested' ? 'data.properties' : 'data';
  if (field.startsWith('properties.')) return form === 'nested' ? `data.${field}` : `data.${field.slice('properties.'.length)}`;
  return field;
}

/** Checks one structured-mode CloudEvent; errors name CloudEvents attributes. */
export function normalizeCloudEvent(raw: Record<string, unknown>, index: number, nowMs: number): EventCheck {
  const errors: EventFieldError[] = [];
  if (raw.specversion !== '1.0') errors.push({ field: 'specversion', code: 'invalid_value', message: 'must be "1.0"' });
  if (typeof raw.source !== 'string' || raw.source.length === 0) {
    errors.push({ field: 'source', code: raw.source === undefined ? 'required' : 'invalid_type', message: 'must be a non-empty URI-reference' });
  }
  const contentType = raw.datacontenttype;
  if (contentType !== undefined && (typeof contentType !== 'string' || !/^application\/(?:[\w.+-]+\+)?json(?:;.*)?$/i.test(contentType))) {
    errors.push({ field: 'datacontenttype', code: 'unsupported', message: 'must be application/json (or absent): data is read as JSON' });
  }
  if (raw.data_base64 !== undefined) {
    errors.push({ field: 'data_base64', code: 'unsupported', message: 'is not supported; send data as JSON' });
  }

  const form = dataForm(raw.data);
  const data = raw.data;
  const event: Record<string, unknown> = {
    id: raw.id,
    code: raw.type,
    timestamp: raw.time,
    customer: raw.subject,
    subscription: raw.rackratesubscription,
  };
  if (form === 'bare') event.value = data;
  else if (form === 'nested') {
    const nested = data as { value?: unknown; properties: unknown };
    event.value = nested.value;
    event.properties = nested.properties;
  } else if (form === 'fields') {
    const properties: Record<string, unknown> = {};
    for (const key in data as Record<string, unknown>) {
      if (key === 'value') event.value = (data as Record<string, unknown>).value;
      else properties[key] = (data as Record<string, unknown>)[key];
    }
    event.properties = properties;
  }

  const checked = normalizeEvent(event, index, nowMs);
  if (checked.ok && errors.length === 0) {
    checked.event.cloudEventData = form;
    return checked;
  }
  for (const error of checked.ok ? [] : checked.errors) {
    const field = cloudEventField(error.field, form);
    const message = error.field === 'customer' && error.code === 'required' ? 'subject or rackratesubscription is required' : error.message;
    errors.push({ ...error, field, message });
  }
  return { ok: false, id: checked.ok ? checked.event.id : checked.id, errors };
}

/** The name of one of our fields in the event as it was sent: itself, or its CloudEvents attribute. */
export function sentFieldName(event: NormalizedEvent, field: string): string {
  return event.cloudEventData === null ? field : cloudEventField(field, event.cloudEventData);
}
