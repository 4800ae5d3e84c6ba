import type { EntityManager } from 'typeorm';
import { isCloudEvent, normalizeCloudEvent, sentFieldName } from '../../domain/metering/cloudevents';
import { attribute } from '../../domain/metering/event-attribution';
import { readPath } from '../../domain/metering/event-metric-checks';
import { normalizeEvent, type EventCheck, type EventFieldError, type NormalizedEvent } from '../../domain/metering/event-rules';
import { canFold, seriesOf, type Sample } from '../../domain/metering/sample-fold';
import { foldIntoRollup } from './ingest-samples';
import { loadTenantFacts } from './ingest-lookups';
import { writeEvents, type WriteRow } from './ingest-write';

/**
 * Ingests a batch of usage events (docs/metering.md) inside the caller's
 * tenant-bound transaction, which the caller commits: the whole batch or
 * nothing. Each event is checked on its own, so valid events are kept beside
 * invalid ones, and each gets a result in request order.
 *
 * Round trips per batch: one lookup (accounts, subscriptions, metrics,
 * attribution), one statement that records the idempotency keys, writes the
 * events whose keys were new and queues their accounts for the threshold
 * check, and, when the batch has rate samples, two more to fold them into
 * the percentile rollup. The months' partitions must exist first
 * (event-partitions.ts, outside the transaction).
 *
 * An id is the event's idempotency key, forever within the retention: an id
 * already stored, or accepted earlier in the same batch, is a `duplicate`,
 * counted once; that holds for a copy that would now be refused, too (it is
 * stored, so nothing needs resending).
 */
export interface IngestInput {
  tenantId: string;
  /** The request's clock: timestamps are checked against it. */
  now: Date;
  /** As sent, in request order: our JSON shape or structured CloudEvents, mixed freely. */
  events: readonly unknown[];
}

export type EventResult =
  | { index: number; id: string; status: 'accepted'; subscription_id: string | null }
  | { index: number; id: string; status: 'duplicate' }
  | { index: number; id: string | null; status: 'rejected'; errors: EventFieldError[] };

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: EventResult[];
}

type Candidate = WriteRow;

const EXISTING_SQL = `SELECT event_id FROM usage_event_ids WHERE tenant_id = $1 AND event_id = ANY($2::text[])`;

function check(raw: unknown, index: number, nowMs: number): EventCheck {
  return isCloudEvent(raw) ? normalizeCloudEvent(raw as Record<string, unknown>, index, nowMs) : normalizeEvent(raw, index, nowMs);
}

function byId(a: Candidate, b: Candidate): number {
  const x = a.event.id;
  const y = b.event.id;
  return x < y ? -1 : x > y ? 1 : 0;
}

function rejected(index: number, id: string | null, errors: EventFieldError[]): EventResult {
  return { index, id, status: 'rejected', errors };
}

function samplesOf(candidates: readonly Candidate[], stored: (c: Candidate) => boolean): Sample[] {
  const samples: Sample[] = [];
  for (const c of candidates) {
    if (!stored(c)) continue;
    let series: string | undefined;
    for (const rule of c.attribution.rules) {
      if (rule.aggregation.type !== 'percentile' || rule.path === null) continue;
      // usage_samples only holds widths that tile a day (its CHECK); the catalogue should refuse others.
      if (!canFold(rule.aggregation.window_minutes)) continue;
      const sample = readSample(c.event.properties, rule.path);
      if (sample === null) continue;
      series ??= seriesOf(c.event.properties);
      samples.push({
        accountId: c.attribution.accountId,
        subscriptionId: c.attribution.subscriptionId,
        code: c.event.code,
        property: rule.aggregation.property,
        slotMinutes: rule.aggregation.window_minutes,
        series,
        occurredAtMs: c.event.occurredAtMs,
        in: sample.in,
        out: sample.out,
      });
    }
  }
  return samples;
}

