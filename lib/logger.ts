import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout, one object per line. Request logs carry
 * request_id, tenant_id and api_key_id so one support ticket can be traced
 * through API, worker and database without grepping free text.
 */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'authorization', 'api_key'], censor: '[redacted]' },
  });
}
