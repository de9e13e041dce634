import type { AuthUser } from '../auth/auth.decorators';
import type { TokenService } from '../auth/token.service';
import { wsError, type WsError } from './ws-ack';

/** The parts of a Socket.IO socket the handshake check reads and writes. */
export interface HandshakeSocket {
  handshake: { auth: Record<string, unknown> };
  data: { user?: AuthUser };
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
 * Socket.IO middleware: the access token comes in the handshake as `auth: { token }` and is checked once, with the
 * HTTP API's TokenService; the caller lands in `socket.data.user`. A missing or bad token refuses the connection.
 */
export function socketAuthMiddleware(tokens: TokenService): (socket: HandshakeSocket, next: (error?: Error) => void) => void {
  return (socket, next) => {
    const token = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0) return next(new HandshakeError(401, 'An access token is required in the handshake: auth: { token }.'));
    try {
      socket.data.user = tokens.verifyAccessToken(token);
      next();
    } catch {
      next(new HandshakeError(401, 'The access token is invalid or has expired.'));
    }
  };
}
