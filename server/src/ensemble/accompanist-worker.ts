/**
 * Worker thread entry: the accompanists this replica plays (one engine per room it holds the lease of), off the event
 * loop that relays the players' notes. Commands come from AccompanistThread; what the engines play in one turn goes
 * back as one { played: [[roomId, notes], ...] }, and an engine's failure as { failed: { roomId, message } } (the
 * room's accompanist stops; the others play on).
 */
import { parentPort } from 'node:worker_threads';
import type { AccompanistCommand, AccompanistReport } from './accompanist-thread';
import { Accompanist, Timeline, type AccompanistNote, type EnsembleNote } from './engine';
import type { RoomState } from './ensemble.types';
import { sharedNow } from './shared-time';

/** Longest sleep between two `schedule` calls (the engine asks for less while it plays). */
const MAX_SLEEP_MS = 100;

const settingsKey = (state: RoomState) => `${state.accompanist.mode}/${state.accompanist.style}`;

/** One room's accompanist: its engine, fed the players' notes and woken when the engine next needs to decide. */
class RoomAccompanist {
  private readonly engine: Accompanist;
  private timer?: NodeJS.Timeout;
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

  /** A batch of players' notes (AccompanistThread sends what arrived within HEAR_BATCH_MS): one `schedule` for all. */
  hear(notes: EnsembleNote[]): void {
    this.safely(() => {
      for (const note of notes) this.engine.hear(note);
      this.pump();
    });
  }

  /** Sends what is due now and sleeps until the engine next needs to decide. */
  pump(): void {
    clearTimeout(this.timer);
    const now = sharedNow();
    const notes = this.engine.schedule(now);
    if (notes.length > 0) this.play(this.state.id, notes);
    const wake = this.engine.nextWakeTime(now);
    const sleep = Math.max(5, Math.min(MAX_SLEEP_MS, (Number.isFinite(wake) ? wake : now + MAX_SLEEP_MS) - now));
    this.timer = setTimeout(() => this.safely(() => this.pump()), sleep);
  }

  stop(): void {
    clearTimeout(this.timer);
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
/** What the engines played in this turn, sent in one message at its end. */
const playing: [string, AccompanistNote[]][] = [];
function played(roomId: string, notes: AccompanistNote[]): void {
  if (playing.length === 0) setImmediate(() => report({ played: playing.splice(0) }));
  playing.push([roomId, notes]);
}

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
    case 'hear': {
      const byRoom = new Map<string, EnsembleNote[]>();
      for (const [roomId, note] of command.notes) byRoom.set(roomId, [...(byRoom.get(roomId) ?? []), note]);
      for (const [roomId, notes] of byRoom) rooms.get(roomId)?.hear(notes);
      return;
    }
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
