import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TaxRate } from '../../../db/entities/invoicing/tax-rate';
import { billingAccountOf, billingGroup, type AccountNode } from '../../../domain/invoicing/billing-group';
import type { InvoiceDocument, InvoiceLine } from '../../../domain/invoicing/invoice-document';
import { taxableLines } from '../../../domain/invoicing/invoice-generator';
import { Decimal } from '../../../domain/money/decimal';
import { calculateTax } from '../../../domain/tax/tax-calculation';
import { dueBillingAccounts, dueDrafts, nextBillingWake } from '../../../services/invoicing/bill-run';
import { grantCredit } from '../../../services/invoicing/credit-balance';
import { draftCycleInvoice, refreshInvoice } from '../../../services/invoicing/invoice-drafts';
import { finalizeIfDraft, finalizeInvoice, updateDraft } from '../../../services/invoicing/invoice-lifecycle';
import { createOneOffCharge } from '../../../services/invoicing/one-off-charges';
import { taxRateTerms } from '../../../services/invoicing/tax-provider';
import { updateTenantSettings } from '../../../services/tenants/tenant-service';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import {
  arbBillingScenario, billDatesOf, isLocalBillDate, minorOf, scenarioEvents, scheduleCycle, seededRandom, written,
  type BillingScenario, type ScenarioEvent,
} from '../../support/invoicing-generators';
import { insertAccounts, insertCharges, insertPlan, insertSubscription, insertTaxRate, snapshotFinalised, systemChange, tenantTx } from '../../support/invoicing-fixtures';
import { createTestTenant } from '../../support/tenants';

/**
 * The invoicing invariants on real PostgreSQL, over generated scenarios
 * (fast-check, fixed seed): account trees with mixed master billing, anchor
 * days and time zones (one with DST); subscriptions recording in-advance
 * fees, coupons, mid-cycle changes, usage and late usage adjustments over
 * three cycles; one-off charges; prepaid credit; exclusive and inclusive
 * taxes. The bill run is replayed the way the scheduler drives it — at every
 * wake nextBillingWake announces: due accounts drafted in pages, drafts
 * whose grace ended finalised — with crashed attempts (rolled back), two
 * workers racing on the same account, and retries. Then:
 * - every charge whose period started by its billing account's last bill
 *   date is on exactly one invoice (claimed by it, one line), of that
 *   account, the earliest that could still take it; later ones on none;
 * - one invoice per billing account and bill date, numbers gapless;
 * - stored figures = lines + tax − discounts − credit applied, the tax the
 *   rate table gives, the credit balance applied as far as it goes;
 * - a finalised invoice (row, lines, claimed charges) never changes again,
 *   and the triggers refuse to change it.
 */
const START = new Date('2031-01-01T00:00:00.000Z');
const HOUR = 3_600_000;
const SCENARIOS = fc.sample(arbBillingScenario, { seed: 6_2031, numRuns: 10 });
jest.setTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

interface Recorded {
  id: string;
  table: 'subscription_charges' | 'one_off_charges';
  at: Date;
  periodStart: Date;
  periodEnd: Date;
  account: string;
  subscription: string | null;
  kind: string;
  amount: string;
}

interface World {
  s: BillingScenario;
  tenantId: string;
  ids: string[];
  nodes: Map<string, AccountNode>;
  subs: Array<{ id: string; product: string }>;
  recorded: Recorded[];
  end: Date;
  snapshots: Map<string, string>;
  random: () => number;
}

const run = <T>(w: World, work: (tx: EntityManager) => Promise<T>) => tenantTx(db.dataSource, w.tenantId, work);
const billingOf = (w: World, accountId: string) => billingAccountOf(w.nodes, accountId);

class SimulatedCrash extends Error {}
/** A worker that dies after the work but before COMMIT: everything it wrote rolls back. */
async function crashAfter(w: World, work: (tx: EntityManager) => Promise<unknown>): Promise<void> {
  await expect(run(w, async (tx) => { await work(tx); throw new SimulatedCrash(); })).rejects.toBeInstanceOf(SimulatedCrash);
}

