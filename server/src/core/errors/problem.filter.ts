import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { fieldProblem, PROBLEM_CONTENT_TYPE, ProblemDetails, ProblemException } from './problem';
import { isTransientError } from './transient-error';

/** Retry-After (s) of a 503 caused by a lost database or Redis connection: the pools reconnect within seconds. */
const TRANSIENT_RETRY_AFTER_SEC = 2;

interface BodyParserError {
  type?: string;
  status?: number;
}

const BODY_PARSER_PROBLEMS: Record<string, { status: number; detail: string }> = {
  'entity.parse.failed': { status: 400, detail: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, detail: 'The request body is larger than the server accepts.' },
  'encoding.unsupported': { status: 415, detail: 'The request body encoding is not supported.' },
  'charset.unsupported': { status: 415, detail: 'The request body charset is not supported.' },
  'request.aborted': { status: 400, detail: 'The request body ended before its announced length.' },
  'request.size.invalid': { status: 400, detail: 'The request body length does not match Content-Length.' },
};

/**
 * Express error middleware placed right after the body parsers: Nest would otherwise turn a JSON
 * syntax error into a 400 that echoes the parser's message.
 */
export function bodyParserProblems(error: unknown, _request: Request, _response: Response, next: (error?: unknown) => void): void {
  // Already a problem (the check for bodies no parser reads): as it is.
  if (error instanceof HttpException) return next(error);
  const { type, status } = (error ?? {}) as BodyParserError;
  const known = type ? BODY_PARSER_PROBLEMS[type] : undefined;
  if (known) return next(new ProblemException(known.status, known.detail));
  // Other client errors of the parsers (a gzip body that does not inflate, a body cut short) carry a 4xx status.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return next(
      new ProblemException(
        status,
        status === 400 ? 'The request body could not be read (bad content encoding or cut short).' : (STATUS_CODES[status] ?? 'Bad request body.'),
      ),
    );
  }
  next(error);
}

/**
 * Runs after the body parsers: a POST, PUT or PATCH body that none of them read (a type they do not take: text/plain,
 * XML, no Content-Type at all, or a multipart form sent to a route that does not read forms) would reach the route as
 * no body and be answered 400 about every field, the ones the client did send too. It is answered 415 naming `body`.
 * Multipart bodies go on to the routes that read them as they stream, JSON to a route's own parser.
 */
export function unsupportedBodyProblem(request: Request, readsMultipart: (method: string, path: string) => boolean): ProblemException | undefined {
  const method = request.method;
  if ((method !== 'POST' && method !== 'PUT' && method !== 'PATCH') || request.body !== undefined) return undefined;
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  // JSON may be left to a route's own parser (a larger @BodyLimit, read after the caller is known).
  const read =
    (type === 'multipart/form-data' && readsMultipart(method, request.path)) ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/x-www-form-urlencoded';
  if (!hasBody || read) return undefined;
  return fieldProblem('body', `body must be JSON (Content-Type: application/json), not ${type || 'a body without a Content-Type'}`, {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  });
}

/** Turns every error into RFC 9457 problem+json; stack traces stay in the server log. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);

    const expected = exception instanceof HttpException && problem.status !== 500;
    if (!expected && problem.status === 503) {
      this.logger.warn(
        { err: exception, requestId: problem.requestId },
        `Dependency unavailable: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    } else if (!expected) {
      this.logger.error({ err: exception, requestId: problem.requestId }, `Unhandled error: ${problem.detail}`);
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof ProblemException && exception.problem.retryAfterSec !== undefined) {
      response.setHeader('Retry-After', String(exception.problem.retryAfterSec));
    } else if (problem.status === 503) {
      response.setHeader('Retry-After', String(TRANSIENT_RETRY_AFTER_SEC));
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    // requestLogging sets the id (a string) on every request before anything can fail.
    const requestId = typeof request.id === 'string' ? request.id : '';
    const instance = request.originalUrl?.split('?')[0] ?? request.url;
    const make = (status: number, detail: string, extra: Partial<ProblemDetails> = {}): ProblemDetails => ({
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail,
      instance,
      requestId,
      ...extra,
    });

    if (exception instanceof ProblemException) {
      const { errors, extensions } = exception.problem;
      return make(exception.getStatus(), exception.message, { ...(extensions ?? {}), ...(errors ? { errors } : {}) });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) return make(status, 'The server could not complete the request.');
      return make(status, this.detailOf(exception, request));
    }
    if (isTransientError(exception)) {
      return make(HttpStatus.SERVICE_UNAVAILABLE, 'A service this request needs is briefly unavailable; try again shortly.');
    }
    const errorId = requestId || 'unknown';
    return make(HttpStatus.INTERNAL_SERVER_ERROR, `An unexpected error occurred; quote error id ${errorId}.`);
  }

  private detailOf(exception: HttpException, request: Request): string {
    if (exception.getStatus() === 404 && exception.message.startsWith('Cannot ')) {
      return `No route for ${request.method} ${request.originalUrl?.split('?')[0] ?? request.url}.`;
    }
    const body = exception.getResponse();
    if (typeof body === 'object' && body && 'message' in body) {
      const message = body.message;
      if (typeof message === 'string') return message;
      if (Array.isArray(message)) return message.join('; ');
    }
    return exception.message;
  }
}
