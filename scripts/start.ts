import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createDataSource, migrate } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { loadConfig, type Config } from '../lib/config';
import { createLogger } from '../lib/logger';
import { startChild, type Child } from '../lib/process/child-process';
import { issueDemoKey, seedDemoProvider, upgradeDemoProvider, type DemoCredentials } from './demo/seed';
import { seedDemoSubscriptions } from './demo/seed-subscriptions';
import { seedDemoUsage } from './demo/seed-usage';
import { wakeBillingScheduler } from '../services/invoicing/billing-wake';
import { lazyTemporalClient } from '../lib/temporal/connection';
import { ensureSearchAttributes } from '../lib/temporal/search-attribute-registration';
import { startLocalTemporal, type LocalTemporal } from './local-temporal';
import { loadOrCreatePlatformKey, readDemoCredentials, writeDemoCredentials } from './local-secrets';

/**
 * `npm start`: the whole platform on one machine with no setup. PostgreSQL
 * (embedded unless DATABASE_URL), Temporal (local dev server unless
 * TEMPORAL_ADDRESS), migrations, the demo provider, then the API and a
 * worker as child processes. Ctrl-C stops everything in reverse order.
 */
const say = (line = '') => process.stdout.write(`${line}\n`);

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function assertPortsFree(config: Config): Promise<void> {
  const wanted: Array<[string, number]> = [['PORT', config.port]];
  if (config.temporalAddress === undefined) {
    wanted.push(['TEMPORAL_PORT', config.temporalPort], ['TEMPORAL_UI_PORT', config.temporalUiPort]);
  }
  for (const [name, port] of wanted) {
    if (!(await portFree(port, config.host === '0.0.0.0' ? '0.0.0.0' : '127.0.0.1'))) {
      throw new Error(`port ${port} (${name}) is in use; stop what uses it or set ${name} to another port`);
    }
  }
}

