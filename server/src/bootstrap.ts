import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { bodyParserProblems, ProblemFilter, unsupportedBodyProblem } from './core/errors/problem.filter';
import { RouteBodyLimits } from './core/http/body-limit';
import { PrefixRoutedExpressAdapter } from './core/http/prefix-routing';
import { createValidationPipe } from './core/errors/validation.pipe';
import { requestLogging } from './core/logging/logger-options';
import { httpMetricsMiddleware } from './core/metrics/http-metrics.middleware';
import { MetricsService } from './core/metrics/metrics.service';
import { buildOpenApiDocument } from './core/openapi';
import { APP_VERSION } from './core/version';
import { RedisIoAdapter } from './core/ws/redis-io.adapter';

export const API_PREFIX = 'api';

/** Builds the configured application (used by main.ts, the e2e tests, the benchmarks and the OpenAPI script). */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // routes grouped by their first two path segments: a request is matched against its group's routes, not all of them
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), new PrefixRoutedExpressAdapter(), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.setGlobalPrefix(API_PREFIX);
  app.use(requestLogging(app.get<Params>(PARAMS_PROVIDER_TOKEN)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'blob:'], 'media-src': ["'self'", 'blob:'] },
      },
    }),
  );
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // routes marked @BodyLimit get their own (larger) JSON limit; every other route the global one
  const bodyLimits = app.get(RouteBodyLimits);
  bodyLimits.setGlobalPrefix(API_PREFIX);
  app.use(bodyLimits.jsonParser(express.json({ limit: config.BODY_LIMIT, type: ['application/json', 'application/*+json'] })));
  // One layer for both (each layer costs every request, a GET too): form bodies are read, others of a type no parser reads refused.
  const urlencoded = express.urlencoded({ extended: false, limit: config.BODY_LIMIT });
  app.use((request: Request, response: Response, next: NextFunction) =>
    urlencoded(request, response, (error?: unknown) =>
      next(error ?? unsupportedBodyProblem(request, (method, path) => bodyLimits.readsMultipart(method, path))),
    ),
  );
  app.use(bodyParserProblems);
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: false });
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());

  const document = buildOpenApiDocument(app, APP_VERSION);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });

  serveClient(app, config);
  return app;
}

/** Serves the built SPA on the same origin, with index.html for client-side routes. */
function serveClient(app: NestExpressApplication, config: AppConfig): void {
  const candidates = [config.CLIENT_DIST_DIR, join(__dirname, '../../dist/client/browser'), resolve('dist/client/browser')];
  const root = candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
  if (!root) return;
  const assets = express.static(root, { index: false, maxAge: '1y', immutable: true, setHeaders: noCacheForHtml });
  const isApi = (path: string) => path === `/${API_PREFIX}` || path.startsWith(`/${API_PREFIX}/`);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isApi(request.path) || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    assets(request, response, () => {
      if (!request.accepts('html')) return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(join(root, 'index.html'));
    });
  });
}

function noCacheForHtml(response: Response, path: string): void {
  if (path.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