async function setUp(s: BillingScenario, n: number): Promise<World> {
  const tenant = await createTestTenant(db.dataSource, `invariants-${n}`);
  await db.dataSource.transaction((tx) =>
    updateTenantSettings(tx, { actor: { type: 'system', id: 'test', label: 'test' }, requestId: null, now: START }, tenant.id, { invoice_grace_period_hours: s.graceHours }),
  );
  const ids = s.accounts.map(() => randomUUID());
  const nodes = new Map(s.accounts.map((a, i): [string, AccountNode] => [ids[i]!, { id: ids[i]!, name: a.name, parentId: a.parent === null ? null : ids[a.parent]!, billToParent: a.billToParent }]));
  const subs: World['subs'] = [];
  await tenantTx(db.dataSource, tenant.id, async (tx) => {
    await insertAccounts(tx, tenant.id, s.accounts.map((a, i) => ({
      id: ids[i]!, name: a.name, parentId: nodes.get(ids[i]!)!.parentId, billToParent: a.billToParent, currency: s.currency,
      anchorDay: s.schedules[a.schedule]!.anchorDay, timezone: s.schedules[a.schedule]!.timeZone,
      ...(a.place ? { country: a.place.country, region: a.place.region } : {}), taxExemption: a.exemption,
    })));
    for (const rate of [
      { name: 'NY sales tax', country: 'US', region: 'NY', percentage: '8.875' },
      { name: 'MwSt.', country: 'DE', percentage: '19', inclusive: true },
      { name: 'MwSt. (reduced)', country: 'DE', taxCode: 'power', percentage: '7', inclusive: true },
      { name: 'GST', country: 'CA', percentage: '5' },
      { name: 'HST (provincial part)', country: 'CA', region: 'ON', percentage: '8' },
    ]) await insertTaxRate(tx, tenant.id, rate);
    for (const [i, sub] of s.subscriptions.entries()) {
      const product = `p${i}`;
      const minimum = sub.minimumMinor === null ? {} : { minimum: written(sub.minimumMinor, s.currency) };
      const plan = await insertPlan(tx, tenant.id, { code: product, currency: s.currency, taxCode: sub.taxCode, ...minimum });
      subs.push({ id: await insertSubscription(tx, tenant.id, ids[sub.account]!, plan, s.currency), product });
    }
  });
  const world: World = { s, tenantId: tenant.id, ids, nodes, subs, recorded: [], end: START, snapshots: new Map(), random: seededRandom(n + 1) };
  world.end = endOf(world, scenarioEvents(s, START));
  return world;
}

/**
 * A month after the last recording, so every billing account has a bill
 * date after it, at an instant no billing account has a draft open (every
 * invoice is final).
 */
function endOf(w: World, events: readonly ScenarioEvent[]): Date {
  const graceMs = w.s.graceHours * HOUR;
  const schedules = new Set(w.ids.filter((id) => billingOf(w, id) === id).map((id) => w.s.accounts[w.ids.indexOf(id)]!.schedule));
  let end = events[events.length - 1]!.at.getTime() + 32 * 24 * HOUR + graceMs;
  const open = (t: number) => [...schedules].some((k) => billDatesOf(scheduleCycle(w.s.schedules[k]!), new Date(t - graceMs), new Date(t)).some((b) => b.getTime() > t - graceMs));
  while (graceMs > 0 && open(end)) end += HOUR;
  return new Date(end);
}

