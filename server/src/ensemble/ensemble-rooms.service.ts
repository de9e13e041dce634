import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  ForbiddenException,
  HttpStatus,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import type { AuthUser } from '../core/auth/auth.decorators';
import { ProblemException, ServiceUnavailableProblem } from '../core/errors/problem';
import { JobQuota } from '../core/jobs/job-quota.service';
import type { CreateRoomDto, JoinRoomDto, UpdateMemberDto, UpdateRoomDto } from './dto/ensemble-events.dto';
import { Timeline } from './engine';
import { EnsembleRoomsStore, type DroppedMembership } from './ensemble-rooms.store';
import { EnsembleHub } from './ensemble.hub';
import { ENSEMBLE_LIMITS, type MemberRole } from './ensemble.limits';
import { EnsembleRepository } from './ensemble.repository';
import type { MemberRecord, RoomRecord, RoomState } from './ensemble.types';
import { newRoomCode } from './room-code';
import { roomStateOf } from './room-state';
import { sharedNow } from './shared-time';

/** Who a socket is in a room (kept on the socket; the note path reads only this and the cached room state). */
export interface Membership {
  roomId: string;
  memberId: string;
  userId: string;
  role: MemberRole;
  /** The connection (socket) that holds the membership: a late disconnect of an older one changes nothing. */
  connectionId: string;
}

/** A room of the lobby. */
export interface OpenRoom {
  id: string;
  code: string;
  name: string;
  tempo: number;
  members: number;
  capacity: number;
  accompanist: string;
  createdAt: string;
}

const HEARTBEAT_MS = 10_000;
/** A member no replica has vouched for in this long (its replica died) is removed by whichever replica notices. */
const STALE_MEMBER_MS = 3 * HEARTBEAT_MS + ENSEMBLE_LIMITS.reconnectGraceMs;

