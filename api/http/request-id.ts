import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Every response carries X-Request-Id, echoed in problem bodies, logs, audit
 * entries and domain events. A caller's own well-formed id is kept so the
 * same id follows a call from their system through ours.
 */
const CALLER_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const inbound = req.get('x-request-id');
  // randomUUID draws from a buffered entropy pool: no system call per request.
  const requestId = inbound && CALLER_ID.test(inbound) ? inbound : `req_${randomUUID().replace(/-/g, '')}`;
  res.locals.requestId = requestId;
  res.setHeader('X-Request-Id', requestId);
  next();
}

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId ?? 'unknown');
}
