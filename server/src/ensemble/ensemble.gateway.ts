import { ForbiddenException, HttpStatus, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { BroadcastOperator, Namespace, Socket } from 'socket.io';
import type { DefaultEventsMap } from 'socket.io/dist/typed-events';
import type { AuthUser } from '../core/auth/auth.decorators';
import { TokenService } from '../core/auth/token.service';
import { AppConfig } from '../core/config/app-config';
import { fieldProblem, ProblemException } from '../core/errors/problem';
import { socketAuthMiddleware, TokenExpiryWatch } from '../core/ws/socket-auth';
import { ackFromException } from '../core/ws/ws-ack';
import { WsEventRunner, type Ack as AckFn } from '../core/ws/ws-events';
import { validatePayload } from '../core/ws/ws-validation';
import { clockPingValidator } from './dto/clock-ping.validator';
import { CreateRoomDto, JoinRoomDto, LeaveRoomDto, NoteDto, RecordDto, RenewTokenDto, UpdateMemberDto, UpdateRoomDto } from './dto/ensemble-events.dto';
import { noteValidator } from './dto/note.validator';
import { EnsembleAccompanists, type DeliveredNote } from './ensemble-accompanists.service';
import { EnsembleRecordingsService } from './ensemble-recordings.service';
import { EnsembleRoomsService, type Membership } from './ensemble-rooms.service';
import { EnsembleHub } from './ensemble.hub';
import { ENSEMBLE_LIMITS } from './ensemble.limits';
import { sharedNow } from './shared-time';

/** The events a client may send (anything else is answered 404). */
const ENSEMBLE_EVENTS = new Set(['clock:ping', 'auth:renew', 'room:create', 'room:join', 'room:leave', 'room:update', 'member:update', 'room:record', 'note']);

/** What the gateway keeps on each socket. */
interface SocketData {
  user: AuthUser;
  /** When the access token the connection holds expires (ms since the epoch): TokenExpiryWatch ends it then. */
  tokenExpiresAt?: number;
  membership?: Membership;
  /** Notes relayed since the last recording-limit check. */
  recorded?: number;
  /** The broadcast operator of the room's other members (see roomOthers). */
  relayTo?: { roomId: string; to: BroadcastOperator<DefaultEventsMap, SocketData> };
}

type EnsembleSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

/**
 * An event's arguments as Nest's adapter maps them: a trailing function is the acknowledgement callback; one other
 * argument is the payload, several are an array (which validation refuses).
 */
function eventArgs(args: unknown[]): { payload: unknown; ack?: AckFn } {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return { payload: args.length <= 1 ? args[0] : args };
  return { payload: args.length === 2 ? args[0] : args.slice(0, -1), ack: last as AckFn };
}

/** The handshake may name a membership to resume after a reconnect: auth: { token, roomCode?, memberId? }. */
interface ResumeAuth {
  roomCode?: unknown;
  memberId?: unknown;
  /** false: do not take back the membership this user's last connection dropped. */
  resume?: unknown;
}

/**
 * The `/ensemble` Socket.IO namespace (docs/ensemble.md): thin — each event goes through the shared runner (rate
 * limit, validation, ack envelope) to the rooms, accompanist and recording services. Notes are relayed to the other
 * members of the room through the Redis adapter, so members on other replicas get them too.
 */
@WebSocketGateway({ namespace: '/ensemble' })
export class EnsembleGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<EnsembleSocket>, OnGatewayDisconnect<EnsembleSocket> {
  private readonly logger = new Logger(EnsembleGateway.name);
  private readonly runner: WsEventRunner;
  private readonly expiry: TokenExpiryWatch;

  constructor(
    config: AppConfig,
    private readonly tokens: TokenService,
    private readonly hub: EnsembleHub,
    private readonly rooms: EnsembleRoomsService,
    private readonly accompanists: EnsembleAccompanists,
    private readonly recordings: EnsembleRecordingsService,
  ) {
    this.expiry = new TokenExpiryWatch(tokens);
    this.runner = new WsEventRunner({
      ratePerSec: config.WS_EVENT_RATE,
      burst: config.WS_EVENT_BURST,
      onUnexpected: (event, error) => this.logger.error({ err: error }, `Ensemble event ${event} failed`),
    });
  }

  afterInit(namespace: Namespace): void {
    namespace.use(socketAuthMiddleware(this.tokens));
    this.hub.attach(namespace);
    this.accompanists.deliverTo((roomId, notes) => this.deliverAccompaniment(roomId, notes));
  }

  /**
   * A reconnecting client gets its membership back, with the room's state pushed: the one it names in the handshake
   * (`roomCode`, `memberId`), or else the one this user's last connection dropped within the grace period (a plain
   * reconnect), unless the handshake says `resume: false`.
   */
  async handleConnection(socket: EnsembleSocket): Promise<void> {
    socket.onAny((event: string, ...args: unknown[]) => {
      if (!ENSEMBLE_EVENTS.has(event)) this.runner.unknown(socket, event, args);
    });
    this.onHotEvents(socket);
    this.expiry.watch(socket);
    const resume = socket.handshake.auth as ResumeAuth;
    if (typeof resume.roomCode !== 'string' || typeof resume.memberId !== 'string') return this.resumeDropped(socket, resume.resume !== false);
    try {
      await this.join(socket, validatePayload(JoinRoomDto, { code: resume.roomCode, memberId: resume.memberId }));
    } catch (error) {
      socket.emit('error', { event: 'room:resume', error: ackFromException(error).error });
    }
  }

  /** A plain reconnect: the membership this user's last connection dropped, if it is still held for them (else nothing). */
  private async resumeDropped(socket: EnsembleSocket, wanted: boolean): Promise<void> {
    try {
      const dropped = await this.rooms.takeDropped(socket.data.user.id);
      if (wanted && dropped && !socket.data.membership)
        await this.join(socket, validatePayload(JoinRoomDto, { code: dropped.code, memberId: dropped.memberId }));
    } catch (error) {
      // The member left or expired meanwhile, or Redis is away: the client simply starts outside any room.
      this.logger.debug(`Ensemble: no membership taken back for ${socket.data.user.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async handleDisconnect(socket: EnsembleSocket): Promise<void> {
    this.runner.forget(socket.id);
    this.expiry.forget(socket.id);
    const membership = socket.data.membership;
    if (!membership) return;
    try {
      await this.rooms.disconnected(membership);
    } catch (error) {
      this.logger.warn(`Ensemble disconnect of ${membership.memberId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // ------------------------------------------------------------------ events

  /**
   * The two events every member sends all the time, `note` (8 a second while playing) and `clock:ping`, are handled
   * on the socket itself rather than through Nest's per-message pipeline (param resolution, pipes, RxJS, promises for
   * each event: about half of a note's CPU): the same runner (rate limit, validation, ack or error event) and the same
   * answers. `clock:ping` reads the server clock first, so its answer is as close to the request's arrival as can be.
   */
  private onHotEvents(socket: EnsembleSocket): void {
    socket.on('clock:ping', (...args: unknown[]) => {
      const serverTime = sharedNow();
      const { payload, ack } = eventArgs(args);
      this.runner.run(socket, 'clock:ping', payload, ack, clockPingValidator, (dto) => ({ t0: dto.t0, serverTime }));
    });
    socket.on('note', (...args: unknown[]) => {
      const { payload, ack } = eventArgs(args);
      this.runner.run(socket, 'note', payload, ack, noteValidator, (dto) => this.relay(socket, dto));
    });
  }

  /** The connection's renewed access token: the socket stays open past the first token's expiry. */
  @SubscribeMessage('auth:renew')
  authRenew(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'auth:renew', payload, ack, RenewTokenDto, (dto) => ({ expiresAt: this.expiry.renew(socket, dto.token) }));
  }

  @SubscribeMessage('room:create')
  roomCreate(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'room:create', payload, ack, CreateRoomDto, async (dto) => {
      // Creating is not joining: a host may open rooms for others. The creator plays after room:join like anyone.
      const room = await this.rooms.create(socket.data.user, dto);
      return { roomId: room.id, code: room.code };
    });
  }

  @SubscribeMessage('room:join')
  roomJoin(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'room:join', payload, ack, JoinRoomDto, (dto) => this.join(socket, dto));
  }

  @SubscribeMessage('room:leave')
  roomLeave(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'room:leave', payload, ack, LeaveRoomDto, async () => {
      const membership = this.membership(socket);
      socket.data.membership = undefined;
      await socket.leave(membership.roomId);
      await this.rooms.leave(membership);
      return { roomId: membership.roomId };
    });
  }

  @SubscribeMessage('room:update')
  roomUpdate(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'room:update', payload, ack, UpdateRoomDto, async (dto) => ({
      room: await this.rooms.update(this.membership(socket), dto),
    }));
  }

  @SubscribeMessage('member:update')
  memberUpdate(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'member:update', payload, ack, UpdateMemberDto, async (dto) => {
      await this.rooms.updateMember(this.membership(socket), dto);
      return {};
    });
  }

  @SubscribeMessage('room:record')
  roomRecord(@ConnectedSocket() socket: EnsembleSocket, @MessageBody() payload: unknown, @Ack() ack?: AckFn): void {
    this.runner.run(socket, 'room:record', payload, ack, RecordDto, async (dto) => {
      const membership = this.membership(socket);
      if (dto.action === 'start') return { recording: (await this.recordings.start(membership)).recording };
      const { recording } = await this.recordings.stop(membership);
      if (!recording) throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'Nothing was played while recording; no recording was kept.');
      return { recording: { id: recording.id, name: recording.name, durationSec: recording.durationSec, tracks: recording.tracks.length } };
    });
  }

  // ------------------------------------------------------------------ work

  private async join(socket: EnsembleSocket, dto: JoinRoomDto): Promise<{ room: unknown; memberId: string }> {
    const current = socket.data.membership;
    const { state, membership } = await this.rooms.join(socket.data.user, dto, socket.id, current, async () => {
      if (current) await socket.leave(current.roomId);
    });
    socket.data.membership = membership;
    await socket.join(membership.roomId);
    // The broadcast of the change went out before this socket was in the room: it gets its own copy.
    socket.emit('room:state', state);
    this.accompanists.syncQuietly(state);
    return { room: state, memberId: membership.memberId };
  }

  /** The hot path: no Redis read, one broadcast, the accompanist and (while recording) the buffer. */
  private relay(socket: EnsembleSocket, dto: NoteDto): Record<string, never> {
    const membership = this.membership(socket);
    if (membership.role !== 'player') throw new ForbiddenException('Listeners do not play; change your role to player first.');
    const state = this.hub.state(membership.roomId);
    if (!state) throw new ProblemException(HttpStatus.CONFLICT, 'The room is not ready yet; join again.');
    const now = sharedNow();
    if (Math.abs(dto.time - now) > ENSEMBLE_LIMITS.noteTimeWindowMs) {
      throw fieldProblem('time', 'time is too far from the shared clock', {
        detail: `time must be shared-clock ms within ${ENSEMBLE_LIMITS.noteTimeWindowMs / 1000} s of the server's clock (${Math.round(now)}).`,
      });
    }
    const interval = state.members.find((m) => m.id === membership.memberId)?.mode === 'interval';
    const note: DeliveredNote = {
      memberId: membership.memberId,
      type: dto.type,
      pitch: dto.pitch,
      velocity: dto.velocity,
      time: interval ? dto.time + state.intervalMs : dto.time,
      channel: dto.channel ?? 0,
    };
    this.roomOthers(socket, membership.roomId).emit('note', note);
    this.accompanists.hear(membership.roomId, note);
    if (state.recording) {
      this.recordings.capture(state, note);
      socket.data.recorded = (socket.data.recorded ?? 0) + 1;
      if (socket.data.recorded % 500 === 0) void this.recordings.enforceLimits(state).catch(() => undefined);
    }
    return {};
  }

  /** The broadcast to the socket's room but itself, built once per room (it is immutable) rather than per note. */
  private roomOthers(socket: EnsembleSocket, roomId: string): BroadcastOperator<DefaultEventsMap, SocketData> {
    let target = socket.data.relayTo;
    if (target?.roomId !== roomId) socket.data.relayTo = target = { roomId, to: socket.to(roomId) };
    return target.to;
  }

  private deliverAccompaniment(roomId: string, notes: DeliveredNote[]): void {
    const state = this.hub.state(roomId);
    for (const note of notes) {
      this.hub.toRoom(roomId, 'note', note);
      if (state?.recording) this.recordings.capture(state, note);
    }
  }

  private membership(socket: EnsembleSocket): Membership {
    const membership = socket.data.membership;
    if (!membership) throw new ProblemException(HttpStatus.CONFLICT, 'Join a room first (room:join).');
    return membership;
  }
}
