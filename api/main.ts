import type { Server } from 'node:http';
import { createDataSource } from '../db/data-source';
import { roleBypassesRls } from '../db/tenant-transaction';
import { systemClock } from '../lib/clock';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { exitWithSupervisor } from '../lib/process/child-process';
import { lazyTemporalClient, temporalProbe } from '../lib/temporal/connection';
import { createApiKeyAuthenticator } from '../services/auth/api-key-authenticator';
import { createApp } from './app';

/** API process: serves HTTP until SIGINT/SIGTERM, then drains and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'rackrate-api');
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for the API process');
  const dataSource = createDataSource({ url: config.databaseUrl, poolSize: 20, applicationName: 'rackrate-api' });
  await dataSource.initialize();
  if (await roleBypassesRls(dataSource)) {
    logger.warn('the database role bypasses row-level security (superuser or BYPASSRLS); connect as a plain role');
  }
  const temporal = temporalProbe(config);
  const temporalClient = lazyTemporalClient(config);
  const authenticator = createApiKeyAuthenticator({ dataSource, logger, ttlSeconds: config.apiKeyCacheTtlSeconds });
  const app = createApp({
    config,
    dataSource,
    logger,
    clock: systemClock,
    authenticator,
    readiness: [{ name: 'database', check: async () => void (await dataSource.query('SELECT 1')) }, temporal],
    temporal: temporalClient,
  });
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info({ host: config.host, port: config.port }, 'API listening');
  });
  server.keepAliveTimeout = 65_000;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down API');
    server.close(() => {
      void Promise.all([authenticator.close(), dataSource.destroy(), temporal.close(), temporalClient.close()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  exitWithSupervisor(stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
