/**
 * A small pool of long-lived render workers. Each worker parses the SoundFont once and keeps it (and
 * the Vorbis-decoded samples spessasynth caches inside it) for every later render.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RenderTimings, RenderWorkerData, RenderWorkerMessage, RenderWorkerRequest } from './render-protocol';
import type { MasteringReport } from './types';

export interface AudioRenderPoolOptions {
  soundFontPath: string;
  /** Worker threads (each renders one piece at a time). */
  workers: number;
  /** A render taking longer than this is abandoned and its worker replaced (ms). */
  timeoutMs: number;
}

export interface RenderedWav {
  wav: Uint8Array;
  durationSec: number;
  sampleRate: number;
  mastering: MasteringReport;
  timings: RenderTimings;
}

export interface RenderedCompressed {
  /** MP3 bytes (CBR). */
  mp3: Uint8Array;
  encodeMs: number;
}

export type RenderStage = 'rendering' | 'encoding';

export interface AudioRenderJob {
  /** Resolves as soon as the mastered WAV exists. */
  wav: Promise<RenderedWav>;
  /** Resolves with the MP3 after the WAV, or undefined when not requested. */
  compressed: Promise<RenderedCompressed | undefined>;
}

interface PendingRender {
  request: RenderWorkerRequest;
  onStage?: (stage: RenderStage) => void;
  resolveWav: (value: RenderedWav) => void;
  resolveCompressed: (value: RenderedCompressed | undefined) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  current?: PendingRender;
}

export class AudioRenderError extends Error {
  override readonly name = 'AudioRenderError';
}

export class AudioRenderPool {
  private readonly idle: PoolWorker[] = [];
  private readonly all = new Set<PoolWorker>();
  private readonly waiting: PendingRender[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: AudioRenderPoolOptions) {}

  /** Renders a Standard MIDI File to a mastered WAV and, when asked, an MP3. */
  render(midi: Uint8Array, opts: { compressed: boolean; onStage?: (stage: RenderStage) => void }): AudioRenderJob {
    if (this.closed) throw new AudioRenderError('the render pool is closed');
    let resolveWav!: (v: RenderedWav) => void;
    let resolveCompressed!: (v: RenderedCompressed | undefined) => void;
    let rejectWav!: (e: Error) => void;
    let rejectCompressed!: (e: Error) => void;
    const wav = new Promise<RenderedWav>((res, rej) => ((resolveWav = res), (rejectWav = rej)));
    const compressed = new Promise<RenderedCompressed | undefined>((res, rej) => ((resolveCompressed = res), (rejectCompressed = rej)));
    // A caller that only awaits the WAV must not see an unhandled rejection from the MP3 promise.
    compressed.catch(() => undefined);
    const pending: PendingRender = {
      request: { id: this.nextId++, midi, compressed: opts.compressed },
      onStage: opts.onStage,
      resolveWav,
      resolveCompressed,
      reject: (error) => {
        rejectWav(error);
        rejectCompressed(error);
      },
    };
    this.waiting.push(pending);
    this.dispatch();
    return { wav, compressed };
  }

  /** Starts the workers and waits until each has parsed the SoundFont. */
  async warmUp(): Promise<void> {
    while (this.all.size < this.options.workers) this.idle.push(this.spawn());
    const workers = [...this.all];
    for (const w of workers) w.worker.ref();
    try {
      await Promise.all(workers.map((w) => w.ready));
    } finally {
      for (const w of workers) if (!w.current) w.worker.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.reject(new AudioRenderError('the render pool was closed'));
    await Promise.all([...this.all].map((w) => this.retire(w, new AudioRenderError('the render pool was closed'))));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.idle.pop();
      if (!slot && this.all.size < this.options.workers) slot = this.spawn();
      if (!slot) return;
      const pending = this.waiting.shift()!;
      slot.current = pending;
      pending.timer = setTimeout(() => {
        void this.retire(slot!, new AudioRenderError(`rendering took longer than ${this.options.timeoutMs} ms`));
        this.dispatch();
      }, this.options.timeoutMs);
      slot.worker.ref(); // keep the process alive while a render is in flight
      slot.worker.postMessage(pending.request);
    }
  }

  private spawn(): PoolWorker {
    const workerData: RenderWorkerData = { soundFontPath: this.options.soundFontPath };
    const worker = createRenderWorker(workerData);
    let markReady!: () => void;
    const slot: PoolWorker = { worker, ready: new Promise<void>((res) => (markReady = res)) };
    this.all.add(slot);
    worker.on('message', (message: RenderWorkerMessage) => {
      if (message.type === 'ready') return markReady();
      const pending = slot.current;
      if (!pending || pending.request.id !== message.id) return;
      switch (message.type) {
        case 'stage':
          pending.onStage?.(message.stage);
          break;
        case 'wav':
          pending.resolveWav({ wav: message.wav, durationSec: message.durationSec, sampleRate: message.sampleRate, mastering: message.mastering, timings: message.timings });
          break;
        case 'compressed':
          pending.resolveCompressed({ mp3: message.mp3, encodeMs: message.encodeMs });
          break;
        case 'done':
          pending.resolveCompressed(undefined); // no-op when already resolved
          this.finish(slot);
          break;
        case 'error':
          pending.reject(new AudioRenderError(message.message));
          this.finish(slot);
          break;
      }
    });
    const fail = (error: Error) => {
      markReady();
      void this.retire(slot, new AudioRenderError(`render worker failed: ${error.message}`));
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.all.has(slot)) fail(new Error(`exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private finish(slot: PoolWorker): void {
    if (slot.current?.timer) clearTimeout(slot.current.timer);
    slot.current = undefined;
    slot.worker.unref();
    this.idle.push(slot);
    this.dispatch();
  }

  private async retire(slot: PoolWorker, reason: Error): Promise<void> {
    if (!this.all.delete(slot)) return;
    const index = this.idle.indexOf(slot);
    if (index >= 0) this.idle.splice(index, 1);
    if (slot.current) {
      if (slot.current.timer) clearTimeout(slot.current.timer);
      slot.current.reject(reason);
      slot.current = undefined;
    }
    await slot.worker.terminate();
  }
}

/**
 * Starts render-worker in a thread. From compiled output (dist/) the .js file runs directly; from the
 * TypeScript sources (Jest, benches run with @swc-node/register) the worker registers the same
 * on-the-fly compiler before loading the .ts entry.
 */
function createRenderWorker(workerData: RenderWorkerData): Worker {
  const compiled = join(__dirname, 'render-worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = join(__dirname, 'render-worker.ts');
  const register = require.resolve('@swc-node/register');
  const project = join(__dirname, '..', '..', '..', '..', 'tsconfig.json');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(source)});`, {
    eval: true,
    workerData,
    env: { ...process.env, SWC_NODE_PROJECT: project },
  });
}
