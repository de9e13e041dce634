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

/** Gives the lease up only if this replica holds it. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

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

  async saveRoom(room: RoomRecord): Promise<void> {
    await this.redis.set(this.key('room', room.id), JSON.stringify(room), 'EX', ROOM_TTL_SEC);
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

  async putMember(roomId: string, member: MemberRecord): Promise<void> {
    await this.redis.hset(this.key('room', roomId, 'members'), member.id, JSON.stringify(member));
  }

  async removeMember(roomId: string, memberId: string): Promise<void> {
    await this.redis.hdel(this.key('room', roomId, 'members'), memberId);
  }

  /** Deletes the room and everything under it. */
  async deleteRoom(room: RoomRecord): Promise<void> {
    await this.redis
      .multi()
      .del(this.key('room', room.id), this.key('room', room.id, 'members'), this.key('room', room.id, 'rec'), this.key('room', room.id, 'rec-members'))
      .del(this.key('code', room.code))
      .zrem(this.key('lobby'), room.id)
      .exec();
  }

  /** Keeps a room's keys alive while somebody is in it. */
  /** Keeps a room's keys alive while someone is in it; an abandoned room's keys, its recording buffer too, expire. */
  async touch(room: RoomRecord): Promise<void> {
    await this.redis
      .multi()
      .expire(this.key('room', room.id), ROOM_TTL_SEC)
      .expire(this.key('room', room.id, 'members'), ROOM_TTL_SEC)
      .expire(this.key('code', room.code), ROOM_TTL_SEC)
      // The note path appends without an EXPIRE of its own (one command per note): the heartbeat sets it.
      .expire(this.key('room', room.id, 'rec'), ROOM_TTL_SEC)
      .expire(this.key('room', room.id, 'rec-members'), ROOM_TTL_SEC)
      .exec();
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

  async memberCounts(ids: string[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const multi = this.redis.multi();
    for (const id of ids) multi.hlen(this.key('room', id, 'members'));
    const results = (await multi.exec()) ?? [];
    return results.map(([, count]) => Number(count ?? 0));
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

  /** Appends one note to the room's recording (fire and forget from the note path; ioredis pipelines them). */
  appendRecorded(roomId: string, note: Required<Pick<EnsembleNote, 'type' | 'pitch' | 'velocity' | 'time' | 'channel' | 'memberId'>>): void {
    this.redis
      .rpush(this.key('room', roomId, 'rec'), `${note.type === 'on' ? 1 : 0},${note.pitch},${note.velocity},${note.time},${note.channel},${note.memberId}`)
      .catch(() => undefined);
  }

  async recordedEvents(roomId: string): Promise<EnsembleNote[]> {
    const raw = await this.redis.lrange(this.key('room', roomId, 'rec'), 0, -1);
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

  async recordedCount(roomId: string): Promise<number> {
    return this.redis.llen(this.key('room', roomId, 'rec'));
  }

  async rememberRecordedMember(roomId: string, member: { id: string; name: string; instrument: number }): Promise<void> {
    const key = this.key('room', roomId, 'rec-members');
    await this.redis.multi().hset(key, member.id, JSON.stringify(member)).expire(key, ROOM_TTL_SEC).exec();
  }

  async recordedMembers(roomId: string): Promise<{ id: string; name: string; instrument: number }[]> {
    return (await this.redis.hvals(this.key('room', roomId, 'rec-members'))).map((raw) => JSON.parse(raw) as { id: string; name: string; instrument: number });
  }

  async clearRecording(roomId: string): Promise<void> {
    await this.redis.del(this.key('room', roomId, 'rec'), this.key('room', roomId, 'rec-members'));
  }
}
