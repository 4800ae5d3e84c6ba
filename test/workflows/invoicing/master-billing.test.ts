import { billingSchedulerStatus, BILLING_SCHEDULER_WORKFLOW_ID, type BillingSchedulerStatus } from '../../../workflows/invoicing/definitions';
import { seedInvoicingTimelineCatalog } from '../../support/invoicing-timeline';
import { createAccount, useSubscriptionHarness, type SubscriptionHarness } from '../../support/subscription-harness';

/**
 * Three months of master billing on the time-skipping server, everything
 * real: subscription workflows record charges, the billing scheduler wakes
 * at each bill date and grace end and runs bill runs, usage is ingested
 * through the API. A parent with three children — two billed on its
 * invoice, one billing alone —, a mid-cycle upgrade (day proration, so the
 * amounts are exact), a 95th-percentile transit charge, a 10 % coupon and
 * an 8.875 % sales tax. Late transit samples: one inside the May invoice's
 * grace period (lands on that invoice), one after it (an adjustment on
 * June's). Every invoice is asserted to the cent.
 */
const h = useSubscriptionHarness('master-billing', { startAt: '2044-04-01T00:00:00.000Z', prorationUnit: 'day' });
const MBPS = 1_000_000;
let seq = 0;

function sample(customer: string, at: string, inMbps: number) {
  return { id: `s-${++seq}`, customer, code: 'port_sample', timestamp: at, properties: { port: 'xe-0/0/1', bps: { in: inMbps * MBPS, out: MBPS } } };
}

async function ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await h.req(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown>;
}

async function send(events: unknown[]): Promise<void> {
  const res = (await ok('POST', '/v1/events/batch', { events })) as { results: Array<{ status: string }> };
  expect(res.results.filter((r) => r.status !== 'accepted')).toEqual([]);
}

