import type { EntityManager } from 'typeorm';
import { Account } from '../../db/entities/account';
import { CreditBalanceEntry, type CreditEntryKind } from '../../db/entities/invoicing/credit-balance-entry';
import { Decimal } from '../../domain/money/decimal';
import { roundMoney } from '../../domain/money/money';
import { money } from '../../domain/subscriptions/charge-lines';
import { RackrateError, notFound } from '../../lib/errors';
import { uuidv7 } from '../../lib/ids';
import type { ChangeContext } from '../change-context';
import { recordChange } from '../changes';
import type { GrantCreditInput } from './credit-balance-schemas';

/**
 * An account's credit balance is a ledger: credit notes to balance,
 * prepaid credit and adjustments add to it, finalised invoices use it
 * (kind invoice_applied, key `invoice:{id}:applied`). Each movement has a
 * unique key, so a retried step never moves the balance twice. Every
 * movement is audited and announced as credit_balance_entry.created.
 */
const RESOURCE = 'credit_balance_entry';
const LATEST_ENTRIES = 50;

export function creditEntryRepresentation(e: CreditBalanceEntry) {
  return {
    id: e.id,
    object: 'credit_balance_entry' as const,
    account_id: e.accountId,
    currency: e.currency,
    kind: e.kind,
    amount: money(new Decimal(e.amount), e.currency),
    invoice_id: e.invoiceId,
    credit_note_id: e.creditNoteId,
    description: e.description,
    created_at: e.createdAt.toISOString(),
  };
}

/** The balance in `currency`: the sum of the account's entries in it. */
export async function creditBalanceOf(tx: EntityManager, tenantId: string, accountId: string, currency: string): Promise<Decimal> {
  const [row] = (await tx.query(
    `SELECT COALESCE(SUM(amount), 0)::text AS balance FROM credit_balance_entries WHERE tenant_id = $1 AND account_id = $2 AND currency = $3`,
    [tenantId, accountId, currency],
  )) as Array<{ balance: string }>;
  return new Decimal(row!.balance);
}

/**
 * Serialises the users of one account's balance until commit: call it
 * before reading the balance you are about to spend, so two finalisations
 * cannot both spend the same credit. (NO KEY UPDATE: foreign keys to the
 * account and other readers are not blocked.)
 */
export async function lockCreditBalance(tx: EntityManager, tenantId: string, accountId: string): Promise<void> {
  const rows = (await tx.query(`SELECT id FROM accounts WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE`, [tenantId, accountId])) as unknown[];
  if (rows.length === 0) throw notFound('account', accountId);
}

export interface CreditEntryInput {
  accountId: string;
  currency: string;
  entryKey: string;
  kind: CreditEntryKind;
  /** Positive adds credit, negative uses it; never zero. */
  amount: Decimal;
  invoiceId?: string | undefined;
  creditNoteId?: string | undefined;
  description: string;
  /** The entry's id; default a new UUIDv7. */
  id?: string | undefined;
}

/**
 * Records one movement; false (and nothing written) if its key was recorded
 * before. Spending more than the balance is a bug in the caller, not a
 * customer error: it throws rather than let the balance go negative.
 */
export async function recordCreditEntry(tx: EntityManager, change: ChangeContext, entry: CreditEntryInput): Promise<boolean> {
  if (entry.amount.isZero()) throw new RangeError(`credit entry ${entry.entryKey} has a zero amount`);
  if (!roundMoney(entry.amount, entry.currency).equals(entry.amount)) throw new RangeError(`credit entry ${entry.entryKey} is not in whole ${entry.currency} minor units`);
  if (entry.amount.lessThan(0)) {
    await lockCreditBalance(tx, change.tenantId, entry.accountId);
    const balance = await creditBalanceOf(tx, change.tenantId, entry.accountId, entry.currency);
    if (balance.plus(entry.amount).lessThan(0)) {
      const spent = await tx.existsBy(CreditBalanceEntry, { tenantId: change.tenantId, entryKey: entry.entryKey });
      if (spent) return false;
      throw new RangeError(`credit entry ${entry.entryKey} would spend ${money(entry.amount.negated(), entry.currency)} of a ${money(balance, entry.currency)} ${entry.currency} balance`);
    }
  }
  const row = tx.create(CreditBalanceEntry, {
    tenantId: change.tenantId,
    id: entry.id ?? uuidv7(change.now.getTime()),
    accountId: entry.accountId,
    currency: entry.currency,
    entryKey: entry.entryKey,
    kind: entry.kind,
    amount: money(entry.amount, entry.currency),
    invoiceId: entry.invoiceId ?? null,
    creditNoteId: entry.creditNoteId ?? null,
    description: entry.description,
    createdAt: change.now,
  });
  const inserted = (await tx.query(
    `INSERT INTO credit_balance_entries (tenant_id, id, account_id, currency, entry_key, kind, amount, invoice_id, credit_note_id, description, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (tenant_id, entry_key) DO NOTHING RETURNING id`,
    [row.tenantId, row.id, row.accountId, row.currency, row.entryKey, row.kind, row.amount, row.invoiceId, row.creditNoteId, row.description, row.createdAt],
  )) as unknown[];
  if (inserted.length === 0) return false;
  await recordChange(tx, change, { action: `${RESOURCE}.created`, resourceType: RESOURCE, resourceId: row.id, before: null, after: creditEntryRepresentation(row) });
  return true;
}

async function loadAccount(tx: EntityManager, tenantId: string, accountId: string): Promise<Account> {
  const account = await tx.findOneBy(Account, { tenantId, id: accountId });
  if (!account) throw notFound('account', accountId);
  return account;
}

export interface CreditBalance {
  accountId: string;
  currency: string;
  balance: Decimal;
  entries: CreditBalanceEntry[];
}

export function creditBalanceRepresentation(b: CreditBalance) {
  return {
    object: 'credit_balance' as const,
    account_id: b.accountId,
    currency: b.currency,
    balance: money(b.balance, b.currency),
    entries: b.entries.map(creditEntryRepresentation),
  };
}

export async function getCreditBalance(tx: EntityManager, tenantId: string, accountId: string): Promise<CreditBalance> {
  const account = await loadAccount(tx, tenantId, accountId);
  const entries = await tx.find(CreditBalanceEntry, {
    where: { tenantId, accountId, currency: account.currency },
    order: { id: 'DESC' },
    take: LATEST_ENTRIES,
  });
  return { accountId, currency: account.currency, balance: await creditBalanceOf(tx, tenantId, accountId, account.currency), entries };
}

/** Prepaid credit or an adjustment granted through the API; the Idempotency-Key layer makes a retried grant return the first. */
export async function grantCredit(tx: EntityManager, change: ChangeContext, accountId: string, input: GrantCreditInput): Promise<CreditBalanceEntry> {
  const account = await loadAccount(tx, change.tenantId, accountId);
  if (account.status === 'archived') throw new RackrateError('account_archived', `Account ${accountId} is archived; it cannot be granted credit.`);
  if (input.currency !== account.currency) {
    throw new RackrateError('account_currency_mismatch', `Account ${accountId} bills in ${account.currency}.`, {
      errors: [{ in: 'body', field: 'currency', code: 'mismatch', message: `must be the account's currency, ${account.currency}` }],
    });
  }
  const id = uuidv7(change.now.getTime());
  await recordCreditEntry(tx, change, {
    id, accountId, currency: account.currency, entryKey: `grant:${id}`, kind: input.kind, amount: input.amount, description: input.description,
  });
  return tx.findOneByOrFail(CreditBalanceEntry, { tenantId: change.tenantId, id });
}
