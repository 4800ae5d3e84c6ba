import type { EntityManager } from 'typeorm';
import type { InvoiceDocument } from '../../domain/invoicing/invoice-document';
import { loadMetric, sampleSeries } from '../metering/usage-aggregation';
import type { PercentileGraphSeries } from './documents/invoice-pdf';

/**
 * The samples behind each burstable-bandwidth line of an invoice, for its
 * graph: the period's 5-minute rate samples of the line's subscription and
 * port group, pooled as the rating pooled them, in Mbps; unknown slots stay
 * null (drawn as gaps). The figures printed beside the graph come from the
 * invoice itself, never from this re-read.
 */
const BITS_PER_MBIT = 1_000_000;

function sameGroup(a: Record<string, string | null>, b: Record<string, string | null>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? null) === (b[k] ?? null));
}

export async function invoiceGraphs(tx: EntityManager, tenantId: string, document: InvoiceDocument): Promise<Record<string, PercentileGraphSeries>> {
  const graphs: Record<string, PercentileGraphSeries> = {};
  for (const line of document.groups.flatMap((g) => g.lines)) {
    const series = line.percentile?.series;
    if (!series || !line.period_start || !line.period_end) continue;
    const metric = await loadMetric(tx, tenantId, series.metric_code);
    const from = new Date(line.period_start);
    const to = new Date(line.period_end);
    const pools = await sampleSeries(tx, { tenantId, accountId: series.account_id, subscriptionId: series.subscription_id, metric, from, to });
    const pool = pools.find((p) => sameGroup(p.group, series.group)) ?? (pools.length === 1 ? pools[0] : undefined);
    if (!pool) continue;
    const mbps = (v: number | null): number | null => (v === null ? null : v / BITS_PER_MBIT);
    graphs[line.key] = {
      slotMinutes: pool.series.slotMinutes,
      start: line.period_start,
      end: line.period_end,
      inbound: pool.series.slots.map((s) => mbps(s.in)),
      outbound: pool.series.slots.map((s) => mbps(s.out)),
    };
  }
  return graphs;
}
