import { z } from 'zod';
import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';
import { timestamp, uuid } from '../../lib/schema-primitives';

/**
 * Wire shapes of event ingestion. The request schemas are documented in
 * OpenAPI but not applied: the ingestion routes check events by hand
 * (domain/metering/event-rules.ts), event by event, because a zod parse of
 * 10,000 events would cost more than writing them. The response schemas are
 * the ordinary contract (and the tests check every response against them).
 */
const eventCode = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
  .meta({ description: 'The event name of one or more billable metrics.', example: 'interface.bytes' });

const numeric = z
  .union([z.number(), z.string().regex(/^-?(?:0|[1-9]\d{0,39})(?:\.\d{1,20})?$/)])
  .meta({ description: 'A number, or a decimal string for exact values beyond 2^53.', example: '12.5' });

export const usageEventSchema = z
  .strictObject({
    id: z.string().min(1).max(INGEST_LIMITS.maxIdLength).meta({ description: 'Your id for the event: its idempotency key, unique per tenant.' }),
    customer: z.string().min(1).max(INGEST_LIMITS.maxExternalIdLength).optional().meta({ description: "The account's external_id." }),
    account_id: uuid.optional().meta({ description: 'The account, by Rackrate id (instead of customer).' }),
    subscription: z.string().min(1).max(INGEST_LIMITS.maxExternalIdLength).optional().meta({ description: "The subscription's external_id; names its account too." }),
    subscription_id: uuid.optional().meta({ description: 'The subscription, by Rackrate id (instead of subscription).' }),
    code: eventCode,
    timestamp: timestamp.meta({ description: 'When it happened: RFC 3339 with an offset, at most 5 minutes ahead and 35 days behind the request.' }),
    value: numeric.optional().meta({ description: 'What metrics with property "value" aggregate.' }),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: `At most ${INGEST_LIMITS.maxPropertyKeys} keys and ${INGEST_LIMITS.maxPropertiesBytes} bytes of JSON. Rate samples for percentile metrics: {"<property>": {"in": bit/s, "out": bit/s}}.` }),
  })
  .meta({
    id: 'UsageEvent',
    description: 'One usage event. Name the customer (customer or account_id), the subscription (subscription or subscription_id), or both.',
    example: { id: 'evt-0001', customer: 'CRM-1002', code: 'interface.bytes', timestamp: '2026-11-25T12:00:00Z', properties: { gb: 12.5, port: 'xe-0/0/1' } },
  });

export const cloudEventSchema = z
  .looseObject({
    specversion: z.literal('1.0'),
    id: z.string().min(1).max(INGEST_LIMITS.maxIdLength),
    source: z.string().min(1),
    type: eventCode,
    time: timestamp,
    subject: z.string().min(1).optional().meta({ description: "The account's external_id." }),
    rackratesubscription: z.string().min(1).optional().meta({ description: "Extension: the subscription's external_id." }),
    datacontenttype: z.string().optional(),
    data: z
      .union([numeric, z.record(z.string(), z.unknown())])
      .optional()
      .meta({ description: 'The value (a number), or the properties (a "value" field among them is the value), or {"value": …, "properties": {…}}.' }),
  })
  .meta({ id: 'CloudEvent', description: 'A CloudEvents 1.0 event in structured JSON mode. Other extension attributes are ignored.' });

// Any item is taken into the batch and judged on its own (a result per item), so the documented item
// schema admits anything beside the two event shapes: an invalid item gets `rejected`, not a 400.
const anyItem = z.union([
  usageEventSchema,
  cloudEventSchema,
  z.unknown().meta({ description: 'Anything else is answered with status "rejected" and the reasons.' }),
]);
const events = z.array(anyItem).max(INGEST_LIMITS.maxBatchEvents);

export const eventBatchSchema = z
  .union([events, z.strictObject({ events })])
  .meta({ id: 'UsageEventBatch', description: `Up to ${INGEST_LIMITS.maxBatchEvents} events, as an array or as {"events": [...]}.` });

export const eventErrorSchema = z
  .strictObject({
    field: z.string().meta({ example: 'timestamp' }),
    code: z.string().meta({ example: 'too_old' }),
    message: z.string(),
  })
  .meta({ id: 'UsageEventError' });

export const eventResultSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(['accepted', 'duplicate']),
    subscription_id: uuid.nullable().meta({ description: 'The subscription it is billed to; null when unattributed, and for a duplicate (the first copy keeps its attribution).' }),
  })
  .meta({ id: 'UsageEventResult' });

const batchItem = z.discriminatedUnion('status', [
  z.strictObject({ index: z.int(), id: z.string(), status: z.literal('accepted'), subscription_id: uuid.nullable() }),
  z.strictObject({ index: z.int(), id: z.string(), status: z.literal('duplicate') }),
  z.strictObject({ index: z.int(), id: z.string().nullable(), status: z.literal('rejected'), errors: z.array(eventErrorSchema) }),
]);

export const eventBatchResultSchema = z
  .strictObject({
    accepted: z.int().min(0),
    duplicates: z.int().min(0),
    rejected: z.int().min(0),
    results: z.array(batchItem).meta({ description: 'One per event, in request order.' }),
  })
  .meta({ id: 'UsageEventBatchResult' });
