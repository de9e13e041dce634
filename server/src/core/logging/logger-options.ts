import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import ecsFormat from '@elastic/ecs-pino-format';
import type { Params } from 'nestjs-pino';
// nestjs-pino's request context: its Logger (the app logger) writes through the logger in the current Store.
import { storage, type Store } from 'nestjs-pino/storage';
import type { Options as HttpLoggerOptions } from 'pino-http';
import pino, { type DestinationStream } from 'pino';
import { startTime } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { routeTemplateOf } from '../http/prefix-routing';
import { TurnBatchedDestination } from './turn-batched-destination';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Secrets never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'http.request.headers.authorization',
  'http.request.headers.cookie',
  'http.response.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.apiKey',
  'password',
  'accessToken',
  'refreshToken',
];

/** Takes a well-formed x-request-id, else makes one; echoes it on the response. Runs once per request. */
export function requestId(request: IncomingMessage, response: ServerResponse): string {
  const withId = request as LoggedRequest;
  if (typeof withId.id === 'string') return withId.id;
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader('x-request-id', id);
  withId.id = id;
  return id;
}

type LoggedRequest = Omit<IncomingMessage, 'id'> & {
  /** set by requestId(), the only writer (pino-http, which could set other types, is not used) */
  id?: string;
  originalUrl?: string;
  user?: { id: string };
};

/**
 * The request-completed line in ECS field names, with only what an operator needs (no headers, no bodies). Built field
 * by field (no conditional spreads: this runs for every request).
 */
export function ecsRequestFields(req: IncomingMessage, res: ServerResponse, responseTimeMs: number): Record<string, unknown> {
  const request = req as LoggedRequest;
  const length = Number(res.getHeader('content-length'));
  const response: Record<string, unknown> = { status_code: res.statusCode };
  if (Number.isFinite(length)) response.body = { bytes: length };
  const http: Record<string, unknown> = { request: { id: typeof request.id === 'string' ? request.id : '', method: req.method }, response };
  const route = routeTemplateOf(req);
  if (route !== undefined) http.route = route;
  const fields: Record<string, unknown> = {
    http,
    url: { path: withoutQuery(request.originalUrl ?? req.url ?? '') },
    event: { duration: Math.round(responseTimeMs * 1e6) },
  };
  const userAgent = req.headers['user-agent'];
  if (userAgent) fields.user_agent = { original: userAgent };
  if (request.user) fields.user = { id: request.user.id };
  fields.client = { address: req.socket?.remoteAddress };
  return fields;
}

function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Milliseconds since the request logger saw the request (pino-http's start mark, which our middleware sets). */
function elapsedMs(res: ServerResponse): number {
  const started = (res as unknown as Record<symbol, number>)[startTime];
  return started ? Date.now() - started : 0;
}

/**
 * `extraDestination` (the Elasticsearch log shipper, when enabled) receives every line beside stdout;
 * with it, stdout carries JSON even in development (pino-pretty runs as a transport and cannot share).
 * stdout gets each event-loop turn's lines in one write (TurnBatchedDestination).
 */
export function loggerOptions(config: AppConfig, extraDestination?: DestinationStream): Params {
  const pretty = (config.LOG_PRETTY ?? config.NODE_ENV === 'development') && !extraDestination;
  const options: HttpLoggerOptions = {
    level: config.LOG_LEVEL,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { singleLine: true, colorize: true } } }
      : ecsFormat({ convertReqRes: false, apmIntegration: false })),
    // Raw req/res objects never reach a line (the request line carries ECS fields from ecsRequestFields).
    serializers: { req: () => undefined, res: () => undefined },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 || elapsedMs(res) > config.LOG_SLOW_MS ? 'warn' : 'info',
  };
  // useExisting with no routes: nestjs-pino adds no middleware of its own; requestLogging (registered by createApp) makes
  // the request logger and enters the request context itself.
  const noMiddleware = { useExisting: true, forRoutes: [] } satisfies Params;
  if (!extraDestination) return { pinoHttp: options, ...noMiddleware };
  const streams = pino.multistream([
    { level: 'trace', stream: new TurnBatchedDestination() },
    { level: 'trace', stream: extraDestination },
  ]);
  return { pinoHttp: [options, streams], ...noMiddleware };
}

