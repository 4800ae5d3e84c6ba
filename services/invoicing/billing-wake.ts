import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { BILLING_SCHEDULER_WORKFLOW_ID, billingWake } from '../../workflows/invoicing/definitions';

/**
 * Asks the billing scheduler for a bill run now instead of at its next wake
 * (after charges for a past bill date were recorded: a backdated
 * subscription, an import). False when no scheduler runs (no billing worker
 * yet): its first tick bills them anyway.
 */
export async function wakeBillingScheduler(client: Client): Promise<boolean> {
  try {
    await client.workflow.getHandle(BILLING_SCHEDULER_WORKFLOW_ID).signal(billingWake);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
