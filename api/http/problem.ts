import type { Response } from 'express';
import { z } from 'zod';
import { ERROR_CATALOG, RackrateError, type ErrorCode, type FieldError } from '../../lib/errors';

/**
 * RFC 9457 problem details. The single place where catalogue codes become
 * HTTP responses. `type` is a relative URI that the API itself serves
 * (GET /problems/{code}) with the code's description.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemTypeUri(code: ErrorCode): string {
  return `/problems/${code}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  request_id: string;
  errors?: Array<FieldError & { pointer: string }>;
}

/** `contacts[0].email` → `/contacts/0/email` (RFC 6901). */
function toPointer(field: string): string {
  if (field === '') return '';
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  return '/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function problemBody(error: RackrateError, requestId: string, instance: string): ProblemBody {
  const body: ProblemBody = {
    type: problemTypeUri(error.code),
    title: ERROR_CATALOG[error.code].title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    request_id: requestId,
  };
  if (error.errors.length > 0) body.errors = error.errors.map((e) => ({ ...e, pointer: toPointer(e.field) }));
  return body;
}

export function sendProblem(res: Response, error: RackrateError, requestId: string, instance: string): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(error, requestId, instance)));
}

export const problemSchema = z
  .object({
    type: z.string().meta({ example: '/problems/validation_failed' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().meta({ description: 'The request path.' }),
    code: z.enum(Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]]),
    request_id: z.string(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'query', 'path', 'header']),
          field: z.string().meta({ example: 'billing_address.country' }),
          pointer: z.string().meta({ example: '/billing_address/country' }),
          code: z.string().meta({ example: 'invalid_format' }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Every invalid field, not just the first.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
