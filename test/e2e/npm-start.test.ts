import SwaggerParser from '@apidevtools/swagger-parser';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/net/free-port';

/**
 * The README's first command, for real: `npm start` (its compiled entry
 * point) with no configuration but ports, on a fresh data directory. It must
 * answer /health within 60 s, print a demo key that lists the demo
 * accounts, serve a valid OpenAPI document and the Temporal UI, stop every
 * child on Ctrl-C (SIGINT), and reuse its data on the next start.
 */
const entry = path.join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let ports: { api: number; pg: number; temporal: number; ui: number };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rackrate-start-'));
  ports = { api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort() };
  const { DATABASE_URL, TEMPORAL_ADDRESS, NODE_OPTIONS, ...rest } = process.env;
  env = {
    ...rest,
    RACKRATE_DATA_DIR: dataDir,
    PORT: String(ports.api),
    EMBEDDED_POSTGRES_PORT: String(ports.pg),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
  };
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

type AccountList = { data: Array<{ name: string }> };

interface Started {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
}

function start(): Started {
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

it('starts everything with no setup, serves the demo, stops cleanly and restarts on the same data', async () => {
  const api = `http://127.0.0.1:${ports.api}`;
  const first = start();
  const began = Date.now();
  await first.waitFor(/Rackrate is running\./, 60_000);
  expect((await fetch(`${api}/health`)).status).toBe(200);
  expect(Date.now() - began).toBeLessThan(60_000);
  expect(first.output()).toContain('seeded the demo provider');
  const key = (await first.waitFor(/Demo API key\s+(rr_\S+)/, 1000))[1]!;

  const accounts = (await (await fetch(`${api}/v1/accounts`, { headers: { authorization: `Bearer ${key}` } })).json()) as AccountList;
  expect(accounts.data.map((a: { name: string }) => a.name)).toEqual(
    expect.arrayContaining(['Northwind Hosting Group', 'Acme Streaming', 'Globex Research GmbH', 'Initech Cloud KK']),
  );
  expect(accounts.data).toHaveLength(6);
  // The demo catalogue: plans and add-ons, and a preview on the colocation plan.
  const plans = (await (await fetch(`${api}/v1/plans`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: Array<{ id: string; code: string }> };
  expect(plans.data.map((p) => p.code).sort()).toEqual(['bare-metal-hourly', 'colo-full-cabinet', 'cross-connect', 'remote-hands']);
  const colo = plans.data.find((p) => p.code === 'colo-full-cabinet')!;
  const preview = await fetch(`${api}/v1/plans/${colo.id}/preview`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ currency: 'USD', usage: { power: { quantity: '6' }, energy: { quantity: '1000' } } }),
  });
  // Cabinet 1200 + installation 500 + 5 kW × 150 + 1 kW overage × 210 + 1000 kWh × 1.4 × 0.12 = 2828.
  expect(((await preview.json()) as { subtotal: string }).subtotal).toBe('2828');

  const doc = (await (await fetch(`${api}/v1/openapi.json`)).json()) as Parameters<typeof SwaggerParser.validate>[0];
  await expect(SwaggerParser.validate(doc)).resolves.toBeDefined();

  await first.waitFor(/Worker started/, 60_000);
  const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
  expect(ui.status).toBe(200);
  expect(await ui.text()).toMatch(/<html/i);
  const ready = await fetch(`${api}/ready`);
  expect(await ready.json()).toEqual({ status: 'ready', checks: { database: { status: 'ok' }, temporal: { status: 'ok' } } });

  // The demo subscriptions run as workflows: the backdated cage contract caught up on its periods.
  await first.waitFor(/started 4 subscription workflows/, 60_000);
  const subscriptions = async () =>
    ((await (await fetch(`${api}/v1/subscriptions`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: Array<{ id: string; status: string; external_id: string | null }> }).data;
  let subs = await subscriptions();
  for (let i = 0; i < 100 && subs.some((x) => x.status === 'pending_provisioning' && x.external_id !== 'FRA-ORDER-7731'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    subs = await subscriptions();
  }
  expect(subs.map((x) => x.status).sort()).toEqual(['active', 'active', 'pending_provisioning', 'trialing']);
  const cage = subs.find((x) => x.external_id === 'NW-EWR-CAGE')!;
  let renewals = 0;
  for (let i = 0; i < 100 && renewals < 2; i++) {
    const transitions = (await (await fetch(`${api}/v1/subscriptions/${cage.id}/transitions`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: Array<{ events: string[] }> };
    renewals = transitions.data.filter((t) => t.events.includes('subscription.renewed')).length;
    if (renewals < 2) await new Promise((r) => setTimeout(r, 200));
  }
  expect(renewals).toBeGreaterThanOrEqual(2);

  // The cage's usage this period: 5-minute transit rates on two ports, power and energy, through the ingest service.
  const stored = Number((await first.waitFor(/Usage\s+(\d+) events stored/, 60_000))[1]);
  expect(stored).toBeGreaterThan(100);
  const usage = (await (await fetch(`${api}/v1/usage?subscription_id=${cage.id}&metric=transit-rate`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
    groups: Array<{ group: { port_id: string }; quantity: string; events: number }>;
  };
  expect(usage.groups.map((g) => g.group.port_id).sort()).toEqual(['xe-0/0/1', 'xe-0/0/2']);
  expect(usage.groups.every((g) => Number(g.quantity) > 1_000_000 && g.events > 0)).toBe(true);
  const estimate = await fetch(`${api}/v1/subscriptions/${cage.id}/usage/estimate`, { headers: { authorization: `Bearer ${key}` } });
  expect(estimate.status).toBe(200);
  // The demo's bill-shock thresholds on the cage are announced by the watcher workflow within a minute.
  const crossed = async () =>
    ((await (await fetch(`${api}/v1/domain_events?type=usage.threshold_crossed`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: Array<{ type: string }> }).data
      .filter((e) => e.type === 'usage.threshold_crossed').length;
  let crossings = await crossed();
  for (let i = 0; i < 120 && crossings === 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    crossings = await crossed();
  }
  expect(crossings).toBeGreaterThan(0);

  // Invoicing: Acme's one-off hardware invoice is finalised by the seed; once the worker runs, the billing
  // scheduler bills Northwind's backdated cage on the parent's master invoice. Both download as PDF.
  await first.waitFor(/Invoices\s+billing run requested/, 60_000);
  type InvoiceList = { data: Array<{ id: string; number: string | null; status: string; kind: string; account_id: string; total: string }> };
  const invoices = async () => ((await (await fetch(`${api}/v1/invoices?limit=100`, { headers: { authorization: `Bearer ${key}` } })).json()) as InvoiceList).data;
  let listed = await invoices();
  for (let i = 0; i < 120 && !listed.some((x) => x.kind === 'cycle' && x.number); i++) {
    await new Promise((r) => setTimeout(r, 500));
    listed = await invoices();
  }
  const oneOff = listed.find((x) => x.kind === 'one_off')!;
  expect(oneOff).toMatchObject({ status: 'open', number: expect.stringMatching(/^INV-\d{6}$/) });
  const cycle = listed.find((x) => x.kind === 'cycle' && x.number)!;
  expect(Number(cycle.total)).toBeGreaterThan(0);
  const pdf = await fetch(`${api}/v1/invoices/${cycle.id}/pdf`, { headers: { authorization: `Bearer ${key}` } });
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

  expect(await stop(first)).toBe(0);
  expect(first.output()).toMatch(/Stopped\.\s*$/);
  for (const port of [ports.api, ports.ui]) expect(await portAnswers(port)).toBe(false);

  // Second start: same data, no new seed, the same key still works.
  const second = start();
  await second.waitFor(/Rackrate is running\./, 60_000);
  expect(second.output()).not.toContain('seeded the demo provider');
  expect((await second.waitFor(/Demo API key\s+(rr_\S+)/, 1000))[1]).toBe(key);
  const again = (await (await fetch(`${api}/v1/accounts`, { headers: { authorization: `Bearer ${key}` } })).json()) as AccountList;
  expect(again.data).toHaveLength(6);
  await second.waitFor(/Worker started/, 60_000);
  expect(await stop(second)).toBe(0);
}, 240_000);
