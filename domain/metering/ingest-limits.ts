/**
 * The limits of event ingestion (docs/metering.md). They bound what one
 * request can cost and how far back a late event may reach; the late window
 * is also how long idempotency keys must be kept (an older event is refused
 * anyway, so its key cannot be replayed into a double count).
 */
export const INGEST_LIMITS = {
  /** Events in one POST /v1/events/batch. */
  maxBatchEvents: 10_000,
  /** Request body of the event routes, in bytes as sent (uncompressed). */
  maxBodyBytes: 10 * 1024 * 1024,
  /** How far ahead of the request's clock a timestamp may be (agents' clocks drift). */
  maxFutureSkewMs: 5 * 60 * 1000,
  /** How far behind the request's clock a timestamp may be: the late-event window. */
  lateWindowMs: 35 * 24 * 60 * 60 * 1000,
  /** Characters of an event id (the idempotency key). */
  maxIdLength: 200,
  /** Top-level keys of `properties`. */
  maxPropertyKeys: 50,
  /** `properties` serialised as JSON, in UTF-8 bytes. */
  maxPropertiesBytes: 8 * 1024,
  /** Characters of `customer` and `subscription` (external ids). */
  maxExternalIdLength: 255,
} as const;
