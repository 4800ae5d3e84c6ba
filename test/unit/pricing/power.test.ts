import { Decimal } from '../../../domain/money/decimal';
import type { Circuit, CircuitsInput, QuantityInput } from '../../../domain/pricing/inputs';
import { committedKwConfig, rateCommittedKw } from '../../../domain/pricing/models/committed-kw';
import { meteredKwhConfig, rateMeteredKwh } from '../../../domain/pricing/models/metered-kwh';
import { powerCircuitConfig, ratePowerCircuit, usableKw } from '../../../domain/pricing/models/power-circuit';

const quantity = (q: string): QuantityInput => ({ kind: 'quantity', quantity: new Decimal(q) });
const circuits = (...list: Circuit[]): CircuitsInput => ({ kind: 'circuits', circuits: list });
const described = (lines: Array<{ description: string; amount: Decimal }>) => lines.map((l) => [l.description, l.amount.toFixed(2)]);
const pathsOf = (result: { error?: { issues: Array<{ path: PropertyKey[] }> } }) => result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('power_circuit model', () => {
  const plan = powerCircuitConfig.parse({
    model: 'power_circuit',
    prices: [
      { volts: 208, amps: 30, phase: 1, price: '350.00' },
      { volts: 208, amps: 30, phase: 3, price: '600.00' },
      { volts: 230, amps: 16, phase: 1, price: '180.00' },
      { volts: 400, amps: 32, phase: 3, price: '1150.00' },
    ],
  });

  it('prices each circuit by size and shows its usable kW at 80 %', () => {
    const rating = ratePowerCircuit(
      plan,
      circuits(
        { circuitId: 'A1', volts: 208, amps: 30, phase: 1 },
        { circuitId: 'B1', volts: 208, amps: 30, phase: 3 },
        { circuitId: 'C1', volts: 230, amps: 16, phase: 1 },
        { circuitId: 'D1', volts: 400, amps: 32, phase: 3 },
      ),
    );
    expect(described(rating.lines)).toEqual([
      ['Circuit A1: 208 V 30 A single-phase, 4.99 kW usable (80 %) at 350.00', '350.00'], // 208 × 30 / 1000 × 0.8 = 4.992
      ['Circuit B1: 208 V 30 A three-phase, 8.65 kW usable (80 %) at 600.00', '600.00'], // √3 × 208 × 30 / 1000 × 0.8 = 8.6464
      ['Circuit C1: 230 V 16 A single-phase, 2.94 kW usable (80 %) at 180.00', '180.00'], // 3.68 × 0.8 = 2.944
      ['Circuit D1: 400 V 32 A three-phase, 17.74 kW usable (80 %) at 1150.00', '1150.00'], // √3 × 12.8 × 0.8 = 17.7362
    ]);
    expect(rating.amount.toFixed(2)).toBe('2280.00');
    // 4.992 + 8.646397… + 2.944 + 17.736200… = 34.318597… → 34.32
    expect(rating.details).toEqual({ circuits: 4, usable_kw_total: '34.32', power_factor: '1' });
  });

  it('computes three-phase kW with a 40-digit √3 and applies the power factor', () => {
    // √3 = 1.732050807568877293527446341505872366943…; × 208 × 30 × 0.9 / 1000 × 0.8
    expect(usableKw({ volts: 208, amps: 30, phase: 3 }, new Decimal('0.9')).toFixed(30)).toBe('7.781757868245451904360110923118');
    const pf = powerCircuitConfig.parse({ model: 'power_circuit', power_factor: '0.9', prices: [{ volts: 208, amps: 30, phase: 3, price: '600' }] });
    expect(ratePowerCircuit(pf, circuits({ circuitId: 'B1', volts: 208, amps: 30, phase: 3 })).lines[0]?.description).toContain('7.78 kW usable');
  });

  it('names a circuit that has no price, and refuses a circuit twice', () => {
    expect(() => ratePowerCircuit(plan, circuits({ circuitId: 'Z9', volts: 120, amps: 20, phase: 1 }))).toThrow('circuit Z9 (120 V 20 A single-phase) has no price in this plan');
    const a1: Circuit = { circuitId: 'A1', volts: 208, amps: 30, phase: 1 };
    expect(() => ratePowerCircuit(plan, circuits(a1, a1))).toThrow(/A1 appears twice/);
  });

  it('bills nothing for no circuits', () => {
    expect(ratePowerCircuit(plan, circuits()).amount.toFixed()).toBe('0');
  });

  it('rejects duplicate sizes, bad power factors and negative prices with paths', () => {
    const result = powerCircuitConfig.safeParse({
      model: 'power_circuit',
      power_factor: '1.2',
      prices: [
        { volts: 208, amps: 30, phase: 3, price: '600' },
        { volts: 208, amps: 30, phase: 1, price: '-1' },
        { volts: 208, amps: 30, phase: 3, price: '650' },
        { volts: 208, amps: 30, phase: 2, price: '1' },
      ],
    });
    expect(pathsOf(result).sort()).toEqual(['power_factor', 'prices.1.price', 'prices.2', 'prices.3.phase']);
    expect(result.error?.issues.find((i) => i.path.join('.') === 'prices.2')?.message).toBe('duplicate circuit size 208 V 30 A three-phase (also prices[0])');
  });
});

