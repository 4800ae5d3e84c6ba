/**
 * The demo provider's catalogue, as the API would receive it: what a
 * colocation and interconnection provider sells. Every item is parsed by the
 * same schemas as the API, so the demo cannot drift from them.
 */
export const DEMO_PRODUCTS = [
  { code: 'cabinet', name: 'Full cabinet (42U)', unit_label: 'cabinet', gl_code: '4010', tax_code: 'colocation' },
  { code: 'power-commit', name: 'Committed power', unit_label: 'kW', gl_code: '4020', tax_code: 'utilities' },
  { code: 'power-energy', name: 'Metered energy', unit_label: 'kWh', gl_code: '4021', tax_code: 'utilities' },
  { code: 'transit', name: 'IP transit (95th percentile)', unit_label: 'Mbps', gl_code: '4030', tax_code: 'telecom' },
  { code: 'cross-connect', name: 'Cross-connect', unit_label: 'cross-connect', gl_code: '4040', tax_code: 'telecom' },
  { code: 'remote-hands', name: 'Remote hands', unit_label: 'hour', gl_code: '4050', tax_code: 'services' },
  { code: 'installation', name: 'Installation', gl_code: '4090', tax_code: 'services' },
  { code: 'bare-metal', name: 'Bare-metal server', unit_label: 'hour', gl_code: '4060', tax_code: 'hosting' },
  { code: 'ipv4', name: 'IPv4 block', unit_label: 'block', gl_code: '4070', tax_code: 'telecom' },
];

export const DEMO_METRICS = [
  {
    code: 'transit-rate',
    name: 'Transit rate (5-minute samples)',
    event_name: 'interface.rate',
    aggregation: { type: 'percentile', property: 'bps', percentile: '95' },
    group_by: ['port_id'],
    unit_label: 'Mbps',
  },
  { code: 'power-demand', name: 'Power demand (15-minute kW)', event_name: 'pdu.power', aggregation: { type: 'peak', property: 'kw' }, unit_label: 'kW' },
  { code: 'energy', name: 'Energy', event_name: 'pdu.energy', aggregation: { type: 'sum', property: 'kwh' }, unit_label: 'kWh' },
  { code: 'hands-minutes', name: 'Remote-hands work', event_name: 'ticket.work', aggregation: { type: 'sum', property: 'minutes' }, unit_label: 'minute' },
  { code: 'server-runtime', name: 'Server runtime', event_name: 'server.runtime', aggregation: { type: 'sum', property: 'seconds' }, unit_label: 'second' },
];

const per = (usd: string, eur: string, jpy: string, model: Record<string, unknown>, field: string) => ({
  USD: { ...model, [field]: usd },
  EUR: { ...model, [field]: eur },
  JPY: { ...model, [field]: jpy },
});

