import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../errors/problem';
import { ProblemException } from '../errors/problem';

/** The error half of an acknowledgement: RFC 9457's core members, as the HTTP API answers them. */
export interface WsError {
  status: number;
  title: string;
  detail: string;
  /** The bad fields of a validation error. */
  errors?: FieldError[];
  /** Seconds to wait (rate limits). */
  retryAfterSec?: number;
}

export type WsAck<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WsError };

export function ackOk<T extends object>(payload: T): { ok: true } & T {
  return { ok: true, ...payload };
}

export function wsError(status: number, detail: string, extra: Pick<WsError, 'errors' | 'retryAfterSec'> = {}): WsError {
  return { status, title: STATUS_CODES[status] ?? 'Error', detail, ...extra };
}

export function ackError(status: number, detail: string, extra: Pick<WsError, 'errors' | 'retryAfterSec'> = {}): { ok: false; error: WsError } {
  return { ok: false, error: wsError(status, detail, extra) };
}

/**
 * Turns whatever a handler threw into an error acknowledgement: HTTP exceptions keep their status and message
 * (a ProblemException its field errors); anything else is a 500 that says nothing about the internals.
 */
export function ackFromException(error: unknown): { ok: false; error: WsError } {
  if (error instanceof ProblemException) {
    return ackError(error.getStatus(), error.message, { errors: error.problem.errors, retryAfterSec: error.problem.retryAfterSec });
  }
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message = typeof response === 'object' && response && 'message' in response ? response.message : error.message;
    return ackError(error.getStatus(), Array.isArray(message) ? message.join('; ') : String(message));
  }
  return ackError(HttpStatus.INTERNAL_SERVER_ERROR, 'The server could not handle this event.');
}
