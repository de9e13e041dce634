import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/workers/worker-pool';
import type { AccompanistNote, EnsembleNote } from './engine';
import type { RoomState } from './ensemble.types';

/** What the replica tells its accompanist thread. */
export type AccompanistCommand =
  | { kind: 'start'; state: RoomState; seed: number }
  | { kind: 'update'; state: RoomState }
  | { kind: 'hear'; notes: [roomId: string, note: EnsembleNote][] }
  | { kind: 'stop'; roomId: string };

/** What the thread tells the replica: notes to send to a room now, or that a room's engine failed (and stopped). */
export type AccompanistReport = { played: { roomId: string; notes: AccompanistNote[] } } | { failed: { roomId: string; message: string } };

export interface AccompanistThreadEvents {
  played(roomId: string, notes: AccompanistNote[]): void;
  failed(roomId: string, message: string): void;
  /** The thread died and a new one starts: the commands that bring it back to the rooms being played. */
  restore(): AccompanistCommand[];
}

/**
 * The replica's side of its accompanist thread (accompanist-worker.ts): the rooms' engines run there, so that their
 * listening and planning never wait in the event loop that relays the players' notes, nor make it wait. The players'
 * notes of one turn of the event loop go over in one message; the thread starts on first use, and a thread that dies
 * is replaced and given back its rooms (`restore`).
 */
export class AccompanistThread {
  private worker?: Worker;
  private heard: [string, EnsembleNote][] = [];
  private flushing = false;
  private closed = false;

  constructor(private readonly events: AccompanistThreadEvents) {}

  start(state: RoomState, seed: number): void {
    this.send({ kind: 'start', state, seed });
  }

  update(state: RoomState): void {
    this.send({ kind: 'update', state });
  }

  stop(roomId: string): void {
    this.send({ kind: 'stop', roomId });
  }

  hear(roomId: string, note: EnsembleNote): void {
    this.heard.push([roomId, note]);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const notes = this.heard;
      this.heard = [];
      this.send({ kind: 'hear', notes });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private send(command: AccompanistCommand): void {
    if (this.closed) return;
    if (!this.worker) {
      this.worker = this.spawn();
      for (const restored of this.events.restore()) this.worker.postMessage(restored);
    }
    this.worker.postMessage(command);
  }

  private spawn(): Worker {
    const worker = startWorker(join(__dirname, 'accompanist-worker'));
    // The thread must not keep the process alive (close() ends it on shutdown).
    worker.unref();
    worker.on('message', (report: AccompanistReport) => {
      if ('played' in report) this.events.played(report.played.roomId, report.played.notes);
      else this.events.failed(report.failed.roomId, report.failed.message);
    });
    const replace = () => {
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', (error) => {
      this.events.failed('', `the accompanist thread failed: ${error.message}`);
      replace();
    });
    worker.on('exit', replace);
    return worker;
  }
}
