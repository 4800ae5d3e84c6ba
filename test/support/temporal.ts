import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findTemporalCli, findTestServer } from '../../lib/tool-binaries';

/**
 * Real Temporal servers for tests: the Java time-skipping test server for
 * long timelines, the CLI dev server for everything a full server does.
 * Binaries come from the cache `npm test` fills (scripts/ensure-test-
 * tools.ts) or, when absent, from the SDK's own download.
 */

/** Worker state chatter off; warnings and errors still show. Once per jest worker process. */
function quietSdkLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier test file in this process.
  }
}

export function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietSdkLogs();
  const path = findTestServer();
  return TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
}

export function devServerEnvironment(): Promise<TestWorkflowEnvironment> {
  quietSdkLogs();
  const path = findTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: { ...(path ? { executable: { type: 'existing-path', path } } : {}), log: { format: 'json', level: 'error' } },
  });
}
