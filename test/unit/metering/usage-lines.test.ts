import { Decimal } from '../../../domain/money/decimal';
import { groupLabel, usageAdjustmentLine, usageLines, type RatedUsage } from '../../../domain/metering/usage-lines';

const period = { start: new Date('2042-05-01T00:00:00Z'), end: new Date('2042-06-01T00:00:00Z') };
const closing = { start: new Date('2042-06-01T00:00:00Z'), end: new Date('2042-07-01T00:00:00Z') };

function rated(group: Record<string, string | null>, quantity: string, amount: string): RatedUsage {
  return {
    itemCode: 'colo', itemName: 'Colocation', chargeKey: 'transit', product: 'transit', description: 'IP transit',
    unitLabel: 'Mbps', group, quantity: new Decimal(quantity), amount: new Decimal(amount),
  };
}
const charge = { itemCode: 'colo', itemName: 'Colocation', chargeKey: 'transit', product: 'transit', description: 'IP transit', unitLabel: 'Mbps' };

describe('usage lines', () => {
  it('keys each group deterministically and prints the group and quantity', () => {
    const lines = usageLines('sub-1', 'USD', period, [rated({ region: 'ams1', port: 'xe-0/0/1' }, '190', '280'), rated({}, '12.5', '3.125')]);
    expect(lines.map((l) => [l.key, l.description, l.quantity, l.amount])).toEqual([
      ['sub-1/usage/2042-05-01T00:00:00.000Z/colo/transit/port%3Dxe-0%2F0%2F1%2C%20region%3Dams1', 'Colocation: IP transit (port=xe-0/0/1, region=ams1), 190 Mbps', '190', '280.00'],
      ['sub-1/usage/2042-05-01T00:00:00.000Z/colo/transit', 'Colocation: IP transit, 12.5 Mbps', '12.5', '3.13'],
    ]);
    expect(lines.every((l) => l.kind === 'usage' && l.periodStart === '2042-05-01T00:00:00.000Z' && l.periodEnd === '2042-06-01T00:00:00.000Z')).toBe(true);
  });

  it('labels a missing group value and sorts the keys', () => {
    expect(groupLabel({ z: 'last', a: null })).toBe('a=(none), z=last');
    expect(groupLabel({})).toBe('');
  });

  it('JPY amounts round to whole yen', () => {
    expect(usageLines('s', 'JPY', period, [rated({}, '1', '1234.5')])[0]!.amount).toBe('1235');
  });
});

describe('usage adjustments', () => {
  it('bills the difference between the re-rated period and everything recorded for it', () => {
    const line = usageAdjustmentLine('sub-1', 'USD', period, closing, [rated({ port: 'a' }, '100', '150.00'), rated({ port: 'b' }, '60', '90.00')], { quantity: new Decimal('140'), amount: new Decimal('210.00') }, charge);
    expect(line).toMatchObject({
      key: 'sub-1/usage_adjustment/2042-05-01T00:00:00.000Z/colo/transit/2042-06-01T00:00:00.000Z',
      kind: 'usage_adjustment', quantity: '20', amount: '30.00',
      periodStart: '2042-05-01T00:00:00.000Z', periodEnd: '2042-06-01T00:00:00.000Z',
    });
    expect(line!.description).toBe('Colocation: IP transit, adjustment for 2042-05-01 to 2042-06-01 (late usage, +20 Mbps)');
  });

  it('credits when the period now rates lower (a corrected sample), and records nothing when unchanged', () => {
    const lower = usageAdjustmentLine('s', 'USD', period, closing, [rated({}, '90', '130.00')], { quantity: new Decimal('100'), amount: new Decimal('150.00') }, charge);
    expect(lower).toMatchObject({ quantity: '-10', amount: '-20.00' });
    expect(lower!.description).toContain('(late usage, -10 Mbps)');
    expect(usageAdjustmentLine('s', 'USD', period, closing, [rated({}, '100', '150.00')], { quantity: new Decimal('100'), amount: new Decimal('150') }, charge)).toBeNull();
  });

  it('a quantity change that costs nothing (inside an allowance) is still recorded, at zero', () => {
    const line = usageAdjustmentLine('s', 'USD', period, closing, [rated({}, '80', '0')], { quantity: new Decimal('50'), amount: new Decimal('0') }, charge);
    expect(line).toMatchObject({ quantity: '30', amount: '0.00' });
  });
});
