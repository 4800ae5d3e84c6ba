import type { DataSource } from 'typeorm';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { INGEST_LIMITS } from '../../domain/metering/ingest-limits';
import { ensureUsagePartitions } from '../../services/metering/event-partitions';
import { ingestEvents } from '../../services/metering/ingest';
import { createThresholdSchema } from '../../services/metering/threshold-schemas';
import { createThreshold } from '../../services/metering/threshold-service';
import { getTenantBySlug } from '../../services/tenants/tenant-service';
import { DEMO_TENANT_SLUG, SEED_ACTOR } from './seed';

/**
 * The demo's usage: Northwind's Newark cage reports what a real site would
 * send, from the start of its current period (at most the late-event window
 * back) to now: 5-minute transit rates on two ports, 15-minute power demand
 * and hourly energy. Event ids are derived from the series and the
 * timestamp, so each `npm start` sends everything again and only the new
 * part is stored: the rest are duplicates. Two bill-shock thresholds watch
 * the cage (80 % and 100 % of the transit commit; 50/80/100 % of a usage
 * budget), so `usage.threshold_crossed` events appear within a minute.
 */
const SUBSCRIPTION = 'NW-EWR-CAGE';
const PORTS = [
  { id: 'xe-0/0/1', baseMbps: 170, swingMbps: 90 },
  { id: 'xe-0/0/2', baseMbps: 45, swingMbps: 25 },
];
const FIVE_MINUTES = 300_000;
const BATCH = 5_000;

/** Deterministic noise in [0, 1) from an integer (mulberry32 step), so every start sends the same values. */
function noise(n: number): number {
  let t = (n + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Busy afternoons, quiet nights (UTC−5 business hours). */
function diurnal(ms: number): number {
  const hour = ((ms / 3_600_000) % 24 + 24) % 24;
  return Math.sin(((hour - 11) / 24) * 2 * Math.PI);
}

export function demoUsageEvents(from: Date, to: Date): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = [];
  const first = Math.ceil(from.getTime() / FIVE_MINUTES) * FIVE_MINUTES;
  for (let t = first; t < to.getTime(); t += FIVE_MINUTES) {
    const slot = t / FIVE_MINUTES;
    const timestamp = new Date(t).toISOString();
    PORTS.forEach((port, p) => {
      const mbps = Math.max(1, port.baseMbps + port.swingMbps * diurnal(t) + 30 * (noise(slot * 7 + p) - 0.5));
      const inBps = Math.round(mbps * 1_000_000);
      const outBps = Math.round(inBps * (0.55 + 0.1 * noise(slot * 13 + p)));
      events.push({ id: `demo-rate-${port.id}-${t}`, subscription: SUBSCRIPTION, code: 'interface.rate', timestamp, properties: { port_id: port.id, bps: { in: inBps, out: outBps } } });
    });
    if (t % (3 * FIVE_MINUTES) === 0) {
      // Two cabinets drawing about 4.6 kW together, more in the afternoon; one hot spell a week.
      const spike = Math.floor(t / 86_400_000) % 7 === 3 && diurnal(t) > 0.8 ? 0.9 : 0;
      const kw = (4.6 + 0.5 * diurnal(t) + 0.3 * noise(slot * 17) + spike).toFixed(2);
      events.push({ id: `demo-power-${t}`, subscription: SUBSCRIPTION, code: 'pdu.power', timestamp, properties: { kw } });
    }
    if (t % 3_600_000 === 0) {
      const kwh = (4.6 + 0.5 * diurnal(t) + 0.2 * noise(slot * 19)).toFixed(3);
      events.push({ id: `demo-energy-${t}`, subscription: SUBSCRIPTION, code: 'pdu.energy', timestamp, properties: { kwh } });
    }
  }
  return events;
}

async function currentPeriodStart(dataSource: DataSource, tenantId: string, waitMs: number): Promise<Date | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const sub = await inTenantTransaction(dataSource, tenantId, (tx) => tx.findOneBy(Subscription, { tenantId, externalId: SUBSCRIPTION }));
    // Its workflow catches up on the backdated periods first; usage goes into the period it ends in.
    if (sub?.currentPeriodStart && sub.currentPeriodEnd && sub.currentPeriodEnd.getTime() > Date.now()) return sub.currentPeriodStart;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface DemoUsageResult {
  accepted: number;
  duplicates: number;
  thresholds: number;
}

export async function seedDemoUsage(dataSource: DataSource, now: Date, options: { waitMs?: number } = {}): Promise<DemoUsageResult | null> {
  const tenant = await dataSource.transaction((tx) => getTenantBySlug(tx, DEMO_TENANT_SLUG));
  if (!tenant) return null;
  const periodStart = await currentPeriodStart(dataSource, tenant.id, options.waitMs ?? 30_000);
  if (!periodStart) return null;
  const from = new Date(Math.max(periodStart.getTime(), now.getTime() - INGEST_LIMITS.lateWindowMs + 3_600_000));
  const events = demoUsageEvents(from, now);
  await ensureUsagePartitions(dataSource, now);
  // Thresholds first: the ingest queues the accounts it stores events for once a threshold exists.
  const result: DemoUsageResult = { accepted: 0, duplicates: 0, thresholds: await seedThresholds(dataSource, tenant.id, now) };
  for (let i = 0; i < events.length; i += BATCH) {
    const outcome = await inTenantTransaction(dataSource, tenant.id, (tx) => ingestEvents(tx, { tenantId: tenant.id, now, events: events.slice(i, i + BATCH) }));
    if (outcome.rejected > 0) {
      const first = outcome.results.find((r) => r.status === 'rejected');
      throw new Error(`the demo's usage was refused: ${JSON.stringify(first)}`);
    }
    result.accepted += outcome.accepted;
    result.duplicates += outcome.duplicates;
  }
  return result;
}

async function seedThresholds(dataSource: DataSource, tenantId: string, now: Date): Promise<number> {
  return inTenantTransaction(dataSource, tenantId, async (tx) => {
    const sub = await tx.findOneBy(Subscription, { tenantId, externalId: SUBSCRIPTION });
    if (!sub) return 0;
    const [existing] = (await tx.query(`SELECT count(*)::int AS n FROM usage_thresholds WHERE tenant_id = $1 AND subscription_id = $2`, [tenantId, sub.id])) as Array<{ n: number }>;
    if (existing!.n > 0) return 0;
    const ctx = { tenantId, actor: SEED_ACTOR, requestId: null, now };
    await createThreshold(tx, ctx, createThresholdSchema.parse({
      account_id: sub.accountId, subscription_id: sub.id, basis: 'units', metric_code: 'transit-rate', reference: 'commit', percents: [80, 100],
      metadata: { note: 'demo: warn before transit bursts past the commit' },
    }));
    await createThreshold(tx, ctx, createThresholdSchema.parse({
      account_id: sub.accountId, subscription_id: sub.id, basis: 'amount', reference: 'value', reference_value: '900.00', percents: [50, 80, 100],
      metadata: { note: 'demo: monthly usage budget' },
    }));
    return 2;
  });
}
