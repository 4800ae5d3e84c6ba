import path from 'node:path';
import { ConfigError, loadConfig } from '../../lib/config';

describe('loadConfig', () => {
  it('works with nothing set: embedded PostgreSQL, local Temporal, port 3000', () => {
    const config = loadConfig({}, '/srv/rackrate');
    expect(config).toMatchObject({
      databaseUrl: undefined,
      temporalAddress: undefined,
      dataDir: path.resolve('/srv/rackrate', 'data'),
      port: 3000,
      temporalNamespace: 'default',
      idempotencyKeyTtlHours: 24,
      bodyLimitBytes: 1024 * 1024,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '' }).databaseUrl).toBeUndefined();
  });

  it('names every bad variable and its rule', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', IDEMPOTENCY_KEY_TTL_HOURS: '1', TEMPORAL_ADDRESS: 'no-port' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^DATABASE_URL: must be a postgres/m);
    expect(problems).toMatch(/^IDEMPOTENCY_KEY_TTL_HOURS: must be at least 24/m);
    expect(problems).toMatch(/^TEMPORAL_ADDRESS: must be host:port/m);
  });

  it('reads the task queues a worker should serve', () => {
    expect(loadConfig({ RACKRATE_TASK_QUEUES: 'billing,payments' }).taskQueues).toEqual(['billing', 'payments']);
    expect(() => loadConfig({ RACKRATE_TASK_QUEUES: 'billing;payments' })).toThrow(/RACKRATE_TASK_QUEUES/);
  });
});
