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

export class ServiceUnavailableProblem extends ProblemException {
  constructor(detail: string, retryAfterSec = 5) {
    super(HttpStatus.SERVICE_UNAVAILABLE, detail, { retryAfterSec });
  }
}
