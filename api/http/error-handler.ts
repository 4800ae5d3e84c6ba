import type { NextFunction, Request, Response } from 'express';
import { RackrateError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { sendProblem } from './problem';
import { requestIdOf } from './request-id';

/** PostgreSQL being unreachable or overloaded is a 503 to retry, not a bug. */
function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P01' || // admin shutdown
    code === '57P03' || // cannot connect now
    code === '53300' || // too many connections
    code === '57014' || // statement timeout
    code === '40001' || // serialization failure
    code === '40P01' || // deadlock detected
    /timeout exceeded when trying to connect|Connection terminated/i.test(e.message ?? '')
  );
}

export function notFoundHandler(req: Request): never {
  throw new RackrateError('route_not_found', `No endpoint ${req.method} ${req.path}. See /v1/docs.`);
}

export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const requestId = requestIdOf(res);
    if (error instanceof RackrateError) {
      if (error.status >= 500) logger.error({ err: error, request_id: requestId }, error.message);
      return sendProblem(res, error, requestId, req.originalUrl);
    }
    if (isDatabaseUnavailable(error)) {
      logger.error({ err: error, request_id: requestId }, 'database unavailable');
      return sendProblem(
        res,
        new RackrateError('service_unavailable', 'The database is not available; retry shortly.', { headers: { 'Retry-After': '2' } }),
        requestId,
        req.originalUrl,
      );
    }
    logger.error({ err: error, request_id: requestId }, 'unhandled error');
    sendProblem(
      res,
      new RackrateError('internal_error', `An unexpected error occurred. Quote request id ${requestId} to support.`),
      requestId,
      req.originalUrl,
    );
  };
}
