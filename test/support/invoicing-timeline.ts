import type { SubscriptionHarness } from './subscription-harness';
import { seedSubscriptionCatalog } from './subscription-harness';

/**
 * The catalogue of the invoicing timelines (the master-billing end-to-end
 * test and the bill-run history recorder): the subscription catalogue plus a
 * cabinet with 95th-percentile transit (commit 100 Mbps at 1.00, burst at
 * 2.00), a 10 % coupon and New York sales tax valid from `taxFrom`.
 */
export async function seedInvoicingTimelineCatalog(h: SubscriptionHarness, taxFrom: string): Promise<void> {
  const ok = async (path: string, body: unknown) => {
    const res = await h.req('POST', path, body);
    if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${res.text}`);
  };
  await seedSubscriptionCatalog(h);
  await ok('/v1/products', { code: 'transit', name: 'IP transit' });
  await ok('/v1/billable_metrics', {
    code: 'transit-95', name: 'Transit', event_name: 'port_sample', aggregation: { type: 'percentile', property: 'bps', percentile: '95' }, unit_label: 'bit/s',
  });
  await ok('/v1/plans', {
    code: 'colo-transit', name: 'Colocation with transit', definition: {
      billing_interval: 'month', currencies: ['USD'],
      charges: [
        { key: 'rack', product: 'cabinet', type: 'recurring', prices: { USD: { model: 'flat', amount: '1000.00' } } },
        { key: 'transit', product: 'transit', type: 'usage', metric: 'transit-95', prices: { USD: { model: 'percentile', commit_mbps: '100', commit_price: '1.00', burst_price: '2.00' } } },
      ],
    },
  });
  await ok('/v1/coupons', { code: 'ten-off', name: '10 % off', discount: { type: 'percent', percent_off: '10' }, duration: 'forever' });
  await ok('/v1/tax_rates', { name: 'NY sales tax', country: 'US', region: 'NY', percentage: '8.875', valid_from: taxFrom });
}