function readSample(properties: Record<string, unknown>, path: readonly string[]): { in: number | undefined; out: number | undefined } | null {
  const sample = readPath(properties, path);
  if (typeof sample !== 'object' || sample === null) return null;
  const { in: rateIn, out: rateOut } = sample as { in?: unknown; out?: unknown };
  return { in: typeof rateIn === 'number' ? rateIn : undefined, out: typeof rateOut === 'number' ? rateOut : undefined };
}

export async function ingestEvents(tx: EntityManager, input: IngestInput): Promise<IngestOutcome> {
  const { tenantId } = input;
  const nowMs = input.now.getTime();
  const results = new Array<EventResult>(input.events.length);
  const valid: NormalizedEvent[] = [];
  for (let index = 0; index < input.events.length; index++) {
    const checked = check(input.events[index], index, nowMs);
    if (checked.ok) valid.push(checked.event);
    else results[index] = rejected(index, checked.id, checked.errors);
  }

  // Attribution, and the first copy of an id in the batch wins.
  const candidates: Candidate[] = [];
  const firstCopy = new Map<string, Candidate>();
  let sampling = false;
  if (valid.length > 0) {
    const facts = await loadTenantFacts(tx, tenantId, valid);
    for (const rules of facts.rulesByCode.values()) sampling ||= rules.some((r) => r.aggregation.type === 'percentile');
    for (const event of valid) {
      const outcome = attribute(event, facts);
      if (!outcome.ok) {
        const errors = event.cloudEventData === null ? outcome.errors : outcome.errors.map((e) => ({ ...e, field: sentFieldName(event, e.field) }));
        results[event.index] = rejected(event.index, event.id, errors);
      } else if (firstCopy.has(event.id)) {
        results[event.index] = { index: event.index, id: event.id, status: 'duplicate' };
      } else {
        const candidate = { event, attribution: outcome.attribution };
        firstCopy.set(event.id, candidate);
        candidates.push(candidate);
      }
    }
  }

  let alreadyStored = new Set<string>();
  if (candidates.length > 0) {
    // One order for every batch, so concurrent batches sharing ids wait instead of deadlocking.
    candidates.sort(byId);
    alreadyStored = await writeEvents(tx, tenantId, candidates);
    if (sampling) await foldIntoRollup(tx, tenantId, samplesOf(candidates, (c) => !alreadyStored.has(c.event.id)));
    for (const { event, attribution } of candidates) {
      results[event.index] = alreadyStored.has(event.id)
        ? { index: event.index, id: event.id, status: 'duplicate' }
        : { index: event.index, id: event.id, status: 'accepted', subscription_id: attribution.subscriptionId };
    }
  }

  await markStoredRejects(tx, tenantId, results, firstCopy);

  let accepted = 0;
  let duplicates = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else if (r.status === 'duplicate') duplicates++;
  }
  return { accepted, duplicates, rejected: results.length - accepted - duplicates, results };
}

/** A refused copy of an id that is stored (now, or before) is a duplicate: nothing about it needs resending. */
async function markStoredRejects(tx: EntityManager, tenantId: string, results: EventResult[], inBatch: ReadonlyMap<string, Candidate>): Promise<void> {
  const elsewhere: string[] = [];
  let refusedWithId = 0;
  for (const r of results) {
    if (r.status !== 'rejected' || r.id === null) continue;
    refusedWithId++;
    if (!inBatch.has(r.id)) elsewhere.push(r.id);
  }
  if (refusedWithId === 0) return;
  const storedBefore = new Set<string>();
  if (elsewhere.length > 0) {
    const rows = (await tx.query(EXISTING_SQL, [tenantId, elsewhere])) as Array<{ event_id: string }>;
    for (const row of rows) storedBefore.add(row.event_id);
  }
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (r.status === 'rejected' && r.id !== null && (inBatch.has(r.id) || storedBefore.has(r.id))) {
      results[i] = { index: r.index, id: r.id, status: 'duplicate' };
    }
  }
}
