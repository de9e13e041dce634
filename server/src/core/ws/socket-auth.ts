import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.decorators';
import type { TokenService } from '../auth/token.service';
import { wsError, type WsError } from './ws-ack';

/** The parts of a Socket.IO socket the handshake check reads and writes. */
export interface HandshakeSocket {
  handshake: { auth: Record<string, unknown> };
  data: { user?: AuthUser; tokenExpiresAt?: number };
}

/** A connect error the client sees as `connect_error` with `err.data` = { status, title, detail }. */
export class HandshakeError extends Error {
  readonly data: WsError;
  constructor(status: number, detail: string) {
    super(detail);
    this.data = wsError(status, detail);
  }
}

/**
 * Socket.IO middleware: the access token comes in the handshake as `auth: { token }` and is checked with the HTTP
 * API's TokenService; the caller lands in `socket.data.user`, the token's expiry in `socket.data.tokenExpiresAt` (see
 * TokenExpiryWatch). A missing or bad token refuses the connection.
 */
export function socketAuthMiddleware(tokens: TokenService): (socket: HandshakeSocket, next: (error?: Error) => void) => void {
  return (socket, next) => {
    const token = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0) return next(new HandshakeError(401, 'An access token is required in the handshake: auth: { token }.'));
    try {
      const { user, expiresAtMs } = tokens.verifyAccess(token);
      socket.data.user = user;
      socket.data.tokenExpiresAt = expiresAtMs;
      next();
    } catch {
      next(new HandshakeError(401, 'The access token is invalid or has expired.'));
    }
  };
}

/** The parts of a connected socket the expiry watch uses. */
export interface WatchedSocket extends HandshakeSocket {
  id: string;
  emit(event: 'error', payload: { event: string; error: WsError }): unknown;
  disconnect(close?: boolean): unknown;
}

/**
 * Ends a socket when the token it connected with expires, unless the client renewed it meanwhile (`auth:renew`
 * with its new token, for the same user): checked only at the handshake, a connection would otherwise outlive the
 * token, a revoked session's too. The client is told why (an `error` event for `auth`, 401) before the disconnect.
 */
export class TokenExpiryWatch {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly tokens: TokenService) {}

  watch(socket: WatchedSocket): void {
    this.forget(socket.id);
    const expiresAt = socket.data.tokenExpiresAt;
    if (expiresAt === undefined) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(socket.id);
        socket.emit('error', { event: 'auth', error: wsError(401, 'The access token expired; connect again with a new one.') });
        socket.disconnect(true);
      },
      Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)),
    );
    timer.unref();
    this.timers.set(socket.id, timer);
  }

  /** Takes the socket's new token (the same user's); answers its expiry. Throws 401 (a bad token) or 403 (another user's). */
  renew(socket: WatchedSocket, token: string): number {
    let verified: { user: AuthUser; expiresAtMs: number };
    try {
      verified = this.tokens.verifyAccess(token);
    } catch {
      throw new UnauthorizedException('The access token is invalid or has expired.');
    }
    if (verified.user.id !== socket.data.user?.id) throw new ForbiddenException("A connection cannot take another user's token.");
    socket.data.user = verified.user;
    socket.data.tokenExpiresAt = verified.expiresAtMs;
    this.watch(socket);
    return verified.expiresAtMs;
  }

  forget(socketId: string): void {
    clearTimeout(this.timers.get(socketId));
    this.timers.delete(socketId);
  }
}
