import { HttpException, HttpStatus } from '@nestjs/common';

/** One invalid input field, as reported in a problem's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the one error body this API answers with. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemOptions {
  errors?: FieldError[];
  /** Seconds, sent as Retry-After (429/503). */
  retryAfterSec?: number;
  /** Extra members merged into the body (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
}

/** An HTTP error with a readable detail and, for bad input, the fields at fault. */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    detail: string,
    readonly problem: ProblemOptions = {},
  ) {
    super(detail, status);
  }
}

/**
 * A client error naming the fields at fault (400 unless `status` says otherwise). Each message is a sentence about its
 * field that names it, as class-validator's are ("audio is not a WAV file"); the detail joins them.
 */
export function fieldsProblem(errors: FieldError[], status: HttpStatus = HttpStatus.BAD_REQUEST): ProblemException {
  const detail = errors.length === 1 ? `${errors[0].message}.` : `${errors.length} problems in the request: ${errors.map((e) => e.message).join('; ')}.`;
  return new ProblemException(status, detail, { errors });
}

/** fieldsProblem for one field; `detail` replaces the message as the detail where there is more to say than its field's line. */
export function fieldProblem(field: string, message: string, options: { status?: HttpStatus; detail?: string } = {}): ProblemException {
  const status = options.status ?? HttpStatus.BAD_REQUEST;
  return options.detail === undefined
    ? fieldsProblem([{ field, message }], status)
    : new ProblemException(status, options.detail, { errors: [{ field, message }] });
}

export class ServiceUnavailableProblem extends ProblemException {
  constructor(detail: string, retryAfterSec = 5) {
    super(HttpStatus.SERVICE_UNAVAILABLE, detail, { retryAfterSec });
  }
}
