import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BudgetedRunner, type RunnableTask } from './budgeted-runner';
import { Accompanist, Timeline, type AccompanistNote, type EnsembleNote } from './engine';
import { EnsembleRoomsStore } from './ensemble-rooms.store';
import { EnsembleHub } from './ensemble.hub';
import type { RoomState } from './ensemble.types';
import { sharedNow } from './shared-time';

/** The lease is renewed every LEASE_RENEW_MS and lapses after LEASE_TTL_MS: a dead replica's rooms move within seconds. */
const LEASE_TTL_MS = 5000;
const LEASE_RENEW_MS = 1000;
/** Longest sleep between two `schedule` calls (the engine asks for less while it plays). */
export const MAX_SLEEP_MS = 100;
/**
 * One clock for every room's accompanist: each tick plans the rooms that heard notes since the last one or whose
 * wake time has come. Notes heard within a tick are answered by one `schedule` call, and a wake is at most a tick
 * late, which the engine's lead of a beat absorbs; one interval instead of a timer per room and per batch of notes
 * (thousands a second across rooms).
 */
export const TICK_MS = 10;
/** The accompanists' planning runs in slices of about this long, with the players' notes relayed in between. */
const PLANNING_SLICE_MS = 1;

/** A note as the room protocol delivers it. */
export interface DeliveredNote {
  memberId: string;
  type: 'on' | 'off';
  pitch: number;
  velocity: number;
  time: number;
  channel: number;
}

/** One room's accompanist, played by this replica while it holds the room's lease. */
class RoomAccompanist implements RunnableTask {
  readonly engine: Accompanist;
  /** When the engine next wants to plan (performance.now() ms). */
  private wakeAt = 0;
  /** Players' notes not yet given to the engine (see hear). */
  private readonly heard: (EnsembleNote | undefined)[] = [];
  /** How many of `heard` are queued (the array keeps its slots: emptying it each tick would free and regrow them). */
  private heardCount = 0;
  private settings: string;
  private timelineKey: string;

  constructor(
    private state: RoomState,
    private readonly play: (roomId: string, notes: AccompanistNote[]) => void,
    private readonly planner: BudgetedRunner,
    seed: number,
  ) {
    this.engine = new Accompanist({
      timeline: Timeline.fromState(state.timeline),
      mode: state.accompanist.mode,
      style: state.accompanist.style,
      tempoSource: state.accompanist.tempoSource,
      seed,
    });
    this.settings = settingsKey(state);
    this.timelineKey = JSON.stringify(state.timeline);
  }

  update(state: RoomState): void {
    this.state = state;
    if (settingsKey(state) !== this.settings) {
      this.settings = settingsKey(state);
      this.engine.setMode(state.accompanist.mode, state.accompanist.style);
    }
    const timelineKey = JSON.stringify(state.timeline);
    if (timelineKey !== this.timelineKey) {
      this.timelineKey = timelineKey;
      this.engine.setTimeline(Timeline.fromState(state.timeline));
    }
    this.planner.request(this);
  }

  /**
   * A player's note: queued, and heard and answered at the next tick. The relay that called this only pays for the
   * push (the listeners' analysis runs after the broadcasts of the notes that arrived together), and a chord of six
   * players' notes costs one `schedule` instead of six; the engine plans a beat ahead, so a few ms do not delay what
   * it plays.
   */
  hear(note: EnsembleNote): void {
    this.heard[this.heardCount++] = note;
  }

  /** Whether this tick should plan the room: it heard notes or its wake time has come. */
  due(now: number): boolean {
    return this.heardCount > 0 || now >= this.wakeAt;
  }

  /** Sends what is due now and notes when the engine next needs to decide (the planner calls this). */
  run(): void {
    for (let i = 0; i < this.heardCount; i++) {
      this.engine.hear(this.heard[i]!);
      this.heard[i] = undefined;
    }
    this.heardCount = 0;
    const now = sharedNow();
    const notes = this.engine.schedule(now);
    if (notes.length > 0) this.play(this.state.id, notes);
    const wake = this.engine.nextWakeTime(now);
    const sleep = Math.max(5, Math.min(MAX_SLEEP_MS, (Number.isFinite(wake) ? wake : now + MAX_SLEEP_MS) - now));
    this.wakeAt = performance.now() + sleep;
  }

