import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findSchemathesis } from '../../lib/tool-binaries';
import { TEST_PLATFORM_KEY, useApiTest } from '../support/http';
import { startBillingTemporal } from '../support/invoicing-worker';
import type { TemporalRuntime } from '../support/temporal-runtime';

/**
 * Schemathesis generates requests from the OpenAPI document, valid and
 * invalid, and checks every response: never a 5xx, only documented status
 * codes and content types, bodies that match the documented schemas, and
 * invalid requests rejected. `positive_data_acceptance` is left out: it
 * expects every schema-valid body to succeed, which business rules (a parent
 * that does not exist, an expiry in the past) rightly refuse with 4xx.
 * Revoking keys is left to the API-key tests, so the fuzzer cannot revoke
 * the key it is using. FUZZ_SEED picks another seed; FUZZ_EXAMPLES more cases.
 */
const seed = process.env.FUZZ_SEED ?? '20261125';
const examples = process.env.FUZZ_EXAMPLES ?? '25';

// POST /v1/bill_runs needs nothing but Temporal: without it every request would be a 503, a server error to
// schemathesis. A test server with the billing worker is started on the first request that asks for Temporal.
let billing: Promise<TemporalRuntime> | undefined;
const ctx = useApiTest('fuzz', {
  temporal: { client: async () => (await (billing ??= startBillingTemporal(ctx.db.dataSource))).temporal.client(), close: async () => undefined },
});
afterAll(async () => (await billing)?.close());

function schemathesis(key: string, filter: string[]): Promise<{ code: number | null; output: string }> {
  const bin = findSchemathesis();
  if (!bin) throw new Error('schemathesis is not installed: run scripts/install-schemathesis.sh (npm test does when python3 exists)');
  const args = [
    'run', `${ctx.api.url}/v1/openapi.json`,
    '--url', ctx.api.url,
    '--header', `Authorization: Bearer ${key}`,
    '--checks', 'all',
    '--exclude-checks', 'positive_data_acceptance',
    '--max-examples', examples,
    '--seed', seed,
    '--generation-database', 'none',
    '--no-color',
    ...filter,
  ];
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: mkdtempSync(path.join(os.tmpdir(), 'fuzz-')), env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function summary(output: string): string {
  const at = output.indexOf('SUMMARY');
  return at >= 0 ? output.slice(at) : output.slice(-3000);
}

it('tenant endpoints: no 5xx, only documented responses', async () => {
  const run = await schemathesis(ctx.tenant.adminKey, ['--exclude-path-regex', '^/v1/tenants|/revoke$']);
  expect({ code: run.code, summary: summary(run.output) }).toEqual({ code: 0, summary: expect.stringContaining('passed') });
  expect(run.output).not.toMatch(/Server error|ST1\d\d|ST2\d\d/);
}, 420_000);

it('platform endpoints: no 5xx, only documented responses', async () => {
  const run = await schemathesis(TEST_PLATFORM_KEY, ['--include-path-regex', '^/v1/tenants']);
  expect({ code: run.code, summary: summary(run.output) }).toEqual({ code: 0, summary: expect.stringContaining('passed') });
}, 420_000);
