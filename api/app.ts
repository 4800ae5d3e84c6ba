import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { jsonBodyMiddleware } from './http/json-body';
import { requestIdMiddleware } from './http/request-id';
import { requestLogMiddleware } from './http/request-log';
import { SWAGGER_UI_ASSETS_DIR } from './openapi/docs-page';
import { buildOpenApiDocument } from './openapi/document';
import { apiDocsRoutes } from './routes/api-docs';
import { resourceRoutes } from './routes/index';
import { bulkBodyLimits, mountRoutes } from './routing/mount';
import type { AppDeps, Route } from './routing/route';

export const API_VERSION = '0.1.0';

/** All routes, the documentation routes included. */
export function allRoutes(): Route[] {
  let document: unknown;
  const routes: Route[] = [...resourceRoutes, ...apiDocsRoutes(() => document)];
  document = buildOpenApiDocument(routes, API_VERSION);
  return routes;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestIdMiddleware);
  app.use(requestLogMiddleware(deps.logger));
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/v1/docs/assets', express.static(SWAGGER_UI_ASSETS_DIR, { index: false }));
  const routes = allRoutes();
  app.use(jsonBodyMiddleware(deps.config.bodyLimitBytes, bulkBodyLimits(routes)));
  mountRoutes(app, routes, deps);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
