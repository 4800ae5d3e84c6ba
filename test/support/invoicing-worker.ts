import type { DataSource } from 'typeorm';
import { startTemporalRuntime, type TemporalRuntime } from './temporal-runtime';

/**
 * Temporal for POST /v1/bill_runs in API tests: a time-skipping test server
 * of its own with the billing worker (subscription and invoicing
 * activities), so the route's wait for the run (a time-skipping `result()`)
 * never moves the clock of other tests' subscription workflows. Give it to a
 * second API on the same database: startTestApi(dataSource, { temporal: billing.temporal }).
 */
export function startBillingTemporal(dataSource: DataSource): Promise<TemporalRuntime> {
  return startTemporalRuntime(dataSource);
}