/** What the world recorded since the last wake, in one transaction, each write at its own instant. */
async function record(w: World, events: readonly ScenarioEvent[]): Promise<void> {
  if (events.length === 0) return;
  await run(w, async (tx) => {
    for (const event of events) {
      const change = systemChange(w.tenantId, event.at);
      const account = w.ids[event.account]!;
      if (event.type === 'grant') {
        await grantCredit(tx, change, account, { amount: new Decimal(written(event.minor, w.s.currency)), currency: w.s.currency, kind: 'prepaid', description: 'Prepaid' });
      } else if (event.type === 'one_off') {
        const charge = await createOneOffCharge(tx, change, {
          account_id: account, description: 'Remote hands', quantity: new Decimal(event.quantity),
          unit_price: new Decimal(written(event.unitPriceMinor, w.s.currency)), service_date: event.serviceDate.toISOString(),
        });
        w.recorded.push({ id: charge.id, table: 'one_off_charges', at: event.at, periodStart: event.serviceDate, periodEnd: event.serviceDate, account, subscription: null, kind: 'one_off', amount: charge.amount });
      } else {
        const sub = w.subs[event.subscription]!;
        const id = randomUUID();
        const amount = written(event.minor, w.s.currency);
        await insertCharges(tx, w.tenantId, [{
          id, accountId: account, subscriptionId: sub.id, kind: event.kind, product: event.kind === 'discount' ? null : sub.product,
          description: event.description, periodStart: event.periodStart, periodEnd: event.periodEnd, amount, currency: w.s.currency,
        }]);
        w.recorded.push({ id, table: 'subscription_charges', at: event.at, periodStart: event.periodStart, periodEnd: event.periodEnd, account, subscription: sub.id, kind: event.kind, amount });
      }
    }
  });
}

/** One bill run at `asOf`, as the workflow does it, with crashes, a racing duplicate worker and retries. */
async function billRun(w: World, asOf: Date): Promise<void> {
  const change = systemChange(w.tenantId, asOf);
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof dueBillingAccounts>> = await run(w, (tx) => dueBillingAccounts(tx, w.tenantId, asOf, after, 2));
    for (const due of page.accounts) {
      const request = { billingAccountId: due.billingAccountId, billDate: new Date(due.billDate), periodStart: new Date(due.periodStart) };
      if (w.random() < 0.3) await crashAfter(w, (tx) => draftCycleInvoice(tx, change, request));
      const [a, b] = await Promise.all([run(w, (tx) => draftCycleInvoice(tx, change, request)), run(w, (tx) => draftCycleInvoice(tx, change, request))]);
      expect(a).not.toBeNull();
      expect(b?.id).toBe(a!.id);
      // Drafting again is a no-op: same row, same lines, nothing audited.
      const [before, again, after] = await run(w, async (tx) => [await draftFingerprint(tx, a!.id), await draftCycleInvoice(tx, change, request), await draftFingerprint(tx, a!.id)] as const);
      expect(again!.id).toBe(a!.id);
      expect(after).toBe(before);
    }
    after = page.next;
  } while (after !== null);

  const ids: string[] = [];
  do {
    const page: { ids: string[]; next: string | null } = await run(w, (tx) => dueDrafts(tx, w.tenantId, asOf, after, 2));
    ids.push(...page.ids);
    after = page.next;
  } while (after !== null);
  for (const id of ids) {
    if (w.random() < 0.3) await crashAfter(w, (tx) => finalizeIfDraft(tx, change, id));
    const racing = await Promise.all([run(w, (tx) => finalizeIfDraft(tx, change, id)), run(w, (tx) => finalizeIfDraft(tx, change, id))]);
    // One finalises; the other, a retry in effect, finds it done.
    expect(racing.filter((r) => r !== null)).toHaveLength(1);
  }
  // The run converged: nothing left due at its instant.
  const left = await run(w, async (tx) => [(await dueBillingAccounts(tx, w.tenantId, asOf, null, 1000)).accounts, (await dueDrafts(tx, w.tenantId, asOf, null, 1000)).ids]);
  expect(left).toEqual([[], []]);
  await compareSnapshots(w);
}

async function draftFingerprint(tx: EntityManager, invoiceId: string): Promise<string> {
  const [row] = (await tx.query(
    `SELECT 'revision ' || i.revision || ', audit entries ' || (SELECT count(*) FROM audit_log a WHERE a.tenant_id = i.tenant_id) || ', content md5 '
            || md5((i.*)::text || (SELECT coalesce(string_agg((l.*)::text, '|' ORDER BY l.line_key), '') FROM invoice_lines l WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id)) AS f
       FROM invoices i WHERE i.id = $1`, [invoiceId])) as Array<{ f: string }>;
  return row!.f;
}