describe('committed_kw model', () => {
  const cfg = committedKwConfig.parse({ model: 'committed_kw', committed_kw: '5', price_per_kw: '150.00', overage_price_per_kw: '200.00' });

  it('bills the commitment plus the measured kW above it', () => {
    const rating = rateCommittedKw(cfg, quantity('5.8'));
    expect(described(rating.lines)).toEqual([
      ['Committed 5 kW at 150.00', '750.00'], // 5 × 150
      ['Overage 0.8 kW above 5 kW committed (5.8 kW measured) at 200.00', '160.00'], // (5.8 − 5) × 200
    ]);
    expect(rating.amount.toFixed(2)).toBe('910.00');
  });

  it('shows a zero overage under the commitment', () => {
    const rating = rateCommittedKw(cfg, quantity('4.2'));
    expect(rating.lines[1]?.amount.toFixed()).toBe('0');
    expect(rating.amount.toFixed(2)).toBe('750.00');
  });

  it('refuses a negative measurement and validates with paths', () => {
    expect(() => rateCommittedKw(cfg, quantity('-1'))).toThrow(/negative/);
    const result = committedKwConfig.safeParse({ model: 'committed_kw', committed_kw: '-5', price_per_kw: '1', overage_price_per_kw: 2 });
    expect(pathsOf(result).sort()).toEqual(['committed_kw', 'overage_price_per_kw']);
  });
});

describe('metered_kwh model', () => {
  it('deducts the allowance in metered kWh, then applies PUE', () => {
    const cfg = meteredKwhConfig.parse({ model: 'metered_kwh', price_per_kwh: '0.12', pue: '1.4', included_kwh: '500' });
    const rating = rateMeteredKwh(cfg, quantity('1200'));
    expect(described(rating.lines)).toEqual([
      ['Included 500 kWh of 500 kWh allowance', '0.00'],
      ['700 kWh metered above allowance × PUE 1.4 = 980 kWh at 0.12', '117.60'], // (1200 − 500) × 1.4 × 0.12
    ]);
    expect(rating.quantity?.toFixed()).toBe('980');
    expect(rating.details).toEqual({ metered_kwh: '1200', included_kwh: '500', included_used_kwh: '500', pue: '1.4', billed_kwh: '980' });
  });

  it('bills metered kWh as is by default, and nothing inside the allowance', () => {
    const plain = rateMeteredKwh(meteredKwhConfig.parse({ model: 'metered_kwh', price_per_kwh: '0.12' }), quantity('1200'));
    expect(described(plain.lines)).toEqual([['1200 kWh metered at 0.12', '144.00']]);
    const inside = rateMeteredKwh(meteredKwhConfig.parse({ model: 'metered_kwh', price_per_kwh: '0.12', included_kwh: '500' }), quantity('300'));
    expect(described(inside.lines)).toEqual([
      ['Included 300 kWh of 500 kWh allowance', '0.00'],
      ['0 kWh metered above allowance at 0.12', '0.00'],
    ]);
  });

  it('refuses a negative reading and validates PUE and prices with paths', () => {
    expect(() => rateMeteredKwh(meteredKwhConfig.parse({ model: 'metered_kwh', price_per_kwh: '1' }), quantity('-3'))).toThrow(/negative/);
    const result = meteredKwhConfig.safeParse({ model: 'metered_kwh', price_per_kwh: '-0.12', pue: '0.9', included_kwh: 'lots' });
    expect(pathsOf(result).sort()).toEqual(['included_kwh', 'price_per_kwh', 'pue']);
  });
});

describe('a cabinet with 5 kW committed plus metered energy with PUE', () => {
  it('adds up as the docs show', () => {
    const power = rateCommittedKw(committedKwConfig.parse({ model: 'committed_kw', committed_kw: '5', price_per_kw: '150.00', overage_price_per_kw: '200.00' }), quantity('4.6'));
    const energy = rateMeteredKwh(meteredKwhConfig.parse({ model: 'metered_kwh', price_per_kwh: '0.14', pue: '1.35' }), quantity('3024'));
    // 5 × 150 = 750.00; 3,024 kWh (4.2 kW average × 720 h) × 1.35 = 4,082.4 kWh × 0.14 = 571.536
    expect(power.amount.toFixed(2)).toBe('750.00');
    expect(energy.amount.toFixed()).toBe('571.536');
    expect(power.amount.plus(energy.amount).toFixed(3)).toBe('1321.536');
  });
});
