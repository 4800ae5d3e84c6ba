import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from '../../api/app';
import { RackrateError } from '../../lib/errors';
import { startTemporalRuntime, type TemporalRuntime } from './temporal-runtime';
import type { TemporalClientProvider } from '../../lib/temporal/connection';
import type { ReadinessProbe } from '../../api/routing/route';
import { systemClock, type Clock } from '../../lib/clock';
import { loadConfig, type Config } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createApiKeyAuthenticator } from '../../services/auth/api-key-authenticator';
import { assertConformance } from './conformance';
import { createTestDatabase, type TestDatabase } from './database';
import { createTestTenant, type TestTenant } from './tenants';

/** The real API on an ephemeral port, talked to over real HTTP. */
export interface TestApi {
  url: string;
  config: Config;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  key?: string;
  body?: unknown;
  /** Sent as is, for malformed bodies. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text. */
  // Test convenience: responses are asserted field by field, and a wrong guess fails the test.
  body: any;
  text: string;
}

/** For API tests that do not run Temporal: subscription routes answer 503 as they would with Temporal down. */
const noTemporal: TemporalClientProvider = {
  client: () => Promise.reject(new RackrateError('service_unavailable', 'Temporal is not running in this test.')),
  close: async () => undefined,
};

export const TEST_PLATFORM_KEY = 'test-platform-key-0123456789abcdef0123456789';

export async function startTestApi(
  dataSource: DataSource,
  options: { clock?: Clock; env?: Record<string, string>; readiness?: ReadinessProbe[]; temporal?: TemporalClientProvider } = {},
): Promise<TestApi> {
  const config = loadConfig({ RACKRATE_PLATFORM_KEY: TEST_PLATFORM_KEY, ...options.env });
  const logger = createLogger('silent', 'test-api');
  const authenticator = createApiKeyAuthenticator({ dataSource, logger, ttlSeconds: config.apiKeyCacheTtlSeconds });
  const app = createApp({
    config,
    dataSource,
    logger,
    clock: options.clock ?? systemClock,
    authenticator,
    readiness: options.readiness ?? [{ name: 'database', check: async () => void (await dataSource.query('SELECT 1')) }],
    temporal: options.temporal ?? noTemporal,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
      let body: string | Buffer | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      if (/json/.test(response.headers.get('content-type') ?? '') && text !== '') parsed = JSON.parse(text);
      assertConformance(method, path, response.status, response.headers.get('content-type'), parsed);
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await authenticator.close();
    },
  };
}

export interface ApiTestContext {
  db: TestDatabase;
  api: TestApi;
  tenant: TestTenant;
}

/**
 * The usual fixture of an API test file: its own database, the API on it and
 * one tenant with an admin key, made before the file's tests and removed after.
 * The fields are filled in by beforeAll, so read them inside tests.
 */
export function useApiTest(slug: string, options: Parameters<typeof startTestApi>[1] & { withTemporal?: boolean } = {}): ApiTestContext {
  const ctx = {} as ApiTestContext;
  let runtime: TemporalRuntime | undefined;
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    if (options.withTemporal) runtime = await startTemporalRuntime(ctx.db.dataSource);
    ctx.api = await startTestApi(ctx.db.dataSource, { ...options, ...(runtime ? { temporal: runtime.temporal } : {}) });
    ctx.tenant = await createTestTenant(ctx.db.dataSource, slug);
  }, 60_000);
  afterAll(async () => {
    await ctx.api?.close();
    await runtime?.close();
    await ctx.db?.drop();
  });
  return ctx;
}
