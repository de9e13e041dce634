import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { closeRedis } from '../core/jobs/redis-connection';
import type { EnsembleNote } from './engine';
import type { MemberRecord, RoomRecord } from './ensemble.types';

export const ENSEMBLE_REDIS = Symbol('ENSEMBLE_REDIS');
export const ENSEMBLE_KEY_PREFIX = Symbol('ENSEMBLE_KEY_PREFIX');

/** Every room key lives this long after its last change or heartbeat (s): abandoned rooms disappear by themselves. */
const ROOM_TTL_SEC = 3600;

/** Adds a member unless the room is full (a member already there is updated): atomic across replicas. */
const JOIN_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HLEN', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return 1
end
return 0`;

/** Takes or renews the room's accompanist lease for this replica; answers the holder. */
const LEASE_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder`;

/** Replaces a hash field (deletes it when the new value is empty) only if it still holds what the caller read. */
const HASH_CAS_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return 1`;

/** Replaces a key's value only if it still holds what the caller read. */
const KEY_CAS_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/** A compare-and-set that lost this many times in a row gives up (another replica keeps writing the same key). */
const CAS_ATTEMPTS = 20;

/** Gives the lease up only if this replica holds it. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Where a dropped member was: enough to join again as them. */
export interface DroppedMembership {
  code: string;
  memberId: string;
}

/**
 * The rooms' data in Redis, the one place that knows its keys: rooms (JSON), their members (hash), codes, the lobby
 * (sorted by creation), the accompanist lease and the recording buffer. Every replica reads and writes the same keys.
 */
@Injectable()
export class EnsembleRoomsStore implements OnApplicationShutdown {
  constructor(
    @Inject(ENSEMBLE_REDIS) private readonly redis: Redis,
    @Inject(ENSEMBLE_KEY_PREFIX) private readonly prefix: string,
  ) {}

  private key(...parts: string[]): string {
    return `${this.prefix}:ensemble:${parts.join(':')}`;
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }

  /** Stores a new room under a code nobody holds; false when the code is taken (the caller draws another). */
  async createRoom(room: RoomRecord): Promise<boolean> {
    const claimed = await this.redis.set(this.key('code', room.code), room.id, 'EX', ROOM_TTL_SEC, 'NX');
    if (claimed !== 'OK') return false;
    const multi = this.redis.multi().set(this.key('room', room.id), JSON.stringify(room), 'EX', ROOM_TTL_SEC);
    if (room.open) multi.zadd(this.key('lobby'), room.createdAt, room.id);
    await multi.exec();
    return true;
  }

  async roomIdByCode(code: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('code', code))) ?? undefined;
  }

  async room(id: string): Promise<RoomRecord | undefined> {
    const raw = await this.redis.get(this.key('room', id));
    return raw ? (JSON.parse(raw) as RoomRecord) : undefined;
  }

  /**
   * Applies `change` to the room as stored, atomically across replicas: when another write came between the read and
   * the save, it is applied again to the newer room. Answers the saved room, or undefined when the room is gone or
   * `change` answers undefined (nothing to save). `change` may throw to refuse.
   */
  async updateRoom(id: string, change: (room: RoomRecord) => RoomRecord | undefined): Promise<RoomRecord | undefined> {
    const key = this.key('room', id);
    return this.compareAndSet(
      () => this.redis.get(key),
      change,
      async (raw, next) => (await this.redis.eval(KEY_CAS_SCRIPT, 1, key, raw, JSON.stringify(next), String(ROOM_TTL_SEC))) === 1,
    );
  }

  /** A user's membership whose connection dropped, kept for `ttlMs` for that user's next connection to take back. */
  async rememberDropped(userId: string, dropped: DroppedMembership, ttlMs: number): Promise<void> {
    await this.redis.set(this.key('user', userId, 'dropped'), JSON.stringify(dropped), 'PX', ttlMs);
  }

  /** Takes (and forgets) the user's dropped membership, if any. */
  async takeDropped(userId: string): Promise<DroppedMembership | undefined> {
    const raw = await this.redis.getdel(this.key('user', userId, 'dropped'));
    return raw ? (JSON.parse(raw) as DroppedMembership) : undefined;
  }

  async members(roomId: string): Promise<MemberRecord[]> {
    const all = await this.redis.hvals(this.key('room', roomId, 'members'));
    return all.map((raw) => JSON.parse(raw) as MemberRecord).sort((a, b) => a.joinedAt - b.joinedAt);
  }

  async member(roomId: string, memberId: string): Promise<MemberRecord | undefined> {
    const raw = await this.redis.hget(this.key('room', roomId, 'members'), memberId);
    return raw ? (JSON.parse(raw) as MemberRecord) : undefined;
  }

  /** 'added' (or updated), 'full', or 'gone' when the room no longer exists. */
  async addMember(roomId: string, member: MemberRecord, capacity: number): Promise<'added' | 'full' | 'gone'> {
    const result = (await this.redis.eval(
      JOIN_SCRIPT,
      2,
      this.key('room', roomId, 'members'),
      this.key('room', roomId),
      member.id,
      JSON.stringify(member),
      String(capacity),
      String(ROOM_TTL_SEC),
    )) as number;
    return result === 1 ? 'added' : result === 0 ? 'full' : 'gone';
  }

  /** As updateRoom, for one member: a heartbeat, a disconnect and a settings change on different replicas all land. */
  async updateMember(roomId: string, memberId: string, change: (member: MemberRecord) => MemberRecord | undefined): Promise<MemberRecord | undefined> {
    const key = this.key('room', roomId, 'members');
    return this.compareAndSet(
      () => this.redis.hget(key, memberId),
      change,
      async (raw, next) => (await this.redis.eval(HASH_CAS_SCRIPT, 1, key, memberId, raw, JSON.stringify(next))) === 1,
    );
  }

  /** Removes the member if `remove` says so of the member as stored at that moment; answers whether it did. */
  async removeMemberIf(roomId: string, memberId: string, remove: (member: MemberRecord) => boolean): Promise<boolean> {
    const key = this.key('room', roomId, 'members');
    const removed = await this.compareAndSet<MemberRecord>(
      () => this.redis.hget(key, memberId),
      (member) => (remove(member) ? member : undefined),
      async (raw) => (await this.redis.eval(HASH_CAS_SCRIPT, 1, key, memberId, raw, '')) === 1,
    );
    return removed !== undefined;
  }

  async removeMember(roomId: string, memberId: string): Promise<void> {
    await this.redis.hdel(this.key('room', roomId, 'members'), memberId);
  }

  private async compareAndSet<T>(
    read: () => Promise<string | null>,
    change: (value: T) => T | undefined,
    write: (raw: string, next: T) => Promise<boolean>,
  ): Promise<T | undefined> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
      const raw = await read();
      if (raw === null) return undefined;
      const next = change(JSON.parse(raw) as T);
      if (next === undefined) return undefined;
      if (await write(raw, next)) return next;
    }
    throw new Error(`Ensemble store: ${CAS_ATTEMPTS} concurrent writes in a row; giving up.`);
  }

  /** Deletes the room and everything under it (a recording still running is abandoned with it). */
  async deleteRoom(room: RoomRecord): Promise<void> {
    await this.redis
      .multi()
      .del(this.key('room', room.id), this.key('room', room.id, 'members'), ...(room.recording ? this.recordingKeys(room.recording.id) : []))
      .del(this.key('code', room.code))
      .zrem(this.key('lobby'), room.id)
      .exec();
  }

  /** Keeps a room's keys alive while someone is in it; an abandoned room's keys, its recording buffer too, expire. */
  async touch(room: RoomRecord): Promise<void> {
    const multi = this.redis
      .multi()
      .expire(this.key('room', room.id), ROOM_TTL_SEC)
      .expire(this.key('room', room.id, 'members'), ROOM_TTL_SEC)
      .expire(this.key('code', room.code), ROOM_TTL_SEC);
    // The note path appends without an EXPIRE of its own (one command per note): the heartbeat sets it.
    for (const key of room.recording ? this.recordingKeys(room.recording.id) : []) multi.expire(key, ROOM_TTL_SEC);
    await multi.exec();
  }

  /** Ids of the lobby's rooms, newest first. */
  async lobby(limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.key('lobby'), 0, limit - 1);
  }

  async dropFromLobby(roomId: string): Promise<void> {
    await this.redis.zrem(this.key('lobby'), roomId);
  }

  async setLobbyListing(room: RoomRecord): Promise<void> {
    if (room.open) await this.redis.zadd(this.key('lobby'), room.createdAt, room.id);
    else await this.redis.zrem(this.key('lobby'), room.id);
  }

  async rooms(ids: string[]): Promise<(RoomRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(...ids.map((id) => this.key('room', id)));
    return raw.map((value) => (value ? (JSON.parse(value) as RoomRecord) : undefined));
  }

  // ------------------------------------------------------------------ accompanist lease

  /** Takes or renews the lease; answers who holds it now. */
  async leaseAccompanist(roomId: string, replicaId: string, ttlMs: number): Promise<string> {
    return (await this.redis.eval(LEASE_SCRIPT, 1, this.key('room', roomId, 'lease'), replicaId, String(ttlMs))) as string;
  }

  async accompanistHolder(roomId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key('room', roomId, 'lease'))) ?? undefined;
  }

  async releaseAccompanist(roomId: string, replicaId: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key('room', roomId, 'lease'), replicaId);
  }

  // ------------------------------------------------------------------ recording buffer

  /** A recording's buffer (its notes) and the members it has seen, keyed by the recording: a new one starts empty. */
  private recordingKeys(recordingId: string): [notes: string, members: string] {
    return [this.key('rec', recordingId), this.key('rec', recordingId, 'members')];
  }

  /** Appends one note to the recording (fire and forget from the note path; ioredis pipelines them). */
  appendRecorded(recordingId: string, note: Required<Pick<EnsembleNote, 'type' | 'pitch' | 'velocity' | 'time' | 'channel' | 'memberId'>>): void {
    this.redis
      .rpush(this.recordingKeys(recordingId)[0], `${note.type === 'on' ? 1 : 0},${note.pitch},${note.velocity},${note.time},${note.channel},${note.memberId}`)
      .catch(() => undefined);
  }

  async recordedEvents(recordingId: string): Promise<EnsembleNote[]> {
    const raw = await this.redis.lrange(this.recordingKeys(recordingId)[0], 0, -1);
    return raw.map((line) => {
      const [on, pitch, velocity, time, channel, ...member] = line.split(',');
      return {
        type: on === '1' ? 'on' : 'off',
        pitch: Number(pitch),
        velocity: Number(velocity),
        time: Number(time),
        channel: Number(channel),
        memberId: member.join(','),
      };
    });
  }

  async recordedCount(recordingId: string): Promise<number> {
    return this.redis.llen(this.recordingKeys(recordingId)[0]);
  }

  async rememberRecordedMember(recordingId: string, member: RecordedMember): Promise<void> {
    const key = this.recordingKeys(recordingId)[1];
    const { id, name, instrument, userId } = member;
    await this.redis.multi().hset(key, id, JSON.stringify({ id, name, instrument, userId })).expire(key, ROOM_TTL_SEC).exec();
  }

  async recordedMembers(recordingId: string): Promise<RecordedMember[]> {
    return (await this.redis.hvals(this.recordingKeys(recordingId)[1])).map((raw) => JSON.parse(raw) as RecordedMember);
  }

  async clearRecording(recordingId: string): Promise<void> {
    await this.redis.del(...this.recordingKeys(recordingId));
  }
}

/** A member as a recording remembers it (its track's name and instrument; who may see the recording). */
export type RecordedMember = Pick<MemberRecord, 'id' | 'name' | 'instrument' | 'userId'>;
