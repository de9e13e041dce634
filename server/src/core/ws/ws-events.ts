import { HttpStatus, NotFoundException } from '@nestjs/common';
import { ackError, ackFromException, ackOk, type WsError } from './ws-ack';
import { TokenBucketLimiter } from './ws-rate-limiter';
import { validateWith, type PayloadSchema } from './ws-validation';

/** The acknowledgement callback a Socket.IO client may pass as an event's last argument. */
export type Ack = (response: unknown) => void;

/** What the runner needs of a socket. */
export interface EventSocket {
  id: string;
  emit(event: string, ...args: unknown[]): unknown;
}

class NoPayload {}

/** The event a client gets for a failed request it sent without an acknowledgement callback. */
export const WS_ERROR_EVENT = 'error';

export interface WsEventRunnerOptions {
  /** Sustained events per second per socket. */
  ratePerSec: number;
  /** Events a socket may send at once. */
  burst: number;
  /** Called for a handler's unexpected error (logged by the caller; the client only gets a 500 ack). */
  onUnexpected?: (event: string, error: unknown) => void;
}

/**
 * Runs one client event the same way for every gateway: the socket's rate limit, then the payload's validation
 * (class-validator DTO), then the handler; the outcome goes back as `{ ok: true, ... }` or
 * `{ ok: false, error: { status, title, detail } }` to the acknowledgement callback, or — when the client gave none and
 * the event failed — as an `error` event `{ event, error }`. Nothing a client sends disconnects it or reaches anyone
 * else, and a handler that throws cannot take the process down. Synchronous handlers are answered synchronously;
 * asynchronous ones when they settle (the runner never returns a promise to forget).
 */
export class WsEventRunner {
  private readonly limiter: TokenBucketLimiter;
  /** When each socket was last told it is rate limited (the error event is sent at most once a second). */
  private readonly toldLimited = new Map<string, number>();

  constructor(private readonly options: WsEventRunnerOptions) {
    this.limiter = new TokenBucketLimiter(options.ratePerSec, options.burst);
  }

  run<T extends object, R extends object>(
    socket: EventSocket,
    event: string,
    payload: unknown,
    ack: Ack | undefined,
    dto: PayloadSchema<T>,
    handler: (input: T) => R | Promise<R>,
  ): void {
    const limit = this.limiter.take(socket.id);
    if (!limit.allowed) {
      const answer = ackError(HttpStatus.TOO_MANY_REQUESTS, `Too many events: at most ${this.options.ratePerSec} per second; slow down.`, {
        retryAfterSec: limit.retryAfterSec,
      });
      ack?.(answer);
      // The error event too (at most once a second), so a client that does not read every ack still learns to slow down.
      const now = performance.now();
      if (now - (this.toldLimited.get(socket.id) ?? -Infinity) >= 1000) {
        this.toldLimited.set(socket.id, now);
        socket.emit(WS_ERROR_EVENT, { event, error: answer.error });
      }
      return;
    }
    let result: R | Promise<R>;
    try {
      result = handler(validateWith(dto, payload));
    } catch (error) {
      return this.fail(socket, event, ack, error);
    }
    if (result instanceof Promise) {
      result.then(
        (value) => ack?.(ackOk(value)),
        (error: unknown) => this.fail(socket, event, ack, error),
      );
      return;
    }
    ack?.(ackOk(result));
  }

  /**
   * An event no handler knows: counted against the rate limit like any other, and answered 404 (ack or error event),
   * so a client that misspells an event learns it instead of waiting for an ack forever.
   */
  unknown(socket: EventSocket, event: string, args: unknown[]): void {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as Ack) : undefined;
    this.run(socket, event, {}, ack, NoPayload, () => {
      throw new NotFoundException(`There is no event named ${String(event).slice(0, 64)}.`);
    });
  }

  /** Frees a socket's counters when it disconnects. */
  forget(socketId: string): void {
    this.limiter.forget(socketId);
    this.toldLimited.delete(socketId);
  }

  private fail(socket: EventSocket, event: string, ack: Ack | undefined, error: unknown): void {
    const answer = ackFromException(error);
    if (answer.error.status >= 500 && answer.error.status !== 503) this.options.onUnexpected?.(event, error);
    if (ack) ack(answer);
    else socket.emit(WS_ERROR_EVENT, { event, error: answer.error } satisfies { event: string; error: WsError });
  }
}