async function waitForHealth(url: string, child: Child, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`the API exited during start; see ${logFile}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API did not answer /health within 60 s; see ${logFile}`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logsDir = path.join(config.dataDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  // The console is for people here; only warnings and errors of the parts show up on it.
  const logger = createLogger(['debug', 'trace'].includes(config.logLevel) ? config.logLevel : 'warn', 'rackrate-start');
  await assertPortsFree(config);
  const platformKey = config.platformKey ?? (await loadOrCreatePlatformKey(path.join(config.dataDir, 'platform-key')));

  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping Rackrate...');
    for (const { name, stop } of stops.reverse()) {
      const started = Date.now();
      await stop().then(
        () => say(`  stopped ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
        (e: unknown) => say(`  ${name}: ${String(e)}`),
      );
    }
    say('Stopped.');
    process.exit(code);
  };
  // A child that dies on its own is said on the console at once, not only in its log.
  const reportUnexpectedExit = (child: Child, logFile: string) => {
    void child.exited.then((code) => {
      if (!stopping) say(`The ${child.name} process exited (code ${code}); see ${logFile}. Ctrl-C to stop the rest.`);
    });
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    say('Starting Rackrate...');
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === undefined) {
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger });
      stops.push({ name: 'PostgreSQL', stop: () => pg.stop() });
      databaseUrl = pg.appUrl;
      say(`  PostgreSQL   embedded, port ${config.embeddedPostgresPort}, data in ${path.join(config.dataDir, 'postgres')}`);
    } else {
      say('  PostgreSQL   DATABASE_URL');
    }

    const dataSource = createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'rackrate-start' });
    const applied = await migrate(dataSource);
    if (applied.length > 0) say(`  Migrations   applied ${applied.join(', ')}`);
    const credentialsFile = path.join(config.dataDir, 'demo-credentials.json');
    let demo: DemoCredentials | null = await seedDemoProvider(dataSource, new Date());
    if (demo) say('  Demo         seeded the demo provider (tenant "demo")');
    else if (await upgradeDemoProvider(dataSource, new Date())) say('  Demo         added what newer versions seed (catalogue, invoicing) to the demo provider');
    if (!demo) demo = (await readDemoCredentials(credentialsFile)) ?? (await issueDemoKey(dataSource, new Date()));
    if (demo) await writeDemoCredentials(credentialsFile, demo);
    await dataSource.destroy();

    let temporal: LocalTemporal | undefined;
    const temporalAddress = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
    if (config.temporalAddress === undefined) {
      temporal = startLocalTemporal(config, logsDir);
      stops.push({ name: 'Temporal', stop: () => temporal!.stop() });
    }

    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      RACKRATE_PLATFORM_KEY: platformKey,
      RACKRATE_SUPERVISED: '1',
    };
    const apiLog = path.join(logsDir, 'api.log');
    const api = startChild('api', process.execPath, [path.join(__dirname, '..', 'api', 'main.js')], { env: childEnv, logFile: apiLog });
    stops.push({ name: 'API', stop: () => api.stop() });
    reportUnexpectedExit(api, apiLog);
    const apiUrl = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    await waitForHealth(apiUrl, api, apiLog);

    say('');
    say('Rackrate is running.');
    say('');
    say(`  API           ${apiUrl}`);
    say(`  API docs      ${apiUrl}/v1/docs   (OpenAPI document: ${apiUrl}/v1/openapi.json)`);
    say(`  Temporal UI   ${temporal ? `${temporal.uiUrl}   (${temporal.source})` : `your cluster's UI (TEMPORAL_ADDRESS=${temporalAddress})`}`);
    if (demo) say(`  Demo API key  ${demo.apiKey}`);
    say(`  Platform key  ${path.join(config.dataDir, 'platform-key')} (or RACKRATE_PLATFORM_KEY)`);
    say('');
    if (demo) say(`  Try:  curl -H "Authorization: Bearer ${demo.apiKey}" ${apiUrl}/v1/accounts`);
    if (demo) say(`        curl -H "Authorization: Bearer ${demo.apiKey}" ${apiUrl}/v1/invoices   (then /v1/invoices/{id}/pdf)`);
    say(`  Logs: ${logsDir}/{api,worker,temporal}.log     Stop: Ctrl-C`);
    say('');

    const startWorker = () => {
      const workerLog = path.join(logsDir, 'worker.log');
      const worker = startChild('worker', process.execPath, [path.join(__dirname, '..', 'workers', 'main.js')], {
        env: childEnv,
        logFile: workerLog,
      });
      stops.push({ name: 'worker', stop: () => worker.stop() });
      reportUnexpectedExit(worker, workerLog);
      say(`Worker started (log: ${workerLog}).`);
      void startDemoSubscriptions();
    };
    // Subscriptions are workflows, so the demo's are started once Temporal answers.
    const startDemoSubscriptions = async () => {
      const temporalClient = lazyTemporalClient({ ...config, temporalAddress });
      const demoData = createDataSource({ url: databaseUrl!, poolSize: 2, applicationName: 'rackrate-start' });
      try {
        const client = await temporalClient.client();
        await ensureSearchAttributes(client.connection, config.temporalNamespace);
        await demoData.initialize();
        const started = await seedDemoSubscriptions(demoData, temporalClient, new Date());
        if (started > 0) say(`  Demo         started ${started} subscription workflows (Temporal UI: RackrateTenant = "${demo?.tenantId ?? ''}")`);
        const usage = await seedDemoUsage(demoData, new Date());
        if (usage && usage.accepted > 0) {
          say(`  Usage        ${usage.accepted} events stored for Northwind's Newark cage: GET /v1/usage?subscription_id=…&metric=transit-rate, /v1/subscriptions/{id}/usage/estimate`);
        }
        // The demo's subscriptions are backdated: bill what they recorded for past bill dates now, not at the next one.
        if (await wakeBillingScheduler(client)) say('  Invoices     billing run requested: GET /v1/invoices, /v1/invoices/{id}/pdf, /v1/accounts/{id}/upcoming_invoice');
      } catch (error) {
        say(`  Demo subscriptions or usage were not seeded: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (demoData.isInitialized) await demoData.destroy();
        await temporalClient.close();
      }
    };
    if (temporal) {
      say(`Waiting for Temporal (${temporal.source})...`);
      temporal.ready.then(
        () => {
          if (stopping) return;
          say(`Temporal is ready at ${temporal!.address}; UI at ${temporal!.uiUrl}.`);
          startWorker();
        },
        (error: unknown) => say(`Temporal did not start: ${error instanceof Error ? error.message : String(error)}`),
      );
    } else {
      startWorker();
    }
  } catch (error) {
    say(`Rackrate could not start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