/** Finalised invoices are byte-identical to the first time they were seen finalised. */
async function compareSnapshots(w: World): Promise<void> {
  const now = await run(w, (tx) => snapshotFinalised(tx, w.tenantId));
  for (const [id, text] of w.snapshots) expect(now.get(id)).toBe(text);
  for (const [id, text] of now) if (!w.snapshots.has(id)) w.snapshots.set(id, text);
}

/** Later refreshes and re-drafting of finalised invoices change nothing. */
async function refreshFinalised(w: World): Promise<void> {
  const rows = (await run(w, (tx) => tx.query(`SELECT id, account_id, bill_date, period_start FROM invoices WHERE tenant_id = $1 AND status <> 'draft'`, [w.tenantId]))) as Array<{ id: string; account_id: string; bill_date: Date; period_start: Date }>;
  const change = systemChange(w.tenantId, new Date(w.end.getTime() + HOUR));
  for (const r of rows) {
    await expect(run(w, (tx) => refreshInvoice(tx, change, r.id))).rejects.toMatchObject({ code: 'invoice_finalized' });
    const again = await run(w, (tx) => draftCycleInvoice(tx, change, { billingAccountId: r.account_id, billDate: r.bill_date, periodStart: r.period_start }));
    expect(again?.id).toBe(r.id);
  }
  const [one] = rows;
  if (one) {
    await expect(run(w, (tx) => updateDraft(tx, change, one.id, { memo: 'edited' }))).rejects.toMatchObject({ code: 'invoice_finalized' });
    await expect(run(w, (tx) => finalizeInvoice(tx, change, one.id))).rejects.toMatchObject({ code: 'invoice_state_conflict' });
  }
  await compareSnapshots(w);
}

async function replay(w: World): Promise<void> {
  const events = [...scenarioEvents(w.s, START)];
  // Fees of a period starting after the last bill date: recorded, never due.
  for (const [i, sub] of w.s.subscriptions.slice(0, 2).entries()) {
    const from = new Date(w.end.getTime() + 24 * HOUR);
    events.push({ type: 'charge', at: events[events.length - 1]!.at, subscription: i, account: sub.account, kind: 'recurring', periodStart: from, periodEnd: new Date(from.getTime() + 30 * 24 * HOUR), minor: 100n, description: 'Future fee' });
  }
  let t = new Date(START.getTime() - 1);
  let next = 0;
  for (;;) {
    const wake = await run(w, (tx) => nextBillingWake(tx, w.tenantId, t));
    const at = wake && wake < w.end ? wake : w.end;
    const due: ScenarioEvent[] = [];
    while (next < events.length && events[next]!.at <= at) due.push(events[next++]!);
    await record(w, due);
    await billRun(w, at);
    // A rerun at the same instant (the workflow retried from the start) finds nothing to do.
    if (w.random() < 0.2) await billRun(w, at);
    if (at === w.end) break;
    t = at;
  }
  expect(next).toBe(events.length);
}

test.each(SCENARIOS.map((s, i) => [i, s] as const))('scenario %i: charges billed once, figures exact, finalised invoices frozen', async (n, s) => {
  const w = await setUp(s, n);
  await replay(w);
  await refreshFinalised(w);
  await checkInvariants(w);
  await checkTriggers(w);
});

interface InvoiceRow {
  id: string; account_id: string; status: string; cycle_key: string; number: string; bill_date: Date; issued_at: Date; period_start: Date; period_end: Date;
  subtotal: string; discount_total: string; tax_total: string; tax_included: string; total: string; credit_applied: string; amount_due: string; amount_remaining: string;
  document: InvoiceDocument;
}
interface LineRow {
  invoice_id: string; line_key: string; position: number; account_id: string; subscription_id: string | null; kind: string;
  subscription_charge_id: string | null; one_off_charge_id: string | null; amount: string; tax_amount: string; line: InvoiceLine;
}

