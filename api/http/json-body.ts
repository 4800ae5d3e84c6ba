import express, { type NextFunction, type Request, type Response } from 'express';
import { RackrateError } from '../../lib/errors';

/**
 * Request bodies are JSON, parsed once with a size limit. A body with another
 * media type is refused (415) rather than guessed at; an oversized one gets
 * 413 before it is read; broken JSON gets 400.
 */
function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

function isJson(req: Request): boolean {
  return req.is(['application/json', 'application/*+json']) !== false;
}

function parser(limitBytes: number) {
  return express.json({ limit: limitBytes, strict: false, type: ['application/json', 'application/*+json'] });
}

/** `largerLimits`: by "METHOD /path", routes that take more than `limitBytes` (event batches). */
export function jsonBodyMiddleware(limitBytes: number, largerLimits: ReadonlyMap<string, number> = new Map()) {
  const parse = parser(limitBytes);
  const parsers = new Map([...largerLimits].map(([route, limit]) => [route, { limit, parse: parser(limit) }]));
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next();
    if (!isJson(req)) {
      return next(new RackrateError('unsupported_media_type', `Send the body as application/json, not ${req.get('content-type') ?? 'an unlabelled body'}.`));
    }
    const special = parsers.size === 0 ? undefined : parsers.get(`${req.method} ${req.path.replace(/(.)\/$/, '$1')}`);
    const limit = special?.limit ?? limitBytes;
    (special?.parse ?? parse)(req, res, (error?: unknown) => next(error === undefined ? undefined : translateParseError(error, limit)));
  };
}

function translateParseError(error: unknown, limitBytes: number): unknown {
  const type = (error as { type?: string }).type;
  switch (type) {
    case 'entity.too.large':
      return new RackrateError('payload_too_large', `The body is larger than ${limitBytes} bytes.`);
    case 'entity.parse.failed':
      return new RackrateError('malformed_json', `The body is not valid JSON: ${(error as Error).message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new RackrateError('unsupported_media_type', (error as Error).message);
    case 'request.aborted':
    case 'request.size.invalid':
      return new RackrateError('malformed_json', 'The body ended before its declared length.');
    default:
      return error;
  }
}
