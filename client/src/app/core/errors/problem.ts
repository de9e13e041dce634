import { HttpErrorResponse } from '@angular/common/http';

/** One invalid field, as the server's validation pipe reports it. */
export interface ProblemFieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the one error shape the server answers with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemFieldError[];
  /** From Retry-After (429, 503): how long to wait before trying again. */
  retryAfterSec?: number;
}

const STATUS_TITLES: Record<number, string> = {
  0: 'Server unreachable',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A field error's part as text; anything else (an object, a number) is not something to show. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function fieldErrors(value: unknown): ProblemFieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const errors = value
    .filter(isRecord)
    .map((e) => ({ field: text(e['field']), message: text(e['message']) }))
    .filter((e) => e.message !== '');
  return errors.length > 0 ? errors : undefined;
}

/** Retry-After in seconds (the server sends seconds, never a date). */
function retryAfterOf(error: HttpErrorResponse): number | undefined {
  const seconds = Number(error.headers?.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Turns anything an HTTP call can throw into a Problem: the server's problem+json body when there is one,
 * otherwise a problem built from the status (network failure → status 0).
 */
export function toProblem(error: unknown): Problem {
  if (error instanceof HttpErrorResponse) {
    const body = parseBody(error.error);
    if (isRecord(body) && typeof body['title'] === 'string') {
      return {
        type: typeof body['type'] === 'string' ? body['type'] : 'about:blank',
        title: body['title'],
        status: typeof body['status'] === 'number' ? body['status'] : error.status,
        detail: typeof body['detail'] === 'string' ? body['detail'] : undefined,
        instance: typeof body['instance'] === 'string' ? body['instance'] : undefined,
        requestId: typeof body['requestId'] === 'string' ? body['requestId'] : undefined,
        errors: fieldErrors(body['errors']),
        retryAfterSec: retryAfterOf(error),
      };
    }
    if (error.status === 0) {
      return {
        type: 'about:blank',
        title: STATUS_TITLES[0],
        status: 0,
        detail: 'The server could not be reached. Check your connection and try again.',
      };
    }
    return {
      type: 'about:blank',
      title: STATUS_TITLES[error.status] ?? (error.statusText || 'Request failed'),
      status: error.status,
      detail: error.status >= 500 ? 'The server could not complete the request.' : undefined,
    };
  }
  return {
    type: 'about:blank',
    title: 'Unexpected error',
    status: 0,
    detail: error instanceof Error ? error.message : undefined,
  };
}

/**
 * The detail worth showing: none when it only repeats the title, or the field messages
 * (validation problems often join them into `detail`; the field list says it better).
 */
export function visibleDetail(problem: Problem): string | undefined {
  const detail = problem.detail?.trim();
  if (!detail || detail === problem.title) return undefined;
  if (problem.errors && detail.replace(/^\d+ problems in the request: /, '').replace(/\.$/, '') === problem.errors.map((e) => e.message).join('; '))
    return undefined;
  return detail;
}

/** One invalid field as a line: its message, prefixed by the field's name unless the message already begins with it ("email must be an email"). */
export function fieldErrorText({ field, message }: { field: string; message: string }): string {
  const named = !field || (message.startsWith(field) && !/\w/.test(message.charAt(field.length)));
  return named ? message : `${field}: ${message}`;
}

/** Human-readable problem text: the title, then the detail, then one line per invalid field. */
export function formatProblem(problem: Problem): string {
  const lines = [problem.title];
  const detail = visibleDetail(problem);
  if (detail) lines.push(detail);
  for (const fieldError of problem.errors ?? []) {
    lines.push(`• ${fieldErrorText(fieldError)}`);
  }
  const retry = retryHint(problem);
  if (retry) lines.push(retry);
  if (problem.requestId && problem.status >= 500) {
    lines.push(`Request id: ${problem.requestId}`);
  }
  return lines.join('\n');
}

/** "Try again in 45 s." / "Try again in 12 min." for a problem that says when, else undefined. */
export function retryHint(problem: Problem): string | undefined {
  const seconds = problem.retryAfterSec;
  if (!seconds) return undefined;
  return seconds < 120 ? `Try again in ${Math.ceil(seconds)} s.` : `Try again in ${Math.ceil(seconds / 60)} min.`;
}