/**
 * EventSource routes take the access token in the query (@AllowQueryToken); it must not reach the request line, in
 * whatever spelling the query parser decodes to `access_token` (`access%5Ftoken`, `%61ccess_token`, …).
 */
function withoutQueryToken(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const parameters = url
    .slice(start + 1)
    .split('&')
    .map((parameter) => {
      const key = parameter.split('=', 1)[0];
      return queryKey(key) === 'access_token' ? `${key}=[redacted]` : parameter;
    });
  return `${url.slice(0, start + 1)}${parameters.join('&')}`;
}

function queryKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** Probes and scrapes: an id, but no request line and no request logger. */
const UNLOGGED_URLS = new Set(['/api/health/live', '/api/metrics']);

/**
 * nestjs-pino's request context: its Logger (every Nest logger call) writes through `logger`, a child logger carrying
 * `reqId`. The child is made when a line is first logged during the request: most requests log nothing but their
 * request line, which does not need one.
 */
class RequestContext implements Store {
  private child?: pino.Logger;

  constructor(
    private readonly parent: pino.Logger,
    private readonly reqId: string,
    readonly request: IncomingMessage,
  ) {}

  get logger(): pino.Logger {
    this.child ??= this.parent.child({ reqId: this.reqId });
    return this.child;
  }

  /** PinoLogger.assign() replaces the logger with a child carrying more fields. */
  set logger(logger: pino.Logger) {
    this.child = logger;
  }
}

/**
 * The request being served in the current async context (set by requestLogging for every logged request), for the
 * rare hot handler that takes no parameter at all (docs/performance.md); undefined outside a request.
 */
export function currentRequest(): IncomingMessage | undefined {
  return (storage.getStore() as RequestContext | undefined)?.request;
}

/**
 * The per-request logging middleware (first in the chain): the request id (echoed as x-request-id), the request
 * context in which every Nest logger call made while serving the request carries `reqId`, and one ECS line when the
 * response closes.
 *
 * It replaces pino-http, whose per-request work (two child loggers, a full request serialization that our
 * serializers then discarded, three listeners) cost more CPU than the handler of a light route; and it enters
 * nestjs-pino's request context itself, which nestjs-pino's middleware did one Nest middleware layer later (a route
 * match, a WeakSet entry and four promises per request).
 */
export function requestLogging(params: Params): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const [options, stream] = Array.isArray(params.pinoHttp) ? params.pinoHttp : [params.pinoHttp as HttpLoggerOptions, undefined];
  const logger = pino(options as pino.LoggerOptions, stream as DestinationStream);
  // The success line is built only from the known fields of ecsRequestFields, so it skips redaction (two thirds of a line's cost).
  const lineLogger = logger.child({}, { redact: { paths: [] } });
  const levelOf = options.customLogLevel as (req: IncomingMessage, res: ServerResponse, error: Error | undefined) => pino.Level;

  return (req, res, next) => {
    const id = requestId(req, res);
    if (UNLOGGED_URLS.has(req.url ?? '')) return next();
    const started = Date.now();
    (res as unknown as Record<symbol, number>)[startTime] = started;
    const context = new RequestContext(logger, id, req);
    // 'close' comes once per response (a plain listener: `once` wraps it in two more objects per request)
    res.on('close', () => {
      const fields = ecsRequestFields(req, res, Date.now() - started);
      const message = `${req.method} ${withoutQueryToken((req as LoggedRequest).originalUrl ?? req.url ?? '')} ${res.statusCode}`;
      if (res.statusCode >= 500) context.logger.error({ ...fields, err: new Error(`failed with status code ${res.statusCode}`) }, message);
      else lineLogger[levelOf(req, res, undefined)]({ reqId: id, ...fields }, message);
    });
    storage.run(context, next);
  };
}
