import { INPUT_KIND, priceModelSchema } from '../../../domain/pricing/price-model';

/**
 * A bad price configuration is a 400 with paths, never an exception (the
 * API fuzzer once found "" in a decimal field throwing a DecimalError).
 * Every string or number leaf of a valid config of every model is replaced
 * by values of the wrong kind; parsing must report, not throw.
 */
const VALID: Record<string, unknown> = {
  flat: { model: 'flat', amount: '500' },
  per_unit: { model: 'per_unit', unit_price: '2' },
  graduated: { model: 'graduated', tiers: [{ up_to: '100', unit_price: '0.1', flat_fee: '5' }, { up_to: null, unit_price: '0.05' }] },
  volume: { model: 'volume', tiers: [{ up_to: '100', unit_price: '0.1' }, { up_to: null, unit_price: '0.05' }] },
  package: { model: 'package', package_size: '1000', package_price: '25' },
  stairstep: { model: 'stairstep', tiers: [{ up_to: '10', price: '300' }, { up_to: null, price: '500' }] },
  percentage: { model: 'percentage', percent: '2.9', fixed_fee: '0.30', min_fee: '0.5', max_fee: '10' },
  percentile: { model: 'percentile', percentile: '95', commit_mbps: '200', commit_price: '0.5', burst_price: '0.8', port_speed_mbps: '1000', expected_slots: 8640 },
  peak: { model: 'peak', unit_price: '20', committed: '5', commit_price: '15' },
  time_of_use: {
    model: 'time_of_use',
    windows: [{ name: 'peak', days: ['mon', 'tue'], start: '08:00', end: '20:00', unit_price: '0.21' }],
    default_unit_price: '0.12',
  },
  hourly_capped: { model: 'hourly_capped', hourly_price: '0.25', monthly_cap: '150' },
  remote_hands: {
    model: 'remote_hands',
    hourly_rate: '120',
    minimum_minutes: 30,
    increment_minutes: 15,
    after_hours_multiplier: '1.5',
    expedite_fee: '75',
    business_hours: { days: ['mon'], start: '08:00', end: '18:00' },
  },
  power_circuit: { model: 'power_circuit', power_factor: '0.95', prices: [{ volts: 208, amps: 30, phase: 1, price: '400' }] },
  committed_kw: { model: 'committed_kw', committed_kw: '5', price_per_kw: '150', overage_price_per_kw: '210' },
  metered_kwh: { model: 'metered_kwh', price_per_kwh: '0.12', pue: '1.4', included_kwh: '100' },
};

const WRONG: unknown[] = ['', 'abc', '1e5', '-', '12,50', ' 1', -1, 1.5, null, true, {}, []];

function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === 'model' ? [] : leaves(v, [...path, k])));
  return [path];
}

function replaced(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

it('has a valid example of every model', () => {
  for (const [model, config] of Object.entries(VALID)) {
    const parsed = priceModelSchema.safeParse(config);
    expect({ model, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ model, issues: [] });
  }
  expect(Object.keys(VALID).sort()).toEqual(Object.keys(INPUT_KIND).sort());
});

it.each(Object.keys(VALID))('%s: every field with a wrong value is reported, never thrown', (model) => {
  const config = VALID[model];
  for (const path of leaves(config)) {
    for (const wrong of WRONG) {
      let result: ReturnType<typeof priceModelSchema.safeParse> | undefined;
      expect(() => {
        result = priceModelSchema.safeParse(replaced(config, path, wrong));
      }).not.toThrow();
      // Text that happens to be valid for that field (e.g. 1.5 where a number is expected) may pass.
      if (result && !result.success) expect(result.error.issues.length).toBeGreaterThan(0);
    }
  }
});
