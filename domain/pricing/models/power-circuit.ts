import { z } from 'zod';
import { Decimal, sum } from '../../money/decimal';
import { decimalWhere, nonNegativeDecimal } from '../decimal-input';
import type { Circuit, CircuitsInput } from '../inputs';
import { line, priceText, ratingOf, type Rating } from '../rating';

/**
 * A monthly price per power circuit, by breaker size. Each line shows the
 * circuit's usable kW under the 80 % continuous-load rule (a breaker may
 * carry 80 % of its rating continuously):
 *   single phase: V × A × PF / 1000 × 0.8      (208 V 30 A: 4.99 kW)
 *   three phase:  √3 × V(line-line) × A × PF / 1000 × 0.8  (208 V 30 A: 8.65 kW)
 * √3 is irrational: the kW is computed with a 40-digit square root and
 * rounded to 2 decimals for display only; the price is per circuit, exact.
 */
const powerFactor = decimalWhere((pf) => pf.greaterThan(0) && pf.lessThanOrEqualTo(1), 'must be greater than 0 and at most 1');

const circuitSize = z.object({
  volts: z.number().int().positive(),
  amps: z.number().int().positive(),
  phase: z.union([z.literal(1), z.literal(3)]),
});
const circuitPrice = z.strictObject({
  ...circuitSize.shape,
  /** Per circuit per period. */
  price: nonNegativeDecimal,
});

const sizeKey = (c: { volts: number; amps: number; phase: number }): string => `${c.volts} V ${c.amps} A ${c.phase === 3 ? 'three-phase' : 'single-phase'}`;

const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

export const powerCircuitConfig = z
  .strictObject({
    model: z.literal('power_circuit'),
    /** Power factor for the displayed kW; "1" unless the provider quotes e.g. "0.95". */
    power_factor: powerFactor.prefault('1'),
    prices: z.array(circuitPrice).min(1),
  })
  .superRefine((config, ctx) => {
    const firstAt = new Map<string, number>();
    // Runs even when a field failed (so all problems are listed): skip entries that are not sizes.
    if (!Array.isArray(config.prices)) return;
    config.prices.forEach((entry: unknown, i) => {
      const size = circuitSize.safeParse(entry);
      if (!size.success) return;
      const key = sizeKey(size.data);
      const earlier = firstAt.get(key);
      if (earlier === undefined) firstAt.set(key, i);
      else ctx.addIssue({ code: 'custom', path: ['prices', i], message: `duplicate circuit size ${key} (also prices[${earlier}])` });
    });
  }, EVEN_WITH_FIELD_ERRORS);
export type PowerCircuitConfig = z.output<typeof powerCircuitConfig>;

const CONTINUOUS_LOAD = new Decimal('0.8');
const SQRT3 = new Decimal(3).sqrt();

/** Usable kW of a circuit at the continuous-load limit, unrounded. */
export function usableKw(circuit: Pick<Circuit, 'volts' | 'amps' | 'phase'>, powerFactor: Decimal): Decimal {
  const va = new Decimal(circuit.volts).times(circuit.amps);
  const rated = (circuit.phase === 3 ? va.times(SQRT3) : va).times(powerFactor).dividedBy(1000);
  return rated.times(CONTINUOUS_LOAD);
}


export function ratePowerCircuit(config: PowerCircuitConfig, input: CircuitsInput): Rating {
  const bySize = new Map(config.prices.map((p) => [sizeKey(p), p.price]));
  const seen = new Set<string>();
  const kws: Decimal[] = [];
  const lines = input.circuits.map((circuit) => {
    if (seen.has(circuit.circuitId)) throw new Error(`circuit ${circuit.circuitId} appears twice`);
    seen.add(circuit.circuitId);
    const key = sizeKey(circuit);
    const amount = bySize.get(key);
    if (amount === undefined) throw new Error(`circuit ${circuit.circuitId} (${key}) has no price in this plan`);
    const kw = usableKw(circuit, config.power_factor);
    kws.push(kw);
    return line(`Circuit ${circuit.circuitId}: ${key}, ${kw.toFixed(2)} kW usable (80 %) at ${priceText(amount)}`, new Decimal(1), amount, amount);
  });
  return ratingOf(lines, {
    quantity: new Decimal(input.circuits.length),
    unitPrice: null,
    details: { circuits: input.circuits.length, usable_kw_total: sum(kws).toFixed(2), power_factor: config.power_factor.toFixed() },
  });
}