export const DEMO_PLANS = [
  {
    code: 'colo-full-cabinet',
    name: 'Colocation: full cabinet',
    description: 'A 42U cabinet with committed power, metered energy and burstable IP transit.',
    definition: {
      billing_interval: 'month',
      currencies: ['USD', 'EUR', 'JPY'],
      charges: [
        { key: 'cabinet', product: 'cabinet', type: 'recurring', prices: per('1200', '1100', '180000', { model: 'per_unit', unit_label: 'cabinet' }, 'unit_price') },
        { key: 'installation', product: 'installation', type: 'one_time', prices: per('500', '450', '75000', { model: 'flat' }, 'amount') },
        {
          key: 'power',
          product: 'power-commit',
          type: 'usage',
          metric: 'power-demand',
          prices: {
            USD: { model: 'committed_kw', committed_kw: '5', price_per_kw: '150', overage_price_per_kw: '210' },
            EUR: { model: 'committed_kw', committed_kw: '5', price_per_kw: '140', overage_price_per_kw: '195' },
            JPY: { model: 'committed_kw', committed_kw: '5', price_per_kw: '22000', overage_price_per_kw: '31000' },
          },
        },
        {
          key: 'energy',
          product: 'power-energy',
          type: 'usage',
          metric: 'energy',
          prices: {
            USD: { model: 'metered_kwh', price_per_kwh: '0.12', pue: '1.4' },
            EUR: { model: 'metered_kwh', price_per_kwh: '0.21', pue: '1.4' },
            JPY: { model: 'metered_kwh', price_per_kwh: '28', pue: '1.4' },
          },
        },
        {
          key: 'transit',
          product: 'transit',
          type: 'usage',
          metric: 'transit-rate',
          prices: {
            USD: { model: 'percentile', commit_mbps: '200', commit_price: '0.50', burst_price: '0.80', port_speed_mbps: '1000' },
            EUR: { model: 'percentile', commit_mbps: '200', commit_price: '0.45', burst_price: '0.75', port_speed_mbps: '1000' },
            JPY: { model: 'percentile', commit_mbps: '200', commit_price: '75', burst_price: '120', port_speed_mbps: '1000' },
          },
        },
      ],
    },
  },
  {
    code: 'bare-metal-hourly',
    name: 'Bare metal, hourly with a monthly cap',
    definition: {
      billing_interval: 'month',
      fixed_fee_timing: 'in_arrears',
      currencies: ['USD', 'EUR', 'JPY'],
      charges: [
        {
          key: 'server',
          product: 'bare-metal',
          type: 'usage',
          metric: 'server-runtime',
          prices: {
            USD: { model: 'hourly_capped', hourly_price: '0.25', monthly_cap: '150' },
            EUR: { model: 'hourly_capped', hourly_price: '0.23', monthly_cap: '140' },
            JPY: { model: 'hourly_capped', hourly_price: '38', monthly_cap: '22000' },
          },
        },
      ],
    },
  },
  {
    code: 'cross-connect',
    kind: 'addon',
    name: 'Cross-connect (monthly)',
    definition: {
      billing_interval: 'month',
      currencies: ['USD', 'EUR', 'JPY'],
      applies_to_plans: ['colo-full-cabinet'],
      charges: [
        {
          key: 'cross-connects',
          product: 'cross-connect',
          type: 'recurring',
          prices: {
            USD: { model: 'stairstep', tiers: [{ up_to: '10', price: '300' }, { up_to: '25', price: '2500' }, { up_to: null, price: '5000' }] },
            EUR: { model: 'stairstep', tiers: [{ up_to: '10', price: '280' }, { up_to: '25', price: '2300' }, { up_to: null, price: '4600' }] },
            JPY: { model: 'stairstep', tiers: [{ up_to: '10', price: '45000' }, { up_to: '25', price: '375000' }, { up_to: null, price: '750000' }] },
          },
        },
      ],
    },
  },
  {
    code: 'remote-hands',
    kind: 'addon',
    name: 'Remote hands',
    definition: {
      billing_interval: 'month',
      fixed_fee_timing: 'in_arrears',
      currencies: ['USD', 'EUR', 'JPY'],
      charges: [
        {
          key: 'hands',
          product: 'remote-hands',
          type: 'usage',
          metric: 'hands-minutes',
          prices: Object.fromEntries(
            (['USD', 'EUR', 'JPY'] as const).map((currency) => [
              currency,
              {
                model: 'remote_hands',
                hourly_rate: { USD: '120', EUR: '110', JPY: '18000' }[currency],
                minimum_minutes: 30,
                increment_minutes: 15,
                after_hours_multiplier: '1.5',
                expedite_fee: { USD: '75', EUR: '70', JPY: '11000' }[currency],
                business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
              },
            ]),
          ),
        },
      ],
    },
  },
];

export const DEMO_BUNDLES = [
  {
    code: 'starter-cabinet',
    name: 'Starter cabinet',
    description: 'A full cabinet with two cross-connects and remote hands, 10% off.',
    items: { plan: 'colo-full-cabinet', addons: [{ addon: 'cross-connect', quantity: 2 }, { addon: 'remote-hands', quantity: 1 }] },
    discount: { percent_off: '10' },
  },
];

export const DEMO_COUPONS = [
  { code: 'first-quarter-20', name: '20% off the first three months', discount: { type: 'percent', percent_off: '20' }, duration: 'repeating', duration_periods: 3, applies_to: { plans: ['colo-full-cabinet'] } },
  { code: 'install-waiver', name: 'Installation waived', discount: { type: 'amount', amount_off: { USD: '500', EUR: '450', JPY: '75000' } }, duration: 'once', applies_to: { products: ['installation'] } },
];

export const DEMO_PROMOTION_CODES = [{ code: 'COLO2027', coupon: 'first-quarter-20', max_redemptions: 100, first_time_only: true }];

export const DEMO_ASSET_TYPES = [
  { code: 'xc-smf', name: 'Cross-connect, single-mode fiber', product: 'cross-connect', category: 'cross_connect', prices: { USD: { nrc: '500', mrc: '300' }, EUR: { nrc: '450', mrc: '280' }, JPY: { nrc: '75000', mrc: '45000' } } },
  { code: 'cabinet-42u', name: 'Cabinet 42U', product: 'cabinet', category: 'cabinet', prices: { USD: { nrc: '1000', mrc: '1200' }, EUR: { nrc: '900', mrc: '1100' } } },
  { code: 'ipv4-29', name: 'IPv4 /29 (8 addresses)', product: 'ipv4', category: 'ip_block', prices: { USD: { nrc: '0', mrc: '40' }, EUR: { nrc: '0', mrc: '37' } } },
];
