import { z } from 'zod';
import type { InputKind, RatingInput } from '../../domain/pricing/inputs';
import { ZERO } from '../../domain/money/decimal';
import { nonNegativeDecimal } from '../../domain/pricing/decimal-input';
import { currencyCode, text, timestamp, timeZone, uuid } from '../../lib/schema-primitives';

/**
 * What a price preview rates each charge on, by the kind of input its price
 * model takes (domain/pricing/price-model.ts INPUT_KIND). Bandwidth samples
 * are whole bit/s per 5-minute slot, null for a slot with no sample.
 */
const sample = z.int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();

export const usageByKind = {
  quantity: z.strictObject({ quantity: nonNegativeDecimal }),
  transactions: z.strictObject({ transactions: z.array(nonNegativeDecimal).max(10_000) }),
  bandwidth: z.strictObject({
    ports: z
      .array(z.strictObject({ port_id: text(100), in: z.array(sample).max(9_000), out: z.array(sample).max(9_000) }))
      .min(1)
      // A month of samples for four ports stays under the 1 MiB body limit; larger pools are rated from metering.
      .max(4),
  }),
  series: z.strictObject({ values: z.array(nonNegativeDecimal).min(1).max(10_000) }),
  readings: z.strictObject({ readings: z.array(z.strictObject({ at: timestamp, quantity: nonNegativeDecimal })).max(10_000) }),
  runtime: z.strictObject({ seconds: z.int().min(0) }),
  sessions: z.strictObject({
    sessions: z
      .array(
        z.strictObject({
          started_at: timestamp,
          minutes: z.int().min(1).max(24 * 60),
          expedited: z.boolean().default(false),
          after_hours: z.boolean().optional(),
        }),
      )
      .max(1_000),
    prepaid_hours: nonNegativeDecimal.optional(),
  }),
  circuits: z.strictObject({
    circuits: z
      .array(z.strictObject({ circuit_id: text(100), volts: z.int().min(1).max(1000), amps: z.int().min(1).max(1000), phase: z.union([z.literal(1), z.literal(3)]) }))
      .max(1_000),
  }),
} satisfies Record<InputKind, z.ZodType>;

const usageEntry = z.union(
  [
    usageByKind.quantity,
    usageByKind.transactions,
    usageByKind.bandwidth,
    usageByKind.series,
    usageByKind.readings,
    usageByKind.runtime,
    usageByKind.sessions,
    usageByKind.circuits,
  ],
  { error: 'must be one of {quantity}, {transactions}, {ports}, {values}, {readings}, {seconds}, {sessions, prepaid_hours}, {circuits}' },
);
export type UsageEntry = z.output<typeof usageEntry>;

export const previewPlanSchema = z
  .strictObject({
    version: z.int().min(1).optional().meta({ description: 'Plan version to price; the current one when absent.' }),
    account_id: uuid.optional().meta({ description: "Price for this account: its currency, time zone and active price overrides." }),
    currency: currencyCode.optional().meta({ description: "Required without account_id; must be the account's currency with it." }),
    timezone: timeZone.optional().meta({ description: "For time-of-use and remote-hands business hours; the account's, else UTC." }),
    at: timestamp.optional().meta({ description: 'Which price overrides apply (those active at this time); now when absent.' }),
    usage: z
      .record(z.string(), usageEntry)
      .default({})
      .meta({ description: 'By charge key, what to rate it on. Recurring and one-time charges default to quantity 1, usage charges to quantity 0.' }),
  })
  .meta({ id: 'PreviewPlan' });
export type PreviewPlanInput = z.output<typeof previewPlanSchema>;

/** Which kind of input a usage entry is, from the one key that names it. */
export function usageKindOf(usage: UsageEntry): InputKind {
  if ('quantity' in usage) return 'quantity';
  if ('transactions' in usage) return 'transactions';
  if ('ports' in usage) return 'bandwidth';
  if ('values' in usage) return 'series';
  if ('readings' in usage) return 'readings';
  if ('seconds' in usage) return 'runtime';
  if ('sessions' in usage) return 'sessions';
  return 'circuits';
}

/** Turns a validated usage entry into the rating engine's input. */
export function toRatingInput(usage: UsageEntry, timezone: string): RatingInput {
  if ('quantity' in usage) return { kind: 'quantity', quantity: usage.quantity };
  if ('transactions' in usage) return { kind: 'transactions', amounts: usage.transactions };
  if ('ports' in usage) return { kind: 'bandwidth', ports: usage.ports.map((p) => ({ portId: p.port_id, in: p.in, out: p.out })) };
  if ('values' in usage) return { kind: 'series', values: usage.values };
  if ('readings' in usage) {
    return { kind: 'readings', timezone, readings: usage.readings.map((r) => ({ at: new Date(r.at), quantity: r.quantity })) };
  }
  if ('seconds' in usage) return { kind: 'runtime', seconds: usage.seconds };
  if ('sessions' in usage) {
    return {
      kind: 'sessions',
      timezone,
      prepaidHours: usage.prepaid_hours ?? ZERO,
      sessions: usage.sessions.map((s) => ({
        startedAt: new Date(s.started_at),
        minutes: s.minutes,
        expedited: s.expedited,
        ...(s.after_hours === undefined ? {} : { afterHours: s.after_hours }),
      })),
    };
  }
  return { kind: 'circuits', circuits: usage.circuits.map((c) => ({ circuitId: c.circuit_id, volts: c.volts, amps: c.amps, phase: c.phase })) };
}

const previewLine = z.object({
  description: z.string(),
  quantity: z.string().nullable(),
  unit_price: z.string().nullable(),
  amount: z.string().meta({ description: 'Exact, before rounding.' }),
  tier: z.object({ index: z.int(), from: z.string(), to: z.string().nullable() }).optional(),
});

export const planPreviewSchema = z
  .strictObject({
    object: z.literal('plan_preview'),
    plan_id: uuid,
    plan_code: z.string(),
    version: z.int(),
    currency: z.string(),
    account_id: uuid.nullable(),
    price_override_id: uuid.nullable(),
    charges: z.array(
      z.object({
        key: z.string(),
        product: z.string(),
        type: z.enum(['recurring', 'one_time', 'usage']),
        model: z.string(),
        price_source: z.enum(['plan', 'override']),
        quantity: z.string().nullable(),
        unit_price: z.string().nullable(),
        raw_amount: z.string().meta({ description: 'Exact sum of the lines.' }),
        amount: z.string().meta({ description: 'Rounded half up to the currency: what the invoice line would say.' }),
        lines: z.array(previewLine),
        details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
      }),
    ),
    minimum_commitment: z.object({ minimum: z.string(), true_up: z.string() }).nullable(),
    skipped: z.array(z.object({ key: z.string(), reason: z.string() })),
    subtotal: z.string().meta({ description: 'Charges plus any minimum-commitment true-up, before discounts and taxes.' }),
  })
  .meta({ id: 'PlanPreview' });
