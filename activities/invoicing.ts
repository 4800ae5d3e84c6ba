import { heartbeat } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { inTenantTransaction } from '../db/tenant-transaction';
import type { Logger } from '../lib/logger';
import { RackrateError } from '../lib/errors';
import type { ChangeContext } from '../services/change-context';
import { dueBillingAccounts, dueDrafts, nextBillingWake, type DueAccount } from '../services/invoicing/bill-run';
import { draftCycleInvoice } from '../services/invoicing/invoice-drafts';
import { finalizeIfDraft } from '../services/invoicing/invoice-lifecycle';

/**
 * Bill-run I/O (workflows/invoicing/bill-run.ts). `asOf` is the workflow's
 * clock: it is the bill run's "now" for every write, so a retried batch
 * writes the same instants and a time-skipping test controls them. Each
 * account or invoice is its own transaction: one that fails is reported and
 * the rest of the batch goes on; a retried batch finds what the first try
 * committed (invoices are identified by billing account and bill date).
 */
export interface BatchFailure {
  id: string;
  code: string;
  message: string;
}

export interface DraftBatchResult {
  drafted: number;
  nothingToBill: number;
  failed: BatchFailure[];
}

export interface FinalizeBatchResult {
  finalized: number;
  skipped: number;
  failed: BatchFailure[];
}

function context(tenantId: string, asOf: string): ChangeContext {
  return { tenantId, actor: { type: 'system', id: 'bill-run', label: 'bill run' }, requestId: null, now: new Date(asOf) };
}

/** Expected refusals are reported; anything else (database gone, a bug) fails the activity so Temporal retries it. */
function reportable(error: unknown): BatchFailure | null {
  if (error instanceof RackrateError) return { id: '', code: error.code, message: error.message };
  return null;
}

export function createInvoicingActivities(deps: { dataSource: DataSource; logger: Logger }) {
  const { dataSource, logger } = deps;
  return {
    async listBillingTenants(): Promise<string[]> {
      const rows: Array<{ id: string }> = await dataSource.query(`SELECT id FROM tenants WHERE status = 'active' ORDER BY id`);
      return rows.map((r) => r.id);
    },

    async nextBillingWake(input: { tenantIds: string[]; asOf: string }): Promise<string | null> {
      let next: Date | null = null;
      for (const tenantId of input.tenantIds) {
        const at = await inTenantTransaction(dataSource, tenantId, (tx) => nextBillingWake(tx, tenantId, new Date(input.asOf)));
        if (at && (!next || at < next)) next = at;
      }
      return next?.toISOString() ?? null;
    },

    async dueBillingAccounts(input: { tenantId: string; asOf: string; after: string | null; limit: number }): Promise<{ accounts: DueAccount[]; next: string | null }> {
      return inTenantTransaction(dataSource, input.tenantId, (tx) => dueBillingAccounts(tx, input.tenantId, new Date(input.asOf), input.after, input.limit));
    },

    async draftInvoices(input: { tenantId: string; asOf: string; accounts: DueAccount[] }): Promise<DraftBatchResult> {
      const result: DraftBatchResult = { drafted: 0, nothingToBill: 0, failed: [] };
      const change = context(input.tenantId, input.asOf);
      for (const due of input.accounts) {
        try {
          const invoice = await inTenantTransaction(dataSource, input.tenantId, (tx) =>
            draftCycleInvoice(tx, change, { billingAccountId: due.billingAccountId, billDate: new Date(due.billDate), periodStart: new Date(due.periodStart) }),
          );
          if (invoice) result.drafted += 1;
          else result.nothingToBill += 1;
        } catch (error) {
          const failure = reportable(error);
          if (!failure) throw error;
          result.failed.push({ ...failure, id: due.billingAccountId });
          logger.warn({ tenant_id: input.tenantId, account_id: due.billingAccountId, err: error }, 'could not draft invoice');
        }
        heartbeat();
      }
      return result;
    },

    async dueDrafts(input: { tenantId: string; asOf: string; after: string | null; limit: number }): Promise<{ ids: string[]; next: string | null }> {
      return inTenantTransaction(dataSource, input.tenantId, (tx) => dueDrafts(tx, input.tenantId, new Date(input.asOf), input.after, input.limit));
    },

    async finalizeInvoices(input: { tenantId: string; asOf: string; invoiceIds: string[] }): Promise<FinalizeBatchResult> {
      const result: FinalizeBatchResult = { finalized: 0, skipped: 0, failed: [] };
      const change = context(input.tenantId, input.asOf);
      for (const id of input.invoiceIds) {
        try {
          const finalized = await inTenantTransaction(dataSource, input.tenantId, (tx) => finalizeIfDraft(tx, change, id));
          // A retried batch meets the invoices its first try finalised: skipped, not failed.
          if (finalized) result.finalized += 1;
          else result.skipped += 1;
        } catch (error) {
          const failure = reportable(error);
          if (!failure) throw error;
          result.failed.push({ ...failure, id });
          logger.warn({ tenant_id: input.tenantId, invoice_id: id, err: error }, 'could not finalise invoice');
        }
        heartbeat();
      }
      return result;
    },
  };
}

export type InvoicingActivities = ReturnType<typeof createInvoicingActivities>;
