import type { NextFunction, Request, Response } from 'express';
import { routeTemplateOf } from '../http/prefix-routing';
import type { MetricsService } from './metrics.service';

/** The route template (`/api/music/generation/:id/status`), never the raw path, keeps label cardinality bounded. */
export function routeTemplate(request: Request): string {
  return routeTemplateOf(request) ?? 'unmatched';
}

export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(request.method, routeTemplate(request), response.statusCode, seconds);
    });
    next();
  };
}