  stop(): void {
    this.planner.cancel(this);
    this.heard.length = this.heardCount = 0;
  }
}

const settingsKey = (state: RoomState) => `${state.accompanist.mode}/${state.accompanist.style}`;

/**
 * The AI accompanist of every room, as a server member. Exactly one replica plays it per room: the holder of the
 * room's Redis lease (taken by a replica with members in the room, renewed each second, taken over when it lapses).
 * Players' notes reach it directly on its own replica and as server-side events from the others.
 */
@Injectable()
export class EnsembleAccompanists implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EnsembleAccompanists.name);
  private readonly playing = new Map<string, RoomAccompanist>();
  private readonly planner = new BudgetedRunner(PLANNING_SLICE_MS, (error) =>
    this.logger.error(`Accompanist planning failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  /** Who holds each room's lease, as last seen (undefined: nobody yet). */
  private readonly holders = new Map<string, string>();
  private renewer?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;
  private onNotes: (roomId: string, notes: DeliveredNote[]) => void = () => undefined;

  constructor(
    private readonly hub: EnsembleHub,
    private readonly store: EnsembleRoomsStore,
  ) {}

  onModuleInit(): void {
    this.hub.onReplicaEvent('ensemble:hear', (roomId, note) => {
      this.playing.get(roomId as string)?.hear(note as EnsembleNote);
    });
    this.hub.onReplicaEvent('ensemble:state', (state) => this.syncQuietly(state as RoomState));
    this.renewer = setInterval(() => {
      this.renewAll().catch((error: Error) => this.logger.warn(`Accompanist leases: ${error.message}`));
    }, LEASE_RENEW_MS);
    this.renewer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.renewer);
    clearInterval(this.ticker);
    const rooms = [...this.playing.keys()];
    for (const accompanist of this.playing.values()) accompanist.stop();
    this.playing.clear();
    await Promise.all(rooms.map((roomId) => this.store.releaseAccompanist(roomId, this.hub.replicaId).catch(() => undefined)));
  }

  /** Where the notes the accompanists play go (the gateway broadcasts and records them). */
  deliverTo(handler: (roomId: string, notes: DeliveredNote[]) => void): void {
    this.onNotes = handler;
  }

  /** A player's note: to this replica's accompanist of the room, or to the replica that plays it. */
  hear(roomId: string, note: EnsembleNote): void {
    const local = this.playing.get(roomId);
    if (local) return local.hear(note);
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
    const local = this.playing.get(state.id);
    if (!wanted) {
      // Who holds the lease matters only to a replica whose members play in the room (it sends their notes there).
      this.holders.delete(state.id);
      if (local) await this.release(state.id, local);
      return;
    }
    if (local) local.update(state);
    // Takes the lease, or renews it while playing here (it lapses after LEASE_TTL_MS); when another replica holds it
    // (this one stalled past the TTL), this one stops, so a room never hears two accompanists.
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
      const latest = this.hub.state(state.id) ?? state;
      const accompanist = new RoomAccompanist(latest, (roomId, notes) => this.play(roomId, notes), this.planner, seedOf(state.id));
      this.playing.set(state.id, accompanist);
      this.planner.request(accompanist);
      this.ticker ??= setInterval(this.tick, TICK_MS).unref();
    } else if (holder !== this.hub.replicaId) {
      const local = this.playing.get(state.id);
      if (local) this.stopPlaying(state.id, local);
    }
  }

  private readonly tick = (): void => {
    const now = performance.now();
    for (const accompanist of this.playing.values()) if (accompanist.due(now)) this.planner.request(accompanist);
  };

  private stopPlaying(roomId: string, accompanist: RoomAccompanist): void {
    accompanist.stop();
    this.playing.delete(roomId);
    if (this.playing.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private async release(roomId: string, accompanist: RoomAccompanist): Promise<void> {
    this.stopPlaying(roomId, accompanist);
    await this.store.releaseAccompanist(roomId, this.hub.replicaId).catch(() => undefined);
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
    // A room this replica no longer keeps (closed, or none of its sockets is in it) has no accompanist here either.
    for (const [roomId, accompanist] of this.playing) if (!this.hub.state(roomId)) await this.release(roomId, accompanist);
  }

  private play(roomId: string, notes: AccompanistNote[]): void {
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
