import { io, type Socket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';

/** An acknowledgement as the `/ensemble` namespace answers it. */
export type Acked<T = Record<string, unknown>> =
  | ({ ok: true } & T)
  | { ok: false; error: { status: number; title: string; detail: string; errors?: { field: string; message: string }[]; retryAfterSec?: number } };

/**
 * Opens a socket on a server's `/ensemble` namespace with the MessagePack parser (or, `parser: 'default'`, Socket.IO's
 * own text one, as a client that knows nothing of MessagePack connects); resolves once connected.
 */
export function connectEnsemble(
  baseUrl: string,
  auth: Record<string, unknown>,
  options: { transports?: string[]; parser?: 'msgpack' | 'default' } = {},
): Promise<Socket> {
  const socket = io(`${baseUrl}/ensemble`, {
    auth,
    ...(options.parser === 'default' ? {} : { parser: msgpackParser }),
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits a request and waits for its acknowledgement (bounded). */
export function request<T = Record<string, unknown>>(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Acked<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Acked<T>>;
}

/** Resolves with the next `event` that satisfies `accept` (bounded). */
export function nextEvent<T>(socket: Socket, event: string, accept: (payload: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Collects every `event` a socket receives, for assertions that something did (or did not) arrive. */
export function collect<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/**
 * The shared clock as a client estimates it: offset = server time − the round trip's midpoint, the median of several
 * ping/pong samples (as the page does), so one round trip delayed by a busy machine does not decide it.
 */
export async function serverOffset(socket: Socket, samples = 9): Promise<number> {
  const offsets: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const ack = await request<{ t0: number; serverTime: number }>(socket, 'clock:ping', { t0 });
    if (!ack.ok) throw new Error(ack.error.detail);
    const t1 = performance.timeOrigin + performance.now();
    offsets.push(ack.serverTime - (t0 + t1) / 2);
  }
  return offsets.sort((a, b) => a - b)[Math.floor(samples / 2)];
}
