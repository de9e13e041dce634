import type { IncomingMessage } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';
import { REQUEST_METHOD_MAP } from '@nestjs/core/helpers/router-method-factory';
import express, { type Express, type Router } from 'express';

type RouteMethod = (typeof REQUEST_METHOD_MAP)[keyof typeof REQUEST_METHOD_MAP];

/** Path segments that are plain text: no parameter, wildcard, optional group or escape (path-to-regexp 8). */
const STATIC_SEGMENT = /^[\w.~-]+$/;

/** `/api/auth/me` → `['/api/auth', '/me']`; undefined when either of the first two segments is not plain text. */
export function splitRoutePrefix(path: string): [prefix: string, rest: string] | undefined {
  const [empty, first, second, ...rest] = path.split('/');
  if (empty !== '' || !first || !second || !STATIC_SEGMENT.test(first) || !STATIC_SEGMENT.test(second)) return undefined;
  return [`/${first}/${second}`, `/${rest.join('/')}`];
}

/**
 * Express tries a request against the app's routes one by one, in the order they were registered: with about a hundred
 * routes, `/api/auth/me` (registered near the end) ran some ninety path matches before its own, on every request
 * (docs/performance.md). This adapter puts each route whose path starts with two plain segments (`/api/auth/…`) on one
 * Express router per such prefix, mounted on the app where the first of its routes would have been; a request then
 * runs one match per prefix and then only its group's. Routes of different prefixes never match the same path, so
 * moving a route ahead of other prefixes' routes changes nothing; any other registration (middleware, a route with a
 * parameter in its first two segments) ends the current groups, so that nothing moves ahead of it.
 *
 * A route that is the prefix itself (`/api/health`) stays on the app.
 *
 * Inside a group Express sets `req.baseUrl` to the prefix and `req.route.path` to the rest: the route template is
 * `req.baseUrl + req.route.path`, as the request line and the metrics read it, and `req.originalUrl` is unchanged.
 */
export class PrefixRoutedExpressAdapter extends ExpressAdapter {
  private groups = new Map<string, Router>();

  constructor() {
    super(express());
    const router = express.Router() as unknown as Record<string, unknown>;
    for (const method of new Set(Object.values(REQUEST_METHOD_MAP))) {
      // methods this Node's Express cannot route stay as they are (Nest falls back to `use` for those)
      if (typeof router[method] !== 'function') continue;
      (this as unknown as Record<RouteMethod, (...args: unknown[]) => unknown>)[method] = (...args: unknown[]) => this.route(method, args);
    }
  }

  override use(...args: unknown[]): unknown {
    this.groups = new Map();
    return (this.instance as Express).use(...(args as Parameters<Express['use']>));
  }

  private route(method: RouteMethod, args: unknown[]): unknown {
    const app = this.instance as Express & Record<RouteMethod, (...args: unknown[]) => unknown>;
    const [path, ...handlers] = args;
    // (with a path alone, `get` reads an Express setting)
    const split = typeof path === 'string' && handlers.length ? splitRoutePrefix(path) : undefined;
    if (!split) {
      if (handlers.length) this.groups = new Map();
      return app[method](...args);
    }
    const [prefix, rest] = split;
    const caseSensitive = app.enabled('case sensitive routing');
    const key = caseSensitive ? prefix : prefix.toLowerCase();
    if (rest === '/') {
      // the prefix itself (`/api/health`) stays on the app, so that its template stays `/api/health`; its group's later
      // routes go after it
      this.groups.delete(key);
      return app[method](...args);
    }
    let group = this.groups.get(key);
    if (!group) {
      group = express.Router({ caseSensitive, strict: app.enabled('strict routing') });
      this.groups.set(key, group);
      app.use(prefix, group);
    }
    return (group as unknown as Record<RouteMethod, (...args: unknown[]) => unknown>)[method](rest, ...handlers);
  }
}

/**
 * The route template of a routed request (`/api/music/generation/:id/status`), or undefined when no route matched:
 * `req.baseUrl + req.route.path`. A group matches its prefix without regard to case (as Express routes do), so
 * `baseUrl` is the prefix as the client spelt it (`/API/Auth`): it is lower-cased, as every registered prefix is, or
 * each spelling would be a route of its own in the metrics and the logs.
 */
export function routeTemplateOf(req: IncomingMessage): string | undefined {
  const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  return typeof r.route?.path === 'string' ? `${(r.baseUrl ?? '').toLowerCase()}${r.route.path}` : undefined;
}