/** Room use cases: create, join (by code, resuming after a reconnect), leave, settings, members, presence, lobby. */
@Injectable()
export class EnsembleRoomsService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(EnsembleRoomsService.name);
  /** Members of this replica whose connection dropped: removed when the grace period ends without a reconnect. */
  private readonly departures = new Map<string, NodeJS.Timeout>();
  /** Connected members of this replica, for the heartbeat. */
  private readonly local = new Map<string, Membership>();
  private heartbeat?: NodeJS.Timeout;
  /** Set while the process shuts down: its sockets drop, and their members stay for a reconnect to another replica. */
  private closing = false;

  constructor(
    private readonly store: EnsembleRoomsStore,
    private readonly hub: EnsembleHub,
    private readonly repository: EnsembleRepository,
    private readonly quota: JobQuota,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.hub.onReplicaEvent('ensemble:state', (state) => this.hub.remember(state as RoomState));
    this.heartbeat = setInterval(() => void this.beat().catch((error: Error) => this.logger.warn(`Ensemble heartbeat: ${error.message}`)), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const timer of this.departures.values()) clearTimeout(timer);
    this.departures.clear();
  }

  // ------------------------------------------------------------------ create, join, leave

  async create(user: AuthUser, dto: CreateRoomDto): Promise<RoomRecord> {
    const now = sharedNow();
    const id = randomUUID();
    await this.quota.take(user.id, { kind: 'ensemble-room', perHour: this.config.ENSEMBLE_ROOMS_PER_HOUR, noun: 'rooms' }, id);
    const timeline = Timeline.create(dto.tempo ?? ENSEMBLE_LIMITS.defaultTempo, dto.quantum ?? ENSEMBLE_LIMITS.defaultQuantum, now).toState(now);
    try {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const room: RoomRecord = {
          id,
          code: newRoomCode(),
          name: dto.name?.trim() || `${displayName(user)}'s room`,
          ownerId: user.id,
          capacity: dto.capacity ?? ENSEMBLE_LIMITS.defaultCapacity,
          open: dto.open ?? true,
          createdAt: Date.now(),
          timeline,
          metronome: true,
          accompanist: { mode: dto.accompanist?.mode ?? 'off', style: dto.accompanist?.style ?? 'pop', tempoSource: dto.accompanist?.tempoSource ?? 'room' },
          interval: 'auto',
          recording: null,
          version: 1,
        };
        if (await this.unavailableOnError(this.store.createRoom(room))) {
          await this.repository.insertSession({ id, code: room.code, name: room.name, ownerId: user.id });
          return room;
        }
      }
    } catch (error) {
      // Nothing was created for the user: the start does not use the quota.
      await this.quota.release(id).catch(() => undefined);
      throw error;
    }
    await this.quota.release(id);
    throw new ServiceUnavailableProblem('No free room code was found; try again.', 1);
  }

  /**
   * Joins by code (or resumes `memberId` after a reconnect) on connection `connectionId`, which from then on holds the
   * membership; answers the room's state and the membership. A connection in another room (`current`) leaves it once
   * it is in the new one (a full or vanished room leaves it where it was), `beforeLeaving` first: the caller takes the
   * connection out of the old room's broadcasts, so it is not sent that room's state without it.
   */
  async join(
    user: AuthUser,
    dto: JoinRoomDto,
    connectionId: string,
    current?: Membership,
    beforeLeaving?: () => Promise<void>,
  ): Promise<{ state: RoomState; membership: Membership }> {
    const roomId = await this.unavailableOnError(this.store.roomIdByCode(dto.code));
    const room = roomId ? await this.store.room(roomId) : undefined;
    if (!room) throw new NotFoundException(`There is no room with code ${dto.code}.`);

    const named = dto.memberId ? await this.store.member(room.id, dto.memberId) : undefined;
    if (dto.memberId && (!named || named.userId !== user.id)) {
      throw new NotFoundException(`Member ${dto.memberId} is not in this room any more; join again without memberId.`);
    }
    // Joining the room this connection is already in (as its creator is) keeps the member as it is, settings aside.
    const resumed = named ?? (current?.roomId === room.id ? await this.store.member(room.id, current.memberId) : undefined);
    const now = sharedNow();
    const member: MemberRecord = {
      id: resumed?.id ?? current?.memberId ?? randomUUID().slice(0, 12),
      userId: user.id,
      name: dto.name?.trim() || resumed?.name || displayName(user),
      instrument: dto.instrument ?? resumed?.instrument ?? 0,
      role: dto.role ?? resumed?.role ?? 'player',
      rttMs: resumed?.rttMs ?? null,
      jitterMs: resumed?.jitterMs ?? null,
      noteDelayMs: resumed?.noteDelayMs ?? null,
      connected: true,
      connectionId,
      seenAt: now,
      joinedAt: resumed?.joinedAt ?? now,
    };
    let outcome = await this.store.addMember(room.id, member, room.capacity);
    // A room can be full of members whose replica stopped (a crash): they make room. The join's own state broadcast
    // tells the others, and a room they leave empty stays open for the one joining.
    if (outcome === 'full' && (await this.removeStaleMembers(room.id, now)).removed > 0) outcome = await this.store.addMember(room.id, member, room.capacity);
    if (outcome === 'gone') throw new NotFoundException(`There is no room with code ${dto.code}.`);
    if (outcome === 'full') throw new ProblemException(HttpStatus.CONFLICT, `The room is full (${room.capacity} members).`);
    if (current && current.roomId !== room.id) {
      await beforeLeaving?.();
      await this.leave(current);
    }
    this.cancelDeparture(room.id, member.id);
    if (room.recording) await this.store.rememberRecordedMember(room.recording.id, member);
    const membership: Membership = { roomId: room.id, memberId: member.id, userId: user.id, role: member.role, connectionId };
    this.local.set(key(membership), membership);
    const state = await this.mutate(room.id, (current) => current);
    if (!state) throw new NotFoundException(`There is no room with code ${dto.code}.`);
    return { state, membership };
  }

  /** The membership the user's last dropped connection held, for a connection that does not name one (a plain reconnect). */
  takeDropped(userId: string): Promise<DroppedMembership | undefined> {
    return this.unavailableOnError(this.store.takeDropped(userId));
  }

  async leave(membership: Membership): Promise<void> {
    this.local.delete(key(membership));
    this.cancelDeparture(membership.roomId, membership.memberId);
    await this.store.removeMember(membership.roomId, membership.memberId);
    await this.afterDeparture(membership.roomId);
  }

  /**
   * A dropped connection: the member stays (shown disconnected) for the grace period, then leaves. A connection that
   * no longer holds the membership (the member came back on another one, here or on another replica, before this one's
   * drop was noticed) changes nothing.
   */
  async disconnected(membership: Membership): Promise<void> {
    const k = key(membership);
    if (this.local.get(k)?.connectionId === membership.connectionId) this.local.delete(k);
    if (this.closing) return;
    const member = await this.store.updateMember(membership.roomId, membership.memberId, (m) =>
      m.connectionId === membership.connectionId ? { ...m, connected: false, seenAt: sharedNow() } : undefined,
    );
    if (!member) return;
    const room = await this.store.room(membership.roomId);
    if (room) {
      await this.store.rememberDropped(membership.userId, { code: room.code, memberId: member.id }, ENSEMBLE_LIMITS.reconnectGraceMs);
      await this.publish(room);
    }
    const timer = setTimeout(() => {
      this.departures.delete(key(membership));
      void this.expire(membership).catch((error: Error) => this.logger.warn(`Ensemble member expiry: ${error.message}`));
    }, ENSEMBLE_LIMITS.reconnectGraceMs);
    timer.unref();
    this.departures.set(key(membership), timer);
  }

  private async expire(membership: Membership): Promise<void> {
    const gone = await this.store.removeMemberIf(membership.roomId, membership.memberId, (m) => !m.connected && m.connectionId === membership.connectionId);
    if (gone) await this.afterDeparture(membership.roomId);
  }

  /** Empty rooms close (their session row is closed); others publish their new member list. */
  private async afterDeparture(roomId: string): Promise<void> {
    const room = await this.store.room(roomId);
    if (!room) return;
    const members = await this.store.members(roomId);
    if (members.length === 0) {
      await this.store.deleteRoom(room);
      await this.repository.closeSession(room.id);
      this.hub.forget(room.id);
      return;
    }
    await this.mutate(roomId, (current) => current);
  }

  // ------------------------------------------------------------------ settings

  async update(membership: Membership, dto: UpdateRoomDto): Promise<RoomState> {
    if (membership.role !== 'player') throw new ForbiddenException('Listeners cannot change the room.');
    const state = await this.unavailableOnError(this.mutate(membership.roomId, (room) => updatedRoom(room, dto, sharedNow())));
    if (!state) throw new NotFoundException('The room no longer exists.');
    return state;
  }

  async updateMember(membership: Membership, dto: UpdateMemberDto): Promise<RoomState | undefined> {
    let before: MemberRecord | undefined;
    const next = await this.store.updateMember(membership.roomId, membership.memberId, (member) => {
      before = member;
      return {
        ...member,
        name: dto.name?.trim() || member.name,
        instrument: dto.instrument ?? member.instrument,
        role: dto.role ?? member.role,
        rttMs: reported(dto.rttMs, member.rttMs),
        jitterMs: reported(dto.jitterMs, member.jitterMs),
        noteDelayMs: reported(dto.noteDelayMs, member.noteDelayMs),
        seenAt: sharedNow(),
      };
    });
    if (!next || !before) throw new NotFoundException('You are not in this room any more; join again.');
    membership.role = next.role;
    // Latency reports come every few seconds: the room hears of them only when they move by 5 ms or change the mode.
    const visible =
      next.name !== before.name ||
      next.instrument !== before.instrument ||
      next.role !== before.role ||
      before.rttMs === null ||
      Math.abs((next.rttMs ?? 0) - (before.rttMs ?? 0)) >= 5 ||
      movedBy5(next.jitterMs, before.jitterMs) ||
      movedBy5(next.noteDelayMs, before.noteDelayMs);
    const room = await this.requireRoom(membership);
    return visible ? this.publish(room) : undefined;
  }

  /** The room's current state, read from Redis. */
  async state(roomId: string): Promise<RoomState> {
    const room = await this.store.room(roomId);
    if (!room) throw new NotFoundException('The room no longer exists.');
    return this.publishable(room);
  }

  private async requireRoom(membership: Membership): Promise<RoomRecord> {
    const room = await this.unavailableOnError(this.store.room(membership.roomId));
    if (!room) throw new NotFoundException('The room no longer exists.');
    return room;
  }

  /**
   * Changes the room as stored (`change` gets the newest room, again if another replica wrote in between; it may throw
   * to refuse, or answer undefined to change nothing), bumps its version and pushes its state to everyone in it.
   * Answers the state, or undefined when the room is gone or nothing changed.
   */
  async mutate(roomId: string, change: (room: RoomRecord) => RoomRecord | undefined): Promise<RoomState | undefined> {
    const saved = await this.store.updateRoom(roomId, (room) => {
      const next = change(room);
      return next && { ...next, version: room.version + 1 };
    });
    if (!saved) return undefined;
    await this.store.setLobbyListing(saved);
    return this.publish(saved);
  }

  /** Pushes the room's state (its members as they are now) to everyone in it, on every replica. */
  private async publish(room: RoomRecord): Promise<RoomState> {
    const state = await this.publishable(room);
    this.hub.remember(state);
    this.hub.toOtherReplicas('ensemble:state', state);
    this.hub.toRoom(room.id, 'room:state', state);
    return state;
  }

  private async publishable(room: RoomRecord): Promise<RoomState> {
    const members = await this.store.members(room.id);
    return roomStateOf(room, members, sharedNow());
  }

  // ------------------------------------------------------------------ lobby

  async lobby(limit = 50): Promise<OpenRoom[]> {
    const ids = await this.unavailableOnError(this.store.lobby(limit));
    const rooms = await this.unavailableOnError(this.store.rooms(ids));
    const counts = await this.unavailableOnError(Promise.all(rooms.map((room) => (room ? this.liveMembers(room.id) : Promise.resolve(undefined)))));
    const open: OpenRoom[] = [];
    for (const [i, room] of rooms.entries()) {
      if (room && counts[i] !== undefined) open.push(openRoomOf(room, counts[i]));
      else await this.store.dropFromLobby(ids[i]);
    }
    return open;
  }

  /** One room by code, open or not (what a join link shows). */
  async byCode(code: string): Promise<OpenRoom | undefined> {
    const id = await this.unavailableOnError(this.store.roomIdByCode(code));
    const room = id ? await this.store.room(id) : undefined;
    if (!room) return undefined;
    const members = await this.unavailableOnError(this.liveMembers(room.id));
    return members === undefined ? undefined : openRoomOf(room, members);
  }

  /** How many members a room has once those of stopped replicas are gone; undefined when that closed the room. */
  private async liveMembers(roomId: string): Promise<number | undefined> {
    const { removed, remaining } = await this.removeStaleMembers(roomId, sharedNow());
    if (removed === 0) return remaining;
    await this.afterDeparture(roomId);
    return remaining > 0 ? remaining : undefined;
  }

  // ------------------------------------------------------------------ presence

  /** Vouches for this replica's connected members and removes members whose replica stopped vouching. */
  private async beat(): Promise<void> {
    this.hub.sweep();
    const now = sharedNow();
    const rooms = new Set<string>();
    for (const membership of this.local.values()) {
      await this.store.updateMember(membership.roomId, membership.memberId, (m) =>
        m.connectionId === membership.connectionId ? { ...m, seenAt: now } : undefined,
      );
      rooms.add(membership.roomId);
    }
    for (const roomId of rooms) {
      const room = await this.store.room(roomId);
      if (!room) continue;
      await this.store.touch(room);
      if ((await this.removeStaleMembers(roomId, now)).removed > 0) await this.afterDeparture(roomId);
    }
  }

  /**
   * Removes the members no replica has vouched for in STALE_MEMBER_MS (their replica stopped: a crash, a killed pod);
   * the caller tells the room. A replica's heartbeat does this for its own rooms; the lobby, a join link and a join
   * into a full room do it for rooms no live replica is in any more.
   */
  private async removeStaleMembers(roomId: string, now: number): Promise<{ removed: number; remaining: number }> {
    const members = await this.store.members(roomId);
    const stale = (m: MemberRecord) => now - m.seenAt > STALE_MEMBER_MS;
    let removed = 0;
    for (const member of members) if (stale(member) && (await this.store.removeMemberIf(roomId, member.id, stale))) removed++;
    return { removed, remaining: members.length - removed };
  }

  private cancelDeparture(roomId: string, memberId: string): void {
    const k = `${roomId}/${memberId}`;
    const timer = this.departures.get(k);
    if (timer) clearTimeout(timer);
    this.departures.delete(k);
  }

  /** Redis errors become 503s for the caller (the ack), not 500s. */
  private async unavailableOnError<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      this.logger.warn(`Ensemble rooms store: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableProblem('The room service is unavailable; try again shortly.');
    }
  }
}

function openRoomOf(room: RoomRecord, members: number): OpenRoom {
  return {
    id: room.id,
    code: room.code,
    name: room.name,
    tempo: room.timeline.tempo,
    members,
    capacity: room.capacity,
    accompanist: room.accompanist.mode,
    createdAt: new Date(room.createdAt).toISOString(),
  };
}

const key = (m: Pick<Membership, 'roomId' | 'memberId'>) => `${m.roomId}/${m.memberId}`;

function displayName(user: AuthUser): string {
  return user.email.split('@')[0].slice(0, ENSEMBLE_LIMITS.nameMaxLength);
}

/** A latency figure as reported (rounded to 0.1 ms), or the one kept when the update does not carry it. */
function reported(value: number | undefined, kept: number | null | undefined): number | null {
  return value !== undefined ? Math.round(value * 10) / 10 : (kept ?? null);
}

/** Whether a reported figure is new or moved by 5 ms or more (smaller moves are not pushed to the room). */
function movedBy5(next: number | null | undefined, previous: number | null | undefined): boolean {
  return next != null && (previous == null || Math.abs(next - previous) >= 5);
}

/** The room after a member's settings change: tempo, bar length, metronome, accompanist, interval mode. */
function updatedRoom(room: RoomRecord, dto: UpdateRoomDto, now: number): RoomRecord {
  let timeline = Timeline.fromState(room.timeline);
  if (dto.tempo !== undefined && dto.tempo !== room.timeline.tempo) timeline = timeline.withTempo(dto.tempo, now);
  if (dto.quantum !== undefined && dto.quantum !== room.timeline.quantum) {
    // A new bar length starts on the next beat so that nobody's phase jumps mid-beat.
    const nextBeat = Math.ceil(timeline.beatAt(now));
    timeline = Timeline.fromState({ tempo: timeline.tempo, quantum: dto.quantum, beat: 0, time: timeline.timeAtBeat(nextBeat) });
  }
  const state = timeline.toState(now);
  const retimed = state.tempo !== room.timeline.tempo || state.quantum !== room.timeline.quantum;
  return {
    ...room,
    timeline: state,
    recording: room.recording && retimed ? { ...room.recording, timelines: [...(room.recording.timelines ?? [room.timeline]), state] } : room.recording,
    metronome: dto.metronome ?? room.metronome,
    accompanist: dto.accompanist
      ? {
          mode: dto.accompanist.mode,
          style: dto.accompanist.style ?? room.accompanist.style,
          tempoSource: dto.accompanist.tempoSource ?? room.accompanist.tempoSource,
        }
      : room.accompanist,
    interval: dto.interval ?? room.interval,
  };
}