async function load(w: World) {
  return run(w, async (tx) => ({
    invoices: (await tx.query(
      `SELECT id, account_id, status, cycle_key, number, bill_date, issued_at, period_start, period_end, subtotal::text, discount_total::text, tax_total::text,
              tax_included::text, total::text, credit_applied::text, amount_due::text, amount_remaining::text, document
         FROM invoices WHERE tenant_id = $1 ORDER BY sequence_value`, [w.tenantId])) as InvoiceRow[],
    lines: (await tx.query(
      `SELECT invoice_id, line_key, position, account_id, subscription_id, kind, subscription_charge_id, one_off_charge_id, amount::text, tax_amount::text, line
         FROM invoice_lines WHERE tenant_id = $1 ORDER BY invoice_id, position`, [w.tenantId])) as LineRow[],
    claims: (await tx.query(
      `SELECT id, invoice_id FROM subscription_charges WHERE tenant_id = $1 UNION ALL SELECT id, invoice_id FROM one_off_charges WHERE tenant_id = $1`,
      [w.tenantId])) as Array<{ id: string; invoice_id: string | null }>,
    entries: (await tx.query(`SELECT account_id, kind, amount::text, invoice_id FROM credit_balance_entries WHERE tenant_id = $1`, [w.tenantId])) as Array<{ account_id: string; kind: string; amount: string; invoice_id: string | null }>,
    rates: (await tx.find(TaxRate, { where: { tenantId: w.tenantId } })).map(taxRateTerms),
  }));
}

const total = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

