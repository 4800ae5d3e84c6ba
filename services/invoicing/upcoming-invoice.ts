import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Invoice } from '../../db/entities/invoicing/invoice';
import { Subscription } from '../../db/entities/subscriptions/subscription';
import { chargeDetailsOf } from '../../domain/invoicing/charge-details';
import type { BillableItem } from '../../domain/invoicing/invoice-generator';
import type { InvoiceDocument } from '../../domain/invoicing/invoice-document';
import { groupLabel } from '../../domain/metering/usage-lines';
import { boundaryAfter, nextPeriod, periodContaining, type BillingCycle } from '../../domain/periods/billing-cycle';
import { advanceLines, money } from '../../domain/subscriptions/charge-lines';
import { notFound } from '../../lib/errors';
import { rateSubscriptionUsage } from '../metering/usage-rating';
import { accountCycle } from './bill-run';
import { buildInvoice } from './invoice-builder';
import { billingAccountIdOf, loadBillingGroup } from './invoice-sources';

/**
 * The next invoice of an account's billing account, as it would be if it
 * were built now (docs/invoicing.md, "Upcoming invoice"): the same builder
 * as a real invoice, over the charges waiting for it plus what the
 * subscriptions will record by its bill date — usage rated from each
 * period's start to now, and the fixed fees in advance of the periods that
 * start by then. Estimated lines have keys starting `estimate:`. Saves
 * nothing. When a cycle draft is still in its grace period, the upcoming
 * invoice is that draft, rebuilt.
 */
const LIVE = ['trialing', 'active', 'past_due', 'suspended'] as const;
const PREVIEW_ID = '00000000-0000-0000-0000-000000000000';

export interface UpcomingInvoice {
  account_id: string;
  billing_account_id: string;
  draft_invoice_id: string | null;
  bill_date: string;
  estimated_line_keys: string[];
  document: InvoiceDocument;
}

function subscriptionCycle(s: Subscription): BillingCycle {
  const anchor = s.billingAnchor === 'calendar'
    ? { kind: 'calendar' as const, day: s.billingAnchorDay ?? 1 }
    : { kind: 'anniversary' as const, at: s.activatedAt ?? s.startAt };
  return { interval: s.billingInterval, timeZone: s.timezone, anchor };
}

async function estimatesFor(tx: EntityManager, s: Subscription, billDate: Date, now: Date): Promise<BillableItem[]> {
  const start = s.currentPeriodStart;
  const end = s.currentPeriodEnd;
  if (!start || !end || end > billDate || now < start) return [];
  const items: BillableItem[] = [];
  const usageTo = now < end ? now : end;
  for (const r of await rateSubscriptionUsage(tx, s.tenantId, s.id, { start, end: usageTo })) {
    const label = groupLabel(r.group);
    const details = chargeDetailsOf(r.rated.rating, r.metricCode, label ? r.group : null);
    items.push({
      key: `estimate:usage:${s.id}/${start.toISOString()}/${r.itemCode}/${r.chargeKey}${label ? `/${label}` : ''}`,
      kind: 'usage', accountId: s.accountId, subscriptionId: s.id,
      description: `${r.itemName}: ${r.description}${label ? ` (${label})` : ''}, to date`,
      productCode: r.product, productName: null, taxCode: null,
      periodStart: start.toISOString(), periodEnd: end.toISOString(),
      quantity: r.quantity.toFixed(), unitPrice: details.unit_price, amount: money(r.amount, s.currency),
      breakdown: details.breakdown, percentile: null,
    });
  }
  const renews = !s.cancelAtPeriodEnd && (!s.endsAt || s.endsAt > end) && s.status !== 'trialing';
  if (renews) {
    const cycle = subscriptionCycle(s);
    const next = nextPeriod(cycle, { start, end });
    const ctx = { subscriptionId: s.id, currency: s.currency, cycle, prorationUnit: s.prorationUnit };
    for (const line of advanceLines(ctx, s.terms.items, next)) {
      items.push({
        key: `estimate:${line.key}`, kind: 'recurring', accountId: s.accountId, subscriptionId: s.id, description: line.description,
        productCode: line.product, productName: null, taxCode: null, periodStart: line.periodStart, periodEnd: line.periodEnd,
        quantity: line.quantity, unitPrice: null, amount: line.amount, breakdown: [], percentile: null,
      });
    }
  }
  return items;
}

export async function upcomingInvoice(tx: EntityManager, tenantId: string, accountId: string, now: Date): Promise<UpcomingInvoice> {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw notFound('account', accountId);
  const billingId = await billingAccountIdOf(tx, tenantId, accountId);
  const billing = billingId === account.id ? account : await tx.findOneByOrFail(Account, { tenantId, id: billingId });
  const members = await loadBillingGroup(tx, tenantId, billingId);
  const draft = await tx.findOne(Invoice, { where: { tenantId, accountId: billingId, kind: 'cycle', status: 'draft' }, order: { billDate: 'ASC' } });
  const cycle = accountCycle({ billing_anchor_day: billing.billingAnchorDay, timezone: billing.timezone });
  const billDate = draft?.billDate ?? boundaryAfter(cycle, now);
  const subscriptions = await tx.findBy(Subscription, { tenantId, accountId: In(members.map((m) => m.id)), status: In([...LIVE]) });
  const estimates: BillableItem[] = [];
  for (const s of subscriptions) estimates.push(...(await estimatesFor(tx, s, billDate, now)));
  const periodStart = draft?.periodStart ?? periodContaining(cycle, new Date(billDate.getTime() - 1)).start;
  const built = await buildInvoice(
    tx,
    tenantId,
    {
      id: draft?.id ?? PREVIEW_ID, status: 'draft', number: null, currency: billing.currency, billingAccountId: billingId, billDate,
      period: draft?.periodStart && draft.periodEnd ? { start: draft.periodStart, end: draft.periodEnd } : { start: periodStart, end: billDate },
      issuedAt: null, dueAt: null, poNumber: draft?.poNumber ?? null, memo: draft?.memo ?? null,
    },
    members,
    { existingInvoiceId: draft?.id ?? null, applyCredit: true, includePending: true, extraItems: estimates },
  );
  return {
    account_id: accountId,
    billing_account_id: billingId,
    draft_invoice_id: draft?.id ?? null,
    bill_date: billDate.toISOString(),
    estimated_line_keys: estimates.map((e) => e.key),
    document: built.document,
  };
}
