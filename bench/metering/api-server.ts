import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { createDataSource } from '../../db/data-source';
import { systemClock } from '../../lib/clock';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { lazyTemporalClient } from '../../lib/temporal/connection';
import { createApiKeyAuthenticator } from '../../services/auth/api-key-authenticator';
import { DATABASE_URL_ENV, type ApiControlMessage, type ApiServerMessage } from './protocol';

/**
 * The real Rackrate API for the ingestion benchmark, in a process of its own
 * (forked by bench/metering/api-process.ts) so the load generator does not
 * share its event loop. The same wiring as api/main.ts and bench/server.ts:
 * a pool of 20 connections, the API key cache, a silent logger. PostgreSQL
 * belongs to the parent; this process only connects to it.
 */
const API_POOL_SIZE = 20;

const cleanups: Array<() => Promise<void>> = [];
let stopping: Promise<void> | undefined;

const send = (message: ApiServerMessage) => process.send?.(message);

async function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => process.stderr.write(`metering api: cleanup failed: ${String(error)}\n`));
    }
  })();
  await stopping;
  process.exit(code);
}

async function start(databaseUrl: string): Promise<string> {
  const logger = createLogger('silent', 'bench');
  const dataSource = createDataSource({ url: databaseUrl, poolSize: API_POOL_SIZE, applicationName: 'rackrate-bench-api' });
  await dataSource.initialize();
  cleanups.push(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const authenticator = createApiKeyAuthenticator({ dataSource, logger, ttlSeconds: config.apiKeyCacheTtlSeconds });
  cleanups.push(() => authenticator.close());
  const app = createApp({
    config,
    dataSource,
    logger,
    clock: systemClock,
    authenticator,
    readiness: [{ name: 'database', check: async () => void (await dataSource.query('SELECT 1')) }],
    temporal: lazyTemporalClient(config),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  const databaseUrl = process.env[DATABASE_URL_ENV];
  if (process.send === undefined || databaseUrl === undefined) {
    throw new Error(`bench/metering/api-server is started by the metering benchmark (npm run bench), with ${DATABASE_URL_ENV} set`);
  }
  process.on('message', (message: ApiControlMessage) => {
    if (message.type === 'stop') void shutdown(0);
    else {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', seconds: (user + system) / 1e6 });
    }
  });
  process.on('disconnect', () => void shutdown(0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));
  try {
    send({ type: 'ready', url: await start(databaseUrl), poolSize: API_POOL_SIZE });
  } catch (error) {
    send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
