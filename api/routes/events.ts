import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';
import { RackrateError, type FieldError } from '../../lib/errors';
import { ensureUsagePartitions } from '../../services/metering/event-partitions';
import {
  cloudEventSchema,
  eventBatchResultSchema,
  eventBatchSchema,
  eventResultSchema,
  usageEventSchema,
} from '../../services/metering/event-schemas';
import { ingestEvents } from '../../services/metering/ingest';
import type { AppDeps } from '../routing/route';
import { tenantRoute } from '../routing/route';

/**
 * Usage event ingestion (docs/metering.md). Keys with the `ingest` (or
 * `admin`) scope. Events are checked by hand, event by event (the documented
 * schemas are not applied: see services/metering/event-schemas.ts); an
 * event's id is its idempotency key, so these routes ignore Idempotency-Key.
 * A batch is stored in one transaction: all its accepted events or none.
 */
const tags = ['Usage events'];
const SINGLE_LIMIT_BYTES = 1024 * 1024;

function invalidBody(field: string, code: string, message: string): RackrateError {
  const error: FieldError = { in: 'body', field, code, message };
  return new RackrateError('validation_failed', `${field || 'body'}: ${message}`, { errors: [error] });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The events of a batch body: a JSON array, or {"events": [...]}. */
function batchEvents(body: unknown): unknown[] {
  if (body === undefined) throw invalidBody('', 'required', 'a JSON request body is required');
  const events = Array.isArray(body) ? body : isPlainObject(body) ? body.events : undefined;
  const field = Array.isArray(body) ? '' : 'events';
  if (isPlainObject(body)) {
    const extra = Object.keys(body).filter((k) => k !== 'events');
    if (extra.length > 0) {
      throw new RackrateError('validation_failed', `${extra.join(', ')}: is not a known field`, {
        errors: extra.map((k) => ({ in: 'body' as const, field: k, code: 'unknown_field', message: 'is not a known field' })),
      });
    }
  }
  if (!Array.isArray(events)) {
    throw invalidBody(field, events === undefined && isPlainObject(body) ? 'required' : 'invalid_type', 'must be an array of events (or the body an object {"events": [...]})');
  }
  if (events.length > INGEST_LIMITS.maxBatchEvents) {
    throw invalidBody(field, 'too_big', `must have at most ${INGEST_LIMITS.maxBatchEvents} events (this batch has ${events.length}); split it`);
  }
  return events;
}

const ensurePartitions = (deps: AppDeps, now: Date) => ensureUsagePartitions(deps.dataSource, now);

export const eventRoutes = [
  tenantRoute({
    method: 'post',
    path: '/v1/events',
    operationId: 'ingestEvent',
    summary: 'Send a usage event',
    description:
      'Stores one usage event (our JSON shape, or a CloudEvent as application/cloudevents+json). ' +
      'Answers 202 with `status: accepted`, or `duplicate` when the id was stored before (counted once); ' +
      'a refused event gets 422 `event_rejected` naming every bad field. Idempotency-Key is ignored: the event id is the key.',
    tags,
    auth: 'tenant',
    permission: 'ingest',
    bulkBody: {
      limitBytes: SINGLE_LIMIT_BYTES,
      mediaTypes: { 'application/json': usageEventSchema, 'application/cloudevents+json': cloudEventSchema },
    },
    idempotencyKey: 'ignored',
    beforeTransaction: ensurePartitions,
    success: { status: 202, description: 'The event is stored (or was already)', schema: eventResultSchema },
    errors: ['event_rejected'],
    async handler({ tx, tenantId, now, bulkBody }) {
      if (bulkBody === undefined) throw invalidBody('', 'required', 'a JSON request body is required');
      if (!isPlainObject(bulkBody)) throw invalidBody('', 'invalid_type', 'must be one event (an object); send several to /v1/events/batch');
      const outcome = await ingestEvents(tx, { tenantId, now, events: [bulkBody] });
      const result = outcome.results[0]!;
      if (result.status === 'rejected') {
        throw new RackrateError('event_rejected', result.errors.map((e) => `${e.field || 'event'}: ${e.message}`).join('; '), {
          errors: result.errors.map((e) => ({ in: 'body', ...e })),
        });
      }
      return {
        status: 202,
        body: { id: result.id, status: result.status, subscription_id: result.status === 'accepted' ? result.subscription_id : null },
      };
    },
  }),
  tenantRoute({
    method: 'post',
    path: '/v1/events/batch',
    operationId: 'ingestEventBatch',
    summary: 'Send a batch of usage events',
    description:
      `Up to ${INGEST_LIMITS.maxBatchEvents} events and ${INGEST_LIMITS.maxBodyBytes / 1024 / 1024} MiB per request, as a JSON array ` +
      '(our shape or CloudEvents, also as application/cloudevents-batch+json) or as {"events": [...]}. ' +
      'Each event is accepted, a duplicate (id stored before, or earlier in the batch: counted once) or rejected with its errors; ' +
      'valid events are stored even when others are rejected, all in one transaction. Results are in request order.',
    tags,
    auth: 'tenant',
    permission: 'ingest',
    bulkBody: {
      limitBytes: INGEST_LIMITS.maxBodyBytes,
      mediaTypes: { 'application/json': eventBatchSchema, 'application/cloudevents-batch+json': eventBatchSchema },
    },
    idempotencyKey: 'ignored',
    beforeTransaction: ensurePartitions,
    success: { status: 200, description: 'What became of each event', schema: eventBatchResultSchema },
    async handler({ tx, tenantId, now, bulkBody }) {
      const outcome = await ingestEvents(tx, { tenantId, now, events: batchEvents(bulkBody) });
      return { status: 200, body: outcome };
    },
  }),
];
