import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { InvoicingActivities } from '../../activities/invoicing';
import type { DueAccount } from '../../services/invoicing/bill-run';
import { billRunProgress, type BillRunInput, type BillRunSummary } from './definitions';

export { billRunProgress, billRunWorkflowId, type BillRunInput, type BillRunSummary } from './definitions';

/**
 * One bill run of one tenant at one instant (docs/invoicing.md, "Bill
 * runs"): drafts the cycle invoice of every billing account that reached a
 * bill date, then finalises every draft whose grace period is over. Work
 * goes in pages and batches of accounts, a few batches at a time, so 10,000
 * accounts are tens of activities, not tens of thousands. Everything is
 * keyed by the database (an invoice per billing account and bill date, a
 * charge on one invoice): a retried activity or a rerun finds what was done
 * and does the rest. Workflow id: `bill-run:{tenant}:{asOf}`.
 */
const acts = proxyActivities<InvoicingActivities>({
  startToCloseTimeout: '15 minutes',
  // Activities heartbeat after every account (milliseconds each): a worker that died is noticed within 30 s.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Runs `work` over `items` in batches, at most `parallel` batches at once. */
async function inBatches<T>(items: readonly T[], size: number, parallel: number, work: (batch: T[]) => Promise<void>): Promise<void> {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  for (let i = 0; i < batches.length; i += parallel) await Promise.all(batches.slice(i, i + parallel).map(work));
}

export async function billRunWorkflow(input: BillRunInput): Promise<BillRunSummary> {
  const pageSize = input.pageSize ?? 1000;
  const batchSize = input.batchSize ?? 50;
  const parallel = input.parallelBatches ?? 4;
  const { tenantId, asOf } = input;
  const summary: BillRunSummary = { tenantId, asOf, drafted: 0, nothingToBill: 0, finalized: 0, skipped: 0, failed: [], phase: 'drafting' };
  setHandler(billRunProgress, () => summary);

  let after: string | null = null;
  do {
    const page: { accounts: DueAccount[]; next: string | null } = await acts.dueBillingAccounts({ tenantId, asOf, after, limit: pageSize });
    await inBatches(page.accounts, batchSize, parallel, async (accounts) => {
      const r = await acts.draftInvoices({ tenantId, asOf, accounts });
      summary.drafted += r.drafted;
      summary.nothingToBill += r.nothingToBill;
      summary.failed.push(...r.failed);
    });
    after = page.next;
  } while (after !== null);

  summary.phase = 'finalising';
  after = null;
  do {
    const page: { ids: string[]; next: string | null } = await acts.dueDrafts({ tenantId, asOf, after, limit: pageSize });
    await inBatches(page.ids, batchSize, parallel, async (invoiceIds) => {
      const r = await acts.finalizeInvoices({ tenantId, asOf, invoiceIds });
      summary.finalized += r.finalized;
      summary.skipped += r.skipped;
      summary.failed.push(...r.failed);
    });
    after = page.next;
  } while (after !== null);
  summary.phase = 'done';
  return summary;
}