async function checkInvariants(w: World): Promise<void> {
  const { invoices, lines, claims, entries, rates } = await load(w);
  const m = (v: string) => minorOf(v, w.s.currency);
  const scheduleOf = (accountId: string) => w.s.schedules[w.s.accounts[w.ids.indexOf(accountId)]!.schedule]!;
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const claimOf = new Map(claims.map((c) => [c.id, c.invoice_id]));
  const linesOf = new Map<string, LineRow[]>();
  const linesOfSource = new Map<string, LineRow[]>();
  for (const l of lines) {
    linesOf.set(l.invoice_id, [...(linesOf.get(l.invoice_id) ?? []), l]);
    const source = l.subscription_charge_id ?? l.one_off_charge_id;
    if (source) linesOfSource.set(source, [...(linesOfSource.get(source) ?? []), l]);
  }

  // One final invoice per billing account and bill date, gapless numbers, bill dates at local midnight on the anchor day.
  expect(invoices.filter((i) => i.status !== 'open' && i.status !== 'paid').map((i) => i.status)).toEqual([]);
  expect(new Set(invoices.map((i) => `${i.account_id}/${i.bill_date.toISOString()}`)).size).toBe(invoices.length);
  expect(invoices.map((i) => i.number)).toEqual(invoices.map((_, k) => `INV-${String(k + 1).padStart(6, '0')}`));
  for (const i of invoices) {
    expect(billingOf(w, i.account_id)).toBe(i.account_id);
    expect([i.cycle_key, i.period_end.toISOString(), i.document.number]).toEqual([i.bill_date.toISOString(), i.bill_date.toISOString(), i.number]);
    expect(isLocalBillDate(i.bill_date, scheduleOf(i.account_id))).toBe(true);
    expect(billDatesOf(scheduleCycle(scheduleOf(i.account_id)), i.period_start, i.bill_date)).toEqual([i.period_start, i.bill_date]);
  }

  // Every charge whose period started by its billing account's last bill date is on exactly one invoice, of that
  // account, the earliest that could still take it when it was recorded; the others (next periods' fees) on none.
  for (const r of w.recorded) {
    const invoiceId = claimOf.get(r.id) ?? null;
    const billing = billingOf(w, r.account);
    const last = billDatesOf(scheduleCycle(scheduleOf(billing)), START, w.end).pop()!;
    const label = `${r.kind} ${r.id} for ${r.periodStart.toISOString()} recorded ${r.at.toISOString()}`;
    expect(r.at < last).toBe(true);
    expect([label, invoiceId !== null]).toEqual([label, r.periodStart <= last]);
    const onLines = linesOfSource.get(r.id) ?? [];
    expect(onLines.map((l) => l.invoice_id)).toEqual(invoiceId === null ? [] : [invoiceId]);
    if (invoiceId === null) continue;
    const inv = byId.get(invoiceId)!;
    expect(inv.account_id).toBe(billing);
    expect([label, inv.bill_date >= r.periodStart, inv.issued_at >= r.at]).toEqual([label, true, true]);
    const passedOver = invoices.filter((j) => j.account_id === billing && j.bill_date >= r.periodStart && j.bill_date < inv.bill_date && j.issued_at >= r.at);
    expect([label, passedOver.map((j) => j.number)]).toEqual([label, []]);
    const line = onLines[0]!;
    const key = `${r.table === 'one_off_charges' ? 'one_off' : 'charge'}:${r.id}`;
    expect([line.line_key, line.kind, line.account_id, line.subscription_id, m(line.amount)]).toEqual([key, r.kind, r.account, r.subscription, m(r.amount)]);
  }
  for (const l of lines) {
    const source = l.subscription_charge_id ?? l.one_off_charge_id;
    if (l.kind === 'minimum_true_up') expect(source).toBeNull();
    else expect(claimOf.get(source!)).toBe(l.invoice_id);
  }

  // Figures: lines + tax − discounts − credit applied; tax as the rate table says; credit applied as far as the balance goes.
  const balance = new Map<string, bigint>();
  for (const e of entries.filter((x) => x.kind === 'prepaid')) balance.set(e.account_id, (balance.get(e.account_id) ?? 0n) + m(e.amount));
  for (const i of invoices) {
    const rows = linesOf.get(i.id) ?? [];
    const doc = i.document;
    const docLines = doc.groups.flatMap((g) => g.lines);
    expect(rows.map((l) => l.line)).toEqual(docLines);
    expect(rows.map((l) => l.position)).toEqual(rows.map((_, k) => k + 1));
    rows.forEach((l) => expect(m(l.tax_amount)).toBe(total(l.line.taxes.map((t) => m(t.amount)))));
    const charges = total(rows.filter((l) => l.kind !== 'discount').map((l) => m(l.amount)));
    const discounts = total(rows.filter((l) => l.kind === 'discount').map((l) => m(l.amount)));
    const taxes = docLines.flatMap((l) => l.taxes);
    const exclusive = total(taxes.filter((t) => !t.inclusive).map((t) => m(t.amount)));
    const sum = charges + discounts + exclusive;
    const before = balance.get(i.account_id) ?? 0n;
    const applied = min(max(sum, 0n), before);
    const expected = {
      subtotal: charges, discount_total: -discounts, tax_total: exclusive, tax_included: total(taxes.filter((t) => t.inclusive).map((t) => m(t.amount))),
      total: sum, credit_applied: applied, amount_due: max(sum - applied, 0n), amount_remaining: max(sum - applied, 0n),
    };
    const figures = (o: Record<keyof typeof expected, string>) => Object.fromEntries(Object.keys(expected).map((k) => [k, m(o[k as keyof typeof expected])]));
    expect(figures(i)).toEqual(expected);
    expect(figures(doc.totals)).toEqual(expected);
    expect(i.status).toBe(expected.amount_due === 0n ? 'paid' : 'open');
    const ledger = (kind: string) => entries.filter((e) => e.invoice_id === i.id && e.kind === kind).map((e) => m(e.amount));
    expect([ledger('invoice_applied'), ledger('negative_invoice')]).toEqual([applied > 0n ? [-applied] : [], sum < 0n ? [-sum] : []]);
    balance.set(i.account_id, before - applied + (sum < 0n ? -sum : 0n));

    const members = billingGroup(w.nodes, i.account_id).filter((x) => docLines.some((l) => l.account_id === x.id));
    expect(doc.groups.map((g) => [g.account_id, g.depth, g.path])).toEqual(members.map((x) => [x.id, x.depth, x.path]));
    for (const g of doc.groups) expect(m(g.subtotal)).toBe(total(g.lines.map((l) => m(l.amount))));
    const a = w.s.accounts[w.ids.indexOf(i.account_id)]!;
    const tax = calculateTax(rates, {
      currency: w.s.currency, at: i.bill_date, place: a.place ? { country: a.place.country, region: a.place.region } : null,
      exemption: a.exemption, customerTaxIds: [], lines: taxableLines(doc.groups),
    });
    expect([docLines.map((l) => l.taxes), doc.taxes, doc.tax_notes]).toEqual([docLines.map((l) => tax.lines.get(l.key)), tax.summary, tax.notes]);
  }
  for (const [account, expected] of balance) {
    expect(expected).toBeGreaterThanOrEqual(0n);
    expect(total(entries.filter((e) => e.account_id === account).map((e) => m(e.amount)))).toBe(expected);
  }

  // Minimum commitments: a period's true-up is on the invoice of its usage, once, for minimum − what the period had billed by then.
  const trueUps = lines.filter((l) => l.kind === 'minimum_true_up');
  const owed = new Set<string>();
  for (const u of w.recorded.filter((r) => r.kind === 'usage')) {
    const minimum = w.s.subscriptions[w.subs.findIndex((x) => x.id === u.subscription)]!.minimumMinor;
    const invoiceId = claimOf.get(u.id);
    if (minimum === null || !invoiceId) continue;
    const inv = byId.get(invoiceId)!;
    const billed = total(w.recorded.filter((x) => x.subscription === u.subscription && x.periodStart >= u.periodStart && x.periodStart < u.periodEnd && x.at <= inv.issued_at).map((x) => m(x.amount)));
    const key = `true_up:${u.subscription}/${u.periodStart.toISOString()}`;
    owed.add(key);
    const shortfall = BigInt(minimum) - billed;
    expect([key, trueUps.filter((l) => l.line_key === key).map((l) => [l.invoice_id, m(l.amount)])]).toEqual([key, shortfall > 0n ? [[inv.id, shortfall]] : []]);
  }
  expect(trueUps.filter((l) => !owed.has(l.line_key))).toEqual([]);
}

