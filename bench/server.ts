import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { lazyTemporalClient } from '../lib/temporal/connection';
import { createApp } from '../api/app';
import { createApiKeyAuthenticator } from '../services/auth/api-key-authenticator';
import { createDataSource, migrate } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { systemClock } from '../lib/clock';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { freePort } from '../lib/net/free-port';
import { createBaselineApp } from './baseline-app';
import { DATA_DIR_ENV, type BenchTargets, type ParentMessage, type ServerMessage } from './protocol';
import { seedFixture } from './seed';

/**
 * The server side of `npm run bench`, forked by bench/run.ts so the load
 * generator does not share an event loop with what it measures. Hosts
 * embedded PostgreSQL, the real Rackrate API (pool of 20) and the bare
 * baseline app, reports where they listen, and tears all of it down when
 * told to stop, when the parent goes away, or when startup fails.
 */
const API_POOL_SIZE = 20;

const cleanups: Array<() => Promise<void>> = [];
let stopping: Promise<void> | undefined;

function send(message: ServerMessage): void {
  process.send?.(message);
}

/** Runs the cleanups newest first, once, then exits. */
async function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => process.stderr.write(`bench server: cleanup failed: ${String(error)}\n`));
    }
  })();
  await stopping;
  process.exit(code);
}

function listen(app: Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeOnShutdown(server: Server): void {
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
}

function pick(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const value = env[name];
  return value === undefined ? {} : { [name]: value };
}

async function start(dataDir: string): Promise<BenchTargets> {
  const logger = createLogger('silent', 'bench');
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger });
  cleanups.push(() => postgres.stop());

  const dataSource = createDataSource({ url: postgres.appUrl, poolSize: API_POOL_SIZE, applicationName: 'rackrate-bench' });
  cleanups.push(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  await migrate(dataSource);

  // The same wiring as api/main.ts, the API key cache included (API_KEY_CACHE_TTL_SECONDS).
  const config = loadConfig({ LOG_LEVEL: 'silent', ...pick(process.env, 'API_KEY_CACHE_TTL_SECONDS') });
  const authenticator = createApiKeyAuthenticator({ dataSource, logger, ttlSeconds: config.apiKeyCacheTtlSeconds });
  cleanups.push(() => authenticator.close());
  const rackrate = await listen(
    createApp({
      config,
      dataSource,
      logger,
      clock: systemClock,
      authenticator,
      readiness: [{ name: 'database', check: async () => void (await dataSource.query('SELECT 1')) }],
      temporal: lazyTemporalClient(config),
    }),
  );
  closeOnShutdown(rackrate);
  const baseline = await listen(createBaselineApp());
  closeOnShutdown(baseline);

  const fixture = await seedFixture(dataSource, urlOf(rackrate));
  const rows: Array<{ server_version: string }> = await dataSource.query('SHOW server_version');
  return {
    rackrateUrl: urlOf(rackrate),
    baselineUrl: urlOf(baseline),
    apiKey: fixture.apiKey,
    accountId: fixture.accountId,
    postgresVersion: rows[0]?.server_version ?? 'unknown',
  };
}

async function main(): Promise<void> {
  const dataDir = process.env[DATA_DIR_ENV];
  if (process.send === undefined || dataDir === undefined) {
    throw new Error(`bench/server is started by bench/run (npm run bench), with ${DATA_DIR_ENV} set`);
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') void shutdown(0);
  });
  process.on('disconnect', () => void shutdown(0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));

  try {
    send({ type: 'ready', targets: await start(dataDir) });
  } catch (error) {
    send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
