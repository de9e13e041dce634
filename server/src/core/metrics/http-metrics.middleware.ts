import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/** The route template (`/api/music/generation/:id/status`), never the raw path, keeps label cardinality bounded. */
export function routeTemplate(request: Request): string {
  const path = (request.route as { path?: string } | undefined)?.path;
  return path ? `${request.baseUrl}${path}` : 'unmatched';
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
