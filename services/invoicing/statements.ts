import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { money } from '../../domain/subscriptions/charge-lines';
import { notFound } from '../../lib/errors';
import { creditBalanceOf } from './credit-balance';
import { billingAccountIdOf } from './invoice-sources';

/**
 * A statement of account (docs/invoicing.md, "Statements"): what a billing
 * account owed at the start of a window, every movement in it — invoices
 * finalised (their amount due), payments, credit notes (the part that
 * reduced what was owed), voids — with a running balance, what it owes at
 * the end, the open invoices aged by days past due, and the credit balance.
 * The closing balance equals the sum of `amount_remaining` over its
 * finalised, not void invoices issued before the end: the movements are
 * exactly what changed those figures. Reads only.
 */
export interface StatementEntry {
  date: string;
  type: 'invoice' | 'payment' | 'credit_note' | 'void';
  reference: string;
  description: string;
  /** Positive adds to what is owed, negative reduces it. */
  amount: string;
  balance: string;
  invoice_id: string;
}

interface Movement {
  date: Date;
  type: StatementEntry['type'];
  reference: string;
  description: string;
  amount: Decimal;
  invoice_id: string;
  order: number;
}

const AGING = [
  { bucket: 'current', from: -Infinity, to: 0 },
  { bucket: '1_30', from: 1, to: 30 },
  { bucket: '31_60', from: 31, to: 60 },
  { bucket: '61_90', from: 61, to: 90 },
  { bucket: 'over_90', from: 91, to: Infinity },
] as const;

async function movements(tx: EntityManager, tenantId: string, accountId: string, before: Date): Promise<Movement[]> {
  const invoices = (await tx.query(
    `SELECT id, number, issued_at, amount_due::text AS amount_due, voided_at FROM invoices
      WHERE tenant_id = $1 AND account_id = $2 AND number IS NOT NULL AND issued_at < $3`,
    [tenantId, accountId, before],
  )) as Array<{ id: string; number: string; issued_at: Date; amount_due: string; voided_at: Date | null }>;
  const payments = (await tx.query(
    `SELECT p.id, p.invoice_id, i.number, p.created_at, p.amount::text AS amount, p.method, p.reference FROM invoice_payments p
       JOIN invoices i ON i.tenant_id = p.tenant_id AND i.id = p.invoice_id
      WHERE p.tenant_id = $1 AND i.account_id = $2 AND p.created_at < $3`,
    [tenantId, accountId, before],
  )) as Array<{ id: string; invoice_id: string; number: string; created_at: Date; amount: string; method: string; reference: string | null }>;
  const notes = (await tx.query(
    `SELECT c.id, c.invoice_id, c.number, i.number AS invoice_number, c.issued_at, c.applied_to_invoice::text AS applied FROM credit_notes c
       JOIN invoices i ON i.tenant_id = c.tenant_id AND i.id = c.invoice_id
      WHERE c.tenant_id = $1 AND i.account_id = $2 AND c.issued_at < $3 AND c.status = 'issued'`,
    [tenantId, accountId, before],
  )) as Array<{ id: string; invoice_id: string; number: string; invoice_number: string; issued_at: Date; applied: string }>;

  const list: Movement[] = [];
  for (const i of invoices) {
    list.push({ date: i.issued_at, type: 'invoice', reference: i.number, description: `Invoice ${i.number}`, amount: new Decimal(i.amount_due), invoice_id: i.id, order: 0 });
    // Only unpaid, uncredited invoices are voided, so a void takes back exactly the amount due.
    if (i.voided_at && i.voided_at < before) {
      list.push({ date: i.voided_at, type: 'void', reference: i.number, description: `Invoice ${i.number} voided`, amount: new Decimal(i.amount_due).negated(), invoice_id: i.id, order: 3 });
    }
  }
  for (const p of payments) {
    const how = p.reference ? `${p.method}, ${p.reference}` : p.method;
    list.push({ date: p.created_at, type: 'payment', reference: p.number, description: `Payment for ${p.number} (${how})`, amount: new Decimal(p.amount).negated(), invoice_id: p.invoice_id, order: 1 });
  }
  for (const n of notes) {
    const applied = new Decimal(n.applied);
    if (applied.isZero()) continue;
    list.push({ date: n.issued_at, type: 'credit_note', reference: n.number, description: `Credit note ${n.number} on ${n.invoice_number}`, amount: applied.negated(), invoice_id: n.invoice_id, order: 2 });
  }
  return list.sort((a, b) => a.date.getTime() - b.date.getTime() || a.order - b.order || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
}

export async function accountStatement(tx: EntityManager, tenantId: string, accountId: string, from: Date, to: Date, now: Date) {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw notFound('account', accountId);
  const billingId = await billingAccountIdOf(tx, tenantId, accountId);
  const billing = billingId === accountId ? account : await tx.findOneByOrFail(Account, { tenantId, id: billingId });
  const currency = billing.currency;
  const all = await movements(tx, tenantId, billingId, to);
  let balance = ZERO;
  for (const m of all) if (m.date < from) balance = balance.plus(m.amount);
  const opening = balance;
  const entries: StatementEntry[] = [];
  for (const m of all) {
    if (m.date < from) continue;
    balance = balance.plus(m.amount);
    entries.push({
      date: m.date.toISOString(), type: m.type, reference: m.reference, description: m.description,
      amount: money(m.amount, currency), balance: money(balance, currency), invoice_id: m.invoice_id,
    });
  }

  const open = (await tx.query(
    `SELECT id, number, issued_at, due_at, amount_remaining::text AS remaining, status FROM invoices
      WHERE tenant_id = $1 AND account_id = $2 AND status IN ('open', 'partially_paid', 'uncollectible') AND issued_at < $3
      ORDER BY due_at, number`,
    [tenantId, billingId, to],
  )) as Array<{ id: string; number: string; issued_at: Date; due_at: Date; remaining: string; status: string }>;
  const aging = Object.fromEntries(AGING.map((a) => [a.bucket, ZERO])) as Record<(typeof AGING)[number]['bucket'], Decimal>;
  const openInvoices = open.map((i) => {
    const daysPastDue = Math.floor((now.getTime() - i.due_at.getTime()) / 86_400_000);
    const bucket = AGING.find((a) => daysPastDue >= a.from && daysPastDue <= a.to)!.bucket;
    aging[bucket] = aging[bucket].plus(i.remaining);
    return { invoice_id: i.id, number: i.number, issued_at: i.issued_at.toISOString(), due_at: i.due_at.toISOString(), status: i.status, amount_remaining: money(new Decimal(i.remaining), currency), days_past_due: Math.max(daysPastDue, 0) };
  });
  return {
    object: 'statement' as const,
    account_id: accountId,
    billing_account_id: billingId,
    currency,
    from: from.toISOString(),
    to: to.toISOString(),
    opening_balance: money(opening, currency),
    closing_balance: money(balance, currency),
    entries,
    open_invoices: openInvoices,
    aging: Object.fromEntries(Object.entries(aging).map(([k, v]) => [k, money(v, currency)])),
    credit_balance: money(await creditBalanceOf(tx, tenantId, billingId, currency), currency),
  };
}
