/**
 * The baseline of the subscription benchmark: the cheapest workflow there
 * is. Bundled on its own (its own workflowsPath) and run on its own task
 * queue, so the billing bundle's size and the billing queue play no part.
 */
export async function noopWorkflow(): Promise<void> {
  return;
}
