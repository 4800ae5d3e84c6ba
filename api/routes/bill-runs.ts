import { z } from 'zod';
import { TASK_QUEUES } from '../../lib/temporal/task-queues';
import { RackrateError } from '../../lib/errors';
import { billRunWorkflowId, type BillRunSummary } from '../../workflows/invoicing/definitions';
import { tenantRoute } from '../routing/route';

const tags = ['Invoices'];

const billRunSchema = z
  .object({
    workflow_id: z.string().meta({ description: 'Find the run in the Temporal UI by this id.' }),
    as_of: z.string(),
    status: z.enum(['running', 'completed']),
    summary: z
      .object({ drafted: z.number().int(), nothing_to_bill: z.number().int(), finalized: z.number().int(), skipped: z.number().int(), failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })) })
      .nullable(),
  })
  .meta({ id: 'BillRun' });

/**
 * Starts a bill run for the tenant now (docs/invoicing.md, "Bill runs"): the
 * scheduler runs them at every bill date and grace end anyway; this is for
 * operators who want one at once (after fixing a failed account, or after
 * shortening drafts' grace). Waits up to 20 seconds for it to finish.
 */
export const billRunRoutes = [
  tenantRoute({
    method: 'post', path: '/v1/bill_runs', operationId: 'startBillRun', summary: 'Run billing now', tags,
    description: 'Drafts the invoices of billing accounts that reached a bill date and finalises drafts whose grace period is over, as the scheduler does. Answers when the run finishes, or after 20 s with status running.',
    auth: 'tenant', permission: 'write', body: z.strictObject({}).optional(),
    success: { status: 202, description: 'The run', schema: billRunSchema }, errors: ['service_unavailable'],
    async handler({ tenantId, deps, now }) {
      const asOf = now.toISOString();
      const workflowId = billRunWorkflowId(tenantId, asOf);
      let client;
      try {
        client = await deps.temporal.client();
      } catch {
        throw new RackrateError('service_unavailable', 'Temporal is not reachable; the scheduler will run billing when it is.');
      }
      const handle = await client.workflow.start('billRunWorkflow', { workflowId, taskQueue: TASK_QUEUES.billing, args: [{ tenantId, asOf }] });
      const finished = await Promise.race([
        handle.result() as Promise<BillRunSummary>,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000).unref()),
      ]);
      return {
        status: 202,
        body: {
          workflow_id: workflowId,
          as_of: asOf,
          status: finished ? ('completed' as const) : ('running' as const),
          summary: finished
            ? { drafted: finished.drafted, nothing_to_bill: finished.nothingToBill, finalized: finished.finalized, skipped: finished.skipped, failed: finished.failed }
            : null,
        },
      };
    },
  }),
];