/** Waits until the billing scheduler has run everything due up to now and sleeps past it. */
async function billingSettled(harness: SubscriptionHarness): Promise<BillingSchedulerStatus> {
  const handle = harness.env.client.workflow.getHandle(BILLING_SCHEDULER_WORKFLOW_ID);
  for (let i = 0; i < 300; i++) {
    const status = await handle.query(billingSchedulerStatus).catch(() => null);
    if (status?.nextWakeAt && Date.parse(status.nextWakeAt) > harness.now().getTime()) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the billing scheduler did not settle');
}

async function advance(iso: string): Promise<void> {
  await h.advanceTo(iso);
  await billingSettled(h);
}

interface InvoiceView {
  id: string;
  number: string | null;
  status: string;
  account_id: string;
  bill_date: string;
  subtotal: string;
  discount_total: string;
  tax_total: string;
  total: string;
  amount_due: string;
  groups: Array<{ account_name: string; subtotal: string; lines: Array<{ kind: string; amount: string; description: string }> }>;
}

async function invoicesOf(account: string): Promise<InvoiceView[]> {
  const list = (await ok('GET', `/v1/invoices?account_id=${account}&limit=100`)) as { data: Array<{ id: string }> };
  const full = await Promise.all(list.data.map((i) => ok('GET', `/v1/invoices/${i.id}`) as Promise<unknown> as Promise<InvoiceView>));
  return full.sort((a, b) => a.bill_date.localeCompare(b.bill_date));
}

function shape(invoice: InvoiceView) {
  return {
    bill_date: invoice.bill_date,
    status: invoice.status,
    groups: invoice.groups.map((g) => [g.account_name, g.subtotal, g.lines.map((l) => `${l.kind} ${l.amount}`).sort()]),
    totals: [invoice.subtotal, invoice.discount_total, invoice.tax_total, invoice.total, invoice.amount_due],
  };
}

let parent = '';
let alone = '';

beforeAll(async () => {
  await seedInvoicingTimelineCatalog(h, '2044-01-01T00:00:00Z');

  const address = { line1: '1 Broadway', city: 'New York', region: 'NY', postal_code: '10004', country: 'US' };
  parent = await createAccount(h, { name: 'Northwind Holdings', external_id: 'nw', billing_address: address, payment_terms: { type: 'net', days: 30 } });
  const east = await createAccount(h, { name: 'Northwind East', external_id: 'nw-east', parent_id: parent, bill_to_parent: true, billing_address: address });
  const west = await createAccount(h, { name: 'Northwind West', external_id: 'nw-west', parent_id: parent, bill_to_parent: true, billing_address: address });
  alone = await createAccount(h, { name: 'Northwind Labs', external_id: 'nw-labs', parent_id: parent, bill_to_parent: false, billing_address: address });

  const subscribe = async (account: string, body: Record<string, unknown>) => (await ok('POST', '/v1/subscriptions', { account_id: account, billing_anchor: 'calendar', ...body })).id as string;
  await subscribe(parent, { plan: 'colo-transit' });
  const eastSub = await subscribe(east, { plan: 'cabinet-half' });
  await subscribe(west, { plan: 'cabinet-full', coupon: 'ten-off' });
  await subscribe(alone, { plan: 'cabinet-half' });
  await h.settle();
  (globalThis as { eastSub?: string }).eastSub = eastSub;

  // Woken by bill dates and grace ends only (no daily safety tick): the test server replays the whole history on every task.
  await h.env.client.workflow.start('billingSchedulerWorkflow', { workflowId: BILLING_SCHEDULER_WORKFLOW_ID, taskQueue: 'rackrate-billing', args: [{ maxSleepHours: 24 * 31 }] });
  await billingSettled(h);
}, 120_000);

it('bills the group and the child alone for three months, to the cent', async () => {
  const eastSub = (globalThis as { eastSub?: string }).eastSub!;

  // April 2: the April invoices finalise (grace 24 h). In advance: rack 1000, half 600, full 1200 less 10 %.
  await advance('2044-04-02T00:00:00.000Z');
  let group = await invoicesOf(parent);
  expect(group.map(shape)).toEqual([
    {
      bill_date: '2044-04-01T00:00:00.000Z', status: 'open',
      groups: [
        ['Northwind Holdings', '1000.00', ['recurring 1000.00']],
        ['Northwind East', '600.00', ['recurring 600.00']],
        ['Northwind West', '1080.00', ['discount -120.00', 'recurring 1200.00']],
      ],
      // 2680.00 × 8.875 % = 237.85
      totals: ['2800.00', '120.00', '237.85', '2917.85', '2917.85'],
    },
  ]);
  expect((await invoicesOf(alone)).map(shape)).toEqual([
    { bill_date: '2044-04-01T00:00:00.000Z', status: 'open', groups: [['Northwind Labs', '600.00', ['recurring 600.00']]], totals: ['600.00', '0.00', '53.25', '653.25', '653.25'] },
  ]);

  // April 16: East upgrades half → full cabinet for the remaining 15 of 30 days: credit 300.00, charge 600.00.
  await advance('2044-04-16T00:00:00.000Z');
  await ok('POST', `/v1/subscriptions/${eastSub}/change`, { plan: 'cabinet-full' });
  // April transit: 20 samples of 10..200 Mbps; nearest rank ceil(0.95 × 20) − 1 = 18 → 190 Mbps: 100 × 1.00 + 90 × 2.00 = 280.00.
  const april = Array.from({ length: 20 }, (_, k) => sample('nw', new Date(Date.UTC(2044, 3, 10, 0, 5 * k)).toISOString(), 10 * (k + 1)));
  await send(april);

  // May 1 12:00, inside the May invoice's grace: a late April sample of 500 Mbps → 21 samples, index 19 → 200 Mbps → 300.00.
  await advance('2044-05-01T12:00:00.000Z');
  await send([sample('nw', '2044-04-25T00:00:00Z', 500)]);
  await advance('2044-05-02T00:00:00.000Z');
  group = await invoicesOf(parent);
  expect(shape(group[1]!)).toEqual({
    bill_date: '2044-05-01T00:00:00.000Z', status: 'open',
    groups: [
      ['Northwind Holdings', '1300.00', ['recurring 1000.00', 'usage 300.00']],
      ['Northwind East', '1500.00', ['proration_charge 600.00', 'proration_credit -300.00', 'recurring 1200.00']],
      ['Northwind West', '1080.00', ['discount -120.00', 'recurring 1200.00']],
    ],
    // 4000.00 − 120.00 = 3880.00 × 8.875 % = 344.35
    totals: ['4000.00', '120.00', '344.35', '4224.35', '4224.35'],
  });

  // May 5, after the grace: another late April sample, 600 Mbps → 22 samples, index 20 → 500 Mbps → 900.00:
  // +600.00 as an adjustment at June's close. May transit stays under the commit: 100.00.
  await advance('2044-05-05T00:00:00.000Z');
  await send([sample('nw', '2044-04-26T00:00:00Z', 600), ...Array.from({ length: 10 }, (_, k) => sample('nw', new Date(Date.UTC(2044, 4, 2, 0, 5 * k)).toISOString(), 50))]);
  await advance('2044-06-02T00:00:00.000Z');
  group = await invoicesOf(parent);
  expect(shape(group[2]!)).toEqual({
    bill_date: '2044-06-01T00:00:00.000Z', status: 'open',
    groups: [
      ['Northwind Holdings', '1700.00', ['recurring 1000.00', 'usage 100.00', 'usage_adjustment 600.00']],
      ['Northwind East', '1200.00', ['recurring 1200.00']],
      ['Northwind West', '1080.00', ['discount -120.00', 'recurring 1200.00']],
    ],
    // 3980.00 × 8.875 % = 353.225 → 353.23
    totals: ['4100.00', '120.00', '353.23', '4333.23', '4333.23'],
  });
  // The April invoice did not move; the May one says 300.00 for April's transit, for ever.
  expect(shape(group[0]!).totals).toEqual(['2800.00', '120.00', '237.85', '2917.85', '2917.85']);
  expect(shape(group[1]!).totals).toEqual(['4000.00', '120.00', '344.35', '4224.35', '4224.35']);

  const labs = await invoicesOf(alone);
  expect(labs.map((i) => [i.bill_date, i.total])).toEqual([
    ['2044-04-01T00:00:00.000Z', '653.25'], ['2044-05-01T00:00:00.000Z', '653.25'], ['2044-06-01T00:00:00.000Z', '653.25'],
  ]);
  // Six invoices, numbered 1..6 without a gap; each charge on exactly one invoice.
  const numbers = [...group, ...labs].map((i) => i.number).sort();
  expect(numbers).toEqual(['INV-000001', 'INV-000002', 'INV-000003', 'INV-000004', 'INV-000005', 'INV-000006']);
  const unbilled = await h.db.asSuperuser(async (c) =>
    (await c.query(`SELECT count(*)::int AS n FROM subscription_charges WHERE invoice_id IS NULL AND period_start <= '2044-06-01'`)).rows[0].n as number);
  expect(unbilled).toBe(0);
  const twice = await h.db.asSuperuser(async (c) =>
    (await c.query(`SELECT count(*)::int AS n FROM (SELECT subscription_charge_id FROM invoice_lines WHERE subscription_charge_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d`)).rows[0].n as number);
  expect(twice).toBe(0);
}, 300_000);