/** What a finalised invoice says, column by column: each change alone is refused. */
const FROZEN_COLUMNS: Record<string, string> = {
  number: `number || 'X'`, currency: `'XTS'`, document: `jsonb_set(document, '{totals,total}', '"0"')`, revision: 'revision + 1',
  account_id: '(SELECT a.id FROM accounts a WHERE a.tenant_id = $1 AND a.id <> invoices.account_id LIMIT 1)',
  ...Object.fromEntries(['subtotal', 'discount_total', 'tax_total', 'tax_included', 'total', 'credit_applied', 'amount_due'].map((c) => [c, `${c} + 1`])),
  ...Object.fromEntries(['issued_at', 'due_at', 'period_start', 'period_end'].map((c) => [c, `${c} + interval '1 day'`])),
  ...Object.fromEntries(['po_number', 'memo'].map((c) => [c, `coalesce(${c}, '') || 'x'`])),
};

/** The triggers refuse every change to a finalised invoice's content and lines, for the superuser too, and nothing moves. */
async function checkTriggers(w: World): Promise<void> {
  const [target] = (await run(w, (tx) => tx.query(
    `SELECT i.id FROM invoices i WHERE i.tenant_id = $1 AND i.status <> 'draft'
        AND EXISTS (SELECT 1 FROM invoice_lines l WHERE l.tenant_id = i.tenant_id AND l.invoice_id = i.id) ORDER BY i.sequence_value LIMIT 1`, [w.tenantId]))) as Array<{ id: string }>;
  const id = target!.id;
  const line = `WHERE tenant_id = $1 AND invoice_id = $2`;
  const invoice = `WHERE tenant_id = $1 AND id = $2`;
  const attempts = [
    `UPDATE invoice_lines SET amount = amount + 1 ${line}`,
    `UPDATE invoice_lines SET line = jsonb_set(line, '{description}', '"edited"') ${line}`,
    `UPDATE invoice_lines SET tax_amount = 0, description = 'edited' ${line}`,
    `DELETE FROM invoice_lines ${line}`,
    `INSERT INTO invoice_lines (tenant_id, invoice_id, line_key, position, account_id, kind, description, amount, tax_amount, line)
       SELECT tenant_id, invoice_id, 'one_off:extra', 999, account_id, 'one_off', 'Extra', 1, 0, line FROM invoice_lines ${line} LIMIT 1`,
    ...Object.entries(FROZEN_COLUMNS).map(([column, value]) => `UPDATE invoices SET ${column} = ${value} ${invoice}`),
    `DELETE FROM invoices ${invoice}`,
  ];
  for (const sql of attempts) expect([sql, await run(w, (tx) => tx.query(sql, [w.tenantId, id])).then(() => 'accepted', (e: Error) => e.message)]).toEqual([sql, expect.stringMatching(/immutable|cannot be deleted/)]);
  await expect(db.asSuperuser((c) => c.query(`UPDATE invoice_lines SET amount = 0 ${line}`, [w.tenantId, id]))).rejects.toThrow(/immutable/);
  await expect(db.asSuperuser((c) => c.query(`DELETE FROM invoices ${invoice}`, [w.tenantId, id]))).rejects.toThrow(/cannot be deleted/);
  await compareSnapshots(w);
}

