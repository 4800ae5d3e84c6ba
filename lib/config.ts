import path from 'node:path';
import { z } from 'zod';

/**
 * Runtime configuration, read once from the environment and validated, so a
 * typo fails at start with a line naming the variable instead of surfacing
 * later as odd behaviour. Every variable is documented in docs/operations.md.
 */
export interface Config {
  /** External PostgreSQL; when absent, embedded PostgreSQL runs under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  /** External Temporal frontend (host:port); when absent, a local dev server runs. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalPort: number;
  temporalUiPort: number;
  temporalCli: string | undefined;
  host: string;
  port: number;
  /** Base URL printed and used in Location headers' docs; derived from host/port when unset. */
  publicUrl: string | undefined;
  platformKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  idempotencyKeyTtlHours: number;
  /** How long a verified API key is remembered by an API process; 0 turns the cache off. */
  apiKeyCacheTtlSeconds: number;
  taskQueues: string[] | undefined;
  /** Whole months of raw usage kept before the current one (docs/metering.md, "Retention"). */
  usageRetentionMonths: number;
}

const port = z.coerce.number().int().min(1).max(65535);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  RACKRATE_DATA_DIR: z.string().min(1).optional(),
  EMBEDDED_POSTGRES_PORT: port.default(5433),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. temporal.internal:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI: z.string().min(1).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url().optional(),
  RACKRATE_PLATFORM_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(24, 'must be at least 24 (keys are kept at least a day)')
    .max(24 * 90)
    .default(24),
  API_KEY_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  USAGE_RETENTION_MONTHS: z.coerce.number().int().min(2, 'must be at least 2 (late events reach back 35 days)').max(120).default(25),
  RACKRATE_TASK_QUEUES: z
    .string()
    .regex(/^[a-z-]+(,[a-z-]+)*$/, 'must be a comma-separated list such as billing,payments')
    .optional(),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as shells and compose files often pass them. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.RACKRATE_DATA_DIR ?? 'data'),
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    temporalCli: e.TEMPORAL_CLI,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    platformKey: e.RACKRATE_PLATFORM_KEY,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    idempotencyKeyTtlHours: e.IDEMPOTENCY_KEY_TTL_HOURS,
    apiKeyCacheTtlSeconds: e.API_KEY_CACHE_TTL_SECONDS,
    taskQueues: e.RACKRATE_TASK_QUEUES?.split(','),
    usageRetentionMonths: e.USAGE_RETENTION_MONTHS,
  };
}
