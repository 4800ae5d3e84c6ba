import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../../lib/errors';
import { problemTypeUri } from '../http/problem';
import { publicRoute } from '../routing/route';

/** Liveness, readiness and the problem-type pages: no key needed. */
const tags = ['Operations'];

const checkSchema = z.object({ status: z.enum(['ok', 'error']), detail: z.string().optional() });
const readinessSchema = z
  .object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), checkSchema) })
  .meta({ id: 'Readiness' });

const errorCodes = Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]];

export const operationsRoutes = [
  publicRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness',
    description: 'Answers 200 while the process serves HTTP; it checks no dependency.',
    tags,
    auth: 'none',
    success: { status: 200, description: 'The process is up', schema: z.object({ status: z.literal('ok') }) },
    async handler() {
      return { status: 200, body: { status: 'ok' } };
    },
  }),
  publicRoute({
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness',
    description: 'Checks PostgreSQL and Temporal. 200 when all answer, 503 (same body) when any does not.',
    tags,
    auth: 'none',
    success: { status: 200, description: 'Every dependency answers', schema: readinessSchema },
    async handler({ deps }) {
      const checks: Record<string, { status: 'ok' | 'error'; detail?: string }> = {};
      await Promise.all(
        deps.readiness.map(async (probe) => {
          try {
            await probe.check();
            checks[probe.name] = { status: 'ok' };
          } catch (error) {
            checks[probe.name] = { status: 'error', detail: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
      const ready = Object.values(checks).every((c) => c.status === 'ok');
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks } };
    },
  }),
  publicRoute({
    method: 'get',
    path: '/problems/{code}',
    operationId: 'getProblemType',
    summary: 'Describe a problem type',
    description: 'The `type` URI of every error response resolves here.',
    tags,
    auth: 'none',
    params: z.strictObject({ code: z.enum(errorCodes) }),
    success: {
      status: 200,
      description: 'The problem type',
      schema: z.object({ type: z.string(), code: z.string(), status: z.int(), title: z.string(), documentation: z.string() }),
    },
    async handler({ params }) {
      const entry = ERROR_CATALOG[params.code];
      return {
        status: 200,
        body: {
          type: problemTypeUri(params.code),
          code: params.code,
          status: entry.status,
          title: entry.title,
          documentation: `docs/errors.md#${params.code}`,
        },
      };
    },
  }),
];
