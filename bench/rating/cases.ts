import { Decimal } from '../../domain/money/decimal';
import type { BandwidthInput, QuantityInput } from '../../domain/pricing/inputs';
import { priceModelSchema, rate, type PriceModel } from '../../domain/pricing/price-model';

/**
 * Rating benchmarks: each case rates a batch of varied inputs with the real
 * engine (Decimal, breakdown lines), beside a baseline that does the same
 * arithmetic in plain numbers without lines (the price models) or a full
 * sort (the percentile), in the same process on one core.
 */
export interface RatingCase {
  name: string;
  unit: string;
  /** Goal from the issue, in operations per second, where one is set. */
  goal: number | null;
  batch: number;
  rackrate(): number;
  baseline(): number;
}

const TIERS = [
  { up_to: 1_000, unit_price: 0.1 },
  { up_to: 5_000, unit_price: 0.08 },
  { up_to: 20_000, unit_price: 0.06 },
  { up_to: 100_000, unit_price: 0.04 },
  { up_to: null, unit_price: 0.02 },
];
const configTiers = TIERS.map((t) => ({ up_to: t.up_to === null ? null : String(t.up_to), unit_price: String(t.unit_price) }));

const BATCH = 1_000;
// Quantities spread over every tier, fractional ones included.
const quantities = Array.from({ length: BATCH }, (_, i) => ((i * 9_973) % 150_000) + (i % 4) * 0.25);
const quantityInputs: QuantityInput[] = quantities.map((q) => ({ kind: 'quantity', quantity: new Decimal(String(q)) }));

function modelCase(name: string, config: PriceModel, baselineOne: (q: number) => number, goal: number | null): RatingCase {
  return {
    name,
    unit: 'ratings',
    goal,
    batch: BATCH,
    rackrate: () => {
      let lines = 0;
      for (const input of quantityInputs) lines += rate(config, input).lines.length;
      return lines;
    },
    baseline: () => {
      let total = 0;
      for (const q of quantities) total += baselineOne(q);
      return total;
    },
  };
}

function graduatedPlain(q: number): number {
  let amount = 0;
  let from = 0;
  for (const t of TIERS) {
    if (q <= from) break;
    const to = t.up_to ?? q;
    amount += (Math.min(q, to) - from) * t.unit_price;
    from = to;
  }
  return amount;
}

function volumePlain(q: number): number {
  const tier = TIERS.find((t) => t.up_to === null || q <= t.up_to)!;
  return q * tier.unit_price;
}

const packagePlain = (q: number) => Math.ceil(q / 1_000) * 25;

/** 30 days of 5-minute samples (8,640) for one port, in and out, as whole bit/s. */
function portMonth(seed: number): BandwidthInput {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
  const samples = () => Array.from({ length: 8_640 }, () => 50_000_000 + (next() % 400_000_000));
  return { kind: 'bandwidth', ports: [{ portId: `port-${seed}`, in: samples(), out: samples() }] };
}

export function ratingCases(): RatingCase[] {
  const graduated = priceModelSchema.parse({ model: 'graduated', tiers: configTiers, unit_label: 'GB' });
  const volume = priceModelSchema.parse({ model: 'volume', tiers: configTiers, unit_label: 'GB' });
  const pack = priceModelSchema.parse({ model: 'package', package_size: '1000', package_price: '25', unit_label: 'GB' });
  const percentile = priceModelSchema.parse({
    model: 'percentile',
    commit_mbps: '200',
    commit_price: '2.50',
    burst_price: '4.00',
    port_speed_mbps: '1000',
  });
  const months = Array.from({ length: 8 }, (_, i) => portMonth(i + 1));
  const plainMonths = months.map((m) => m.ports[0]!);
  return [
    modelCase('graduated (5 tiers)', graduated, graduatedPlain, 200_000),
    modelCase('volume (5 tiers)', volume, volumePlain, null),
    modelCase('package (1,000-unit blocks)', pack, packagePlain, null),
    {
      name: '95th percentile, 8,640 samples in and out (30 days × 288)',
      unit: 'port-months',
      goal: 5_000,
      batch: months.length,
      rackrate: () => {
        let billed = 0;
        for (const month of months) billed += rate(percentile, month).lines.length;
        return billed;
      },
      // The obvious way: sort each direction fully, take the nearest-rank index, keep the larger.
      baseline: () => {
        let billed = 0;
        for (const port of plainMonths) {
          const index = Math.ceil((95 * 8_640) / 100) - 1;
          const p95In = Float64Array.from(port.in as number[]).sort()[index]!;
          const p95Out = Float64Array.from(port.out as number[]).sort()[index]!;
          billed += Math.max(p95In, p95Out);
        }
        return billed;
      },
    },
  ];
}
