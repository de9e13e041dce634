import { io, type Socket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { ClockOffsetEstimator } from './shared-clock';

/** The error half of every acknowledgement of the `/ensemble` namespace. */
export interface EnsembleError {
  status: number;
  title: string;
  detail: string;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: EnsembleError };

/** An acknowledgement that said no. */
export class EnsembleRequestError extends Error {
  constructor(readonly error: EnsembleError) {
    super(error.detail);
  }
}

export interface NoteEvent {
  memberId: string;
  type: 'on' | 'off';
  pitch: number;
  velocity: number;
  /** Shared-clock ms. */
  time: number;
  channel: number;
}

const PING_EVERY_MS = 1000;
const FIRST_PINGS = 12;

/**
 * One connection to the `/ensemble` namespace: the token in the handshake, the msgpack parser, requests that resolve
 * with their acknowledgement, and the shared clock (ping/pong samples into the same estimator as the server's,
 * re-estimated every second). A reconnect names the membership in the handshake so the server resumes it.
 */
export class EnsembleSocket {
  readonly socket: Socket;
  readonly clock = new ClockOffsetEstimator();
  private pinger?: ReturnType<typeof setInterval>;
  /** The membership to resume after a reconnect. */
  resume: { roomCode: string; memberId: string } | null = null;
  /** Set by a refresh after a refused handshake, cleared once connected: a second refusal is final. */
  private refreshed = false;
  /** The token the server holds for this connection (the handshake's, then each renewal's). */
  private heldToken: string | null = null;
  /** Set when the server said the connection's token expired: its disconnect is then followed by a reconnect. */
  private tokenExpired = false;

  /**
   * @param token the access token for each handshake
   * @param refresh renews the token; called when a handshake is refused (401), since Socket.IO then stops reconnecting
   * @param refused told the server's reason when the handshake stays refused after a refresh (the session ended)
   */
  constructor(
    token: () => string | null,
    private readonly refresh: () => Promise<boolean> = () => Promise.resolve(false),
    private readonly refused: (detail: string) => void = () => undefined,
    url = '/ensemble',
  ) {
    this.socket = io(url, {
      auth: (callback) => {
        this.heldToken = token();
        // Without a membership of its own to resume, the page does not take back one another tab of this user dropped.
        callback({ token: this.heldToken, ...(this.resume ?? { resume: false }) });
      },
      parser: msgpackParser,
      transports: ['websocket'],
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => {
      this.refreshed = false;
      this.syncClock().catch(() => undefined);
    });
    // A token that expired during a long session is refused at the next handshake (a network blip, a redeploy).
    this.socket.on('connect_error', (error: Error & { data?: { status?: number; detail?: string } }) => {
      if (error.data?.status !== 401) return;
      if (this.refreshed) return this.refused(error.data.detail ?? 'Your session has ended. Please sign in again.');
      this.refreshed = true;
      this.refresh().then(
        (ok) => (ok ? this.socket.connect() : this.refused('Your session has ended. Please sign in again.')),
        () => this.refused('Your session has ended. Please sign in again.'),
      );
    });
    // The server ends a connection whose token expired (the renewal did not reach it, a tab asleep): Socket.IO does
    // not reconnect after a server's disconnect by itself, so this one does, with the newest token.
    this.socket.on('error', (payload: { event?: string }) => {
      if (payload.event === 'auth') this.tokenExpired = true;
    });
    this.socket.on('disconnect', (reason) => {
      if (reason !== 'io server disconnect' || !this.tokenExpired) return;
      this.tokenExpired = false;
      this.socket.connect();
    });
    this.pinger = setInterval(() => {
      if (this.socket.connected) this.ping().catch(() => undefined);
    }, PING_EVERY_MS);
  }

  /** Client clock now (ms), the clock the estimator maps to the shared one. */
  static localNow(): number {
    return performance.timeOrigin + performance.now();
  }

  /** Shared-clock ms now (the local clock until the first sample). */
  sharedNow(): number {
    return this.clock.estimate ? this.clock.toServerTime(EnsembleSocket.localNow()) : EnsembleSocket.localNow();
  }

  async request<T>(event: string, payload: unknown, timeoutMs = 8000): Promise<T> {
    const ack = (await this.socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
    if (!ack.ok) throw new EnsembleRequestError(ack.error);
    return ack;
  }

  /** Hands the server a renewed access token, so that the connection outlives the one it was opened with. */
  renewToken(token: string): void {
    if (!this.socket.connected || token === this.heldToken) return;
    this.heldToken = token;
    this.socket.emit('auth:renew', { token });
  }

  /** Sends without waiting (notes): failures come back as `error` events. */
  send(event: string, payload: unknown): void {
    this.socket.emit(event, payload);
  }

  close(): void {
    clearInterval(this.pinger);
    this.socket.close();
  }

  private async syncClock(): Promise<void> {
    for (let i = 0; i < FIRST_PINGS && this.socket.connected; i += 1) await this.ping();
  }

  private async ping(): Promise<void> {
    const t0 = EnsembleSocket.localNow();
    try {
      const ack = (await this.socket.timeout(3000).emitWithAck('clock:ping', { t0 })) as Ack<{ serverTime: number }>;
      if (ack.ok) this.clock.addSample({ t0, serverTime: ack.serverTime, t1: EnsembleSocket.localNow() });
    } catch {
      // A lost ping is just a missing sample.
    }
  }
}
