import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../lib/logger';
import { requestIdOf } from './request-id';

/** One JSON line per request, after the response is sent. Bodies are never logged. */
export function requestLogMiddleware(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        request_id: requestIdOf(res),
        method: req.method,
        path: req.path,
        route: (req.route as { path?: string } | undefined)?.path ?? null,
        status: res.statusCode,
        duration_ms: Math.round(durationMs * 100) / 100,
        tenant_id: res.locals.tenantId ?? null,
        api_key_id: res.locals.apiKeyId ?? null,
      };
      if (res.statusCode >= 500) logger.error(entry, 'request failed');
      else logger.info(entry, 'request');
    });
    next();
  };
}