describe('holes in the frozen-invoice triggers', () => {
  /** One account with a finalised February invoice and a March draft. */
  async function finalisedAndDraft(): Promise<{ tenantId: string; finalised: string; draft: string }> {
    const tenant = await createTestTenant(db.dataSource, `frozen-${randomUUID().slice(0, 8)}`);
    const [account, feb, mar] = [randomUUID(), new Date('2031-02-01T00:00:00Z'), new Date('2031-03-01T00:00:00Z')];
    const on = <T>(work: (tx: EntityManager) => Promise<T>) => tenantTx(db.dataSource, tenant.id, work);
    await on(async (tx) => {
      await insertAccounts(tx, tenant.id, [{ id: account, name: 'Frozen Ltd' }]);
      const sub = await insertSubscription(tx, tenant.id, account, await insertPlan(tx, tenant.id, { code: 'cabinet' }));
      await insertCharges(tx, tenant.id, [[START, feb], [new Date('2031-02-15T00:00:00Z'), mar]].map(([from, to]) => ({
        accountId: account, subscriptionId: sub, kind: 'recurring' as const, product: 'cabinet', periodStart: from!, periodEnd: to!, amount: '100.00',
      })));
    });
    const february = await on((tx) => draftCycleInvoice(tx, systemChange(tenant.id, feb), { billingAccountId: account, billDate: feb, periodStart: START }));
    await on((tx) => finalizeInvoice(tx, systemChange(tenant.id, feb), february!.id));
    const march = await on((tx) => draftCycleInvoice(tx, systemChange(tenant.id, mar), { billingAccountId: account, billDate: mar, periodStart: feb }));
    return { tenantId: tenant.id, finalised: february!.id, draft: march!.id };
  }

  // Found by this suite: the line trigger once looked only at the new parent, so a line could leave a finalised invoice.
  test('a line cannot be moved out of a finalised invoice into a draft', async () => {
    const { tenantId, finalised, draft } = await finalisedAndDraft();
    await expect(tenantTx(db.dataSource, tenantId, (tx) =>
      tx.query(`UPDATE invoice_lines SET invoice_id = $3 WHERE tenant_id = $1 AND invoice_id = $2`, [tenantId, finalised, draft]))).rejects.toThrow(/immutable/);
  });

  // Found by this suite: a list of frozen columns missed sequence_value and cycle_key; the trigger now freezes every
  // column but the payment status and figures.
  test.each([['sequence_value', 'sequence_value + 1000'], ['cycle_key', `cycle_key || '-moved'`], ['bill_date', `bill_date + interval '1 day'`]])('a finalised invoice’s %s cannot change', async (column, value) => {
    const { tenantId, finalised } = await finalisedAndDraft();
    await expect(tenantTx(db.dataSource, tenantId, (tx) =>
      tx.query(`UPDATE invoices SET ${column} = ${value} WHERE tenant_id = $1 AND id = $2`, [tenantId, finalised]))).rejects.toThrow(/immutable/);
  });

  test('a charge on a finalised invoice keeps its amount and its invoice', async () => {
    const { tenantId, finalised } = await finalisedAndDraft();
    for (const change of ['invoice_id = NULL', 'amount = amount + 1']) {
      await expect(tenantTx(db.dataSource, tenantId, (tx) =>
        tx.query(`UPDATE subscription_charges SET ${change} WHERE tenant_id = $1 AND invoice_id = $2`, [tenantId, finalised]))).rejects.toThrow(/finalised invoice/);
    }
  });
});
