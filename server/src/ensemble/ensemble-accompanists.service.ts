import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AccompanistThread, type AccompanistCommand } from './accompanist-thread';
import type { AccompanistNote, EnsembleNote } from './engine';
import { EnsembleRoomsStore } from './ensemble-rooms.store';
import { EnsembleHub } from './ensemble.hub';
import type { RoomState } from './ensemble.types';

/** The lease is renewed every LEASE_RENEW_MS and lapses after LEASE_TTL_MS: a dead replica's rooms move within seconds. */
const LEASE_TTL_MS = 5000;
const LEASE_RENEW_MS = 1000;
/** A note as the room protocol delivers it. */
export interface DeliveredNote {
  memberId: string;
  type: 'on' | 'off';
  pitch: number;
  velocity: number;
  time: number;
  channel: number;
}

/**
 * The AI accompanist of every room, as a server member. Exactly one replica plays it per room: the holder of the
 * room's Redis lease (taken by a replica with members in the room, renewed each second, taken over when it lapses).
 * Players' notes reach it directly on its own replica and as server-side events from the others. The engines run in
 * the replica's accompanist thread (AccompanistThread), not on the event loop that relays the notes.
 */
@Injectable()
export class EnsembleAccompanists implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EnsembleAccompanists.name);
  /** The rooms this replica plays the accompanist of (their engines are in the thread). */
  private readonly playing = new Set<string>();
  private readonly thread = new AccompanistThread({
    played: (roomId, notes) => this.play(roomId, notes),
    failed: (roomId, message) => {
      this.logger.error(`Accompanist${roomId ? ` of room ${roomId}` : 's'}: ${message}`);
      this.playing.delete(roomId);
    },
    restore: () =>
      [...this.playing].flatMap((roomId): AccompanistCommand[] => {
        const state = this.hub.state(roomId);
        return state ? [{ kind: 'start', state, seed: seedOf(roomId) }] : [];
      }),
  });
  /** Who holds each room's lease, as last seen (undefined: nobody yet). */
  private readonly holders = new Map<string, string>();
  private renewer?: NodeJS.Timeout;
  private onNotes: (roomId: string, notes: DeliveredNote[]) => void = () => undefined;

  constructor(
    private readonly hub: EnsembleHub,
    private readonly store: EnsembleRoomsStore,
  ) {}

  onModuleInit(): void {
    this.hub.onReplicaEvent('ensemble:hear', (roomId, note) => {
      if (this.playing.has(roomId as string)) this.thread.hear(roomId as string, note as EnsembleNote);
    });
    this.hub.onReplicaEvent('ensemble:state', (state) => this.syncQuietly(state as RoomState));
    this.renewer = setInterval(() => {
      this.renewAll().catch((error: Error) => this.logger.warn(`Accompanist leases: ${error.message}`));
    }, LEASE_RENEW_MS);
    this.renewer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.renewer);
    const rooms = [...this.playing];
    this.playing.clear();
    await this.thread.close();
    await Promise.all(rooms.map((roomId) => this.store.releaseAccompanist(roomId, this.hub.replicaId).catch(() => undefined)));
  }

  /** Where the notes the accompanists play go (the gateway broadcasts and records them). */
  deliverTo(handler: (roomId: string, notes: DeliveredNote[]) => void): void {
    this.onNotes = handler;
  }

  /** A player's note: to this replica's accompanist of the room, or to the replica that plays it. */
  hear(roomId: string, note: EnsembleNote): void {
    if (this.playing.has(roomId)) return this.thread.hear(roomId, note);
    const holder = this.holders.get(roomId);
    if (holder && holder !== this.hub.replicaId) this.hub.toOtherReplicas('ensemble:hear', roomId, note);
  }

  isPlayingHere(roomId: string): boolean {
    return this.playing.has(roomId);
  }

  /** `sync` for callers that cannot wait (events, the gateway): failures are logged. */
  syncQuietly(state: RoomState): void {
    this.sync(state).catch((error: Error) => this.logger.warn(`Accompanist of room ${state.id}: ${error.message}`));
  }

  /** Follows a room's new state: takes, keeps or gives up its accompanist. */
  async sync(state: RoomState): Promise<void> {
    const wanted = state.accompanist.mode !== 'off' && this.hub.localMembers(state.id) > 0;
    const local = this.playing.has(state.id);
    if (!wanted) {
      if (local) {
        this.thread.stop(state.id);
        this.playing.delete(state.id);
        await this.store.releaseAccompanist(state.id, this.hub.replicaId).catch(() => undefined);
      }
      if (state.accompanist.mode === 'off') this.holders.delete(state.id);
      else await this.refreshHolder(state, false);
      return;
    }
    if (local) return this.thread.update(state);
    await this.refreshHolder(state, true);
  }

  private async refreshHolder(state: RoomState, take: boolean): Promise<void> {
    let holder: string | undefined;
    try {
      holder = take ? await this.store.leaseAccompanist(state.id, this.hub.replicaId, LEASE_TTL_MS) : await this.store.accompanistHolder(state.id);
    } catch (error) {
      this.logger.warn(`Accompanist lease of room ${state.id}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (holder === undefined) this.holders.delete(state.id);
    else this.holders.set(state.id, holder);
    if (holder === this.hub.replicaId && !this.playing.has(state.id)) {
      this.playing.add(state.id);
      this.thread.start(this.hub.state(state.id) ?? state, seedOf(state.id));
    } else if (holder !== this.hub.replicaId && this.playing.delete(state.id)) {
      this.thread.stop(state.id);
    }
  }

  private async renewAll(): Promise<void> {
    for (const state of this.hub.knownRooms()) {
      try {
        if (this.hub.localMembers(state.id) === 0 && !this.playing.has(state.id)) continue;
        await this.sync(state);
      } catch (error) {
        this.logger.warn(`Accompanist of room ${state.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private play(roomId: string, notes: AccompanistNote[]): void {
    // Notes the thread sent before it heard that this replica stopped playing the room.
    if (!this.playing.has(roomId)) return;
    const memberId = this.hub.state(roomId)?.accompanist.memberId;
    if (!memberId) return;
    this.onNotes(
      roomId,
      notes.map((n) => ({ memberId, type: n.type, pitch: n.pitch, velocity: n.velocity, time: n.time, channel: n.channel })),
    );
  }
}

/** A room's accompanist seed (stable per room, so a lease moving between replicas keeps its character). */
function seedOf(roomId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < roomId.length; i += 1) hash = Math.imul(hash ^ roomId.charCodeAt(i), 16777619) >>> 0;
  return hash;
}
