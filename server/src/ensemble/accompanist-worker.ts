/**
 * Worker thread entry: the accompanists this replica plays (one engine per room it holds the lease of), off the event
 * loop that relays the players' notes. Commands come from AccompanistThread; what the engines play goes back as
 * { played: { roomId, notes } }, and an engine's failure as { failed: { roomId, message } } (the room's accompanist
 * stops; the others play on).
 */
import { parentPort } from 'node:worker_threads';
import type { AccompanistCommand, AccompanistReport } from './accompanist-thread';
import { Accompanist, Timeline, type AccompanistNote, type EnsembleNote } from './engine';
import type { RoomState } from './ensemble.types';
import { sharedNow } from './shared-time';

/** Longest sleep between two `schedule` calls (the engine asks for less while it plays). */
const MAX_SLEEP_MS = 100;
/** Notes heard within this long are answered by one `schedule` call. */
const COALESCE_MS = 10;

const settingsKey = (state: RoomState) => `${state.accompanist.mode}/${state.accompanist.style}`;

/** One room's accompanist: its engine, fed the players' notes and woken when the engine next needs to decide. */
class RoomAccompanist {
  private readonly engine: Accompanist;
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  /** Players' notes not yet given to the engine (see hear). */
  private readonly heard: EnsembleNote[] = [];
  private settings: string;
  private timelineKey: string;

  constructor(
    private state: RoomState,
    private readonly play: (roomId: string, notes: AccompanistNote[]) => void,
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
    this.pump();
  }

  /**
   * A player's note: queued, and heard and answered at the next pump within COALESCE_MS, so that a chord of six
   * players' notes costs one `schedule` instead of six; the engine plans a beat ahead, so a few ms do not delay what
   * it plays.
   */
  hear(note: EnsembleNote): void {
    this.heard.push(note);
    if (this.soon) return;
    this.soon = setTimeout(() => this.safely(() => this.pump()), COALESCE_MS);
  }

  /** Sends what is due now and sleeps until the engine next needs to decide. */
  pump(): void {
    clearTimeout(this.timer);
    clearTimeout(this.soon);
    this.soon = undefined;
    if (this.heard.length > 0) {
      for (const note of this.heard) this.engine.hear(note);
      this.heard.length = 0;
    }
    const now = sharedNow();
    const notes = this.engine.schedule(now);
    if (notes.length > 0) this.play(this.state.id, notes);
    const wake = this.engine.nextWakeTime(now);
    const sleep = Math.max(5, Math.min(MAX_SLEEP_MS, (Number.isFinite(wake) ? wake : now + MAX_SLEEP_MS) - now));
    this.timer = setTimeout(() => this.safely(() => this.pump()), sleep);
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.soon);
    this.heard.length = 0;
  }

  /** A timer's work: an engine that throws stops this room's accompanist only. */
  private safely(work: () => void): void {
    try {
      work();
    } catch (error) {
      failed(this.state.id, error);
    }
  }
}

const rooms = new Map<string, RoomAccompanist>();
const report = (message: AccompanistReport) => parentPort?.postMessage(message);
const played = (roomId: string, notes: AccompanistNote[]) => report({ played: { roomId, notes } });

function failed(roomId: string, error: unknown): void {
  rooms.get(roomId)?.stop();
  rooms.delete(roomId);
  report({ failed: { roomId, message: error instanceof Error ? error.message : String(error) } });
}

function run(command: AccompanistCommand): void {
  switch (command.kind) {
    case 'start': {
      const known = rooms.get(command.state.id);
      if (known) return known.update(command.state);
      const room = new RoomAccompanist(command.state, played, command.seed);
      rooms.set(command.state.id, room);
      return room.pump();
    }
    case 'update':
      return rooms.get(command.state.id)?.update(command.state);
    case 'hear':
      for (const [roomId, note] of command.notes) rooms.get(roomId)?.hear(note);
      return;
    case 'stop':
      rooms.get(command.roomId)?.stop();
      rooms.delete(command.roomId);
      return;
  }
}

parentPort?.on('message', (command: AccompanistCommand) => {
  const roomId = command.kind === 'start' || command.kind === 'update' ? command.state.id : command.kind === 'stop' ? command.roomId : '';
  try {
    run(command);
  } catch (error) {
    failed(roomId, error);
  }
});
