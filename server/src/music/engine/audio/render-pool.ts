/**
 * A small pool of long-lived render workers. Each worker parses the SoundFont once and keeps it (and
 * the Vorbis-decoded samples spessasynth caches inside it) for every later render. With two or more
 * workers a piece's notes are dealt into two halves (note-split.ts), both are synthesized in parallel,
 * and one worker mixes, masters and encodes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { splitMidiByNotes } from './note-split';
import type { RenderTimings, RenderWorkerData, RenderWorkerMessage, RenderWorkerRequest } from './render-protocol';
import { WARM_UP_MIDI } from './smf-writer';
import type { MasteringReport, StereoPcm } from './types';

export interface AudioRenderPoolOptions {
  soundFontPath: string;
  /** Worker threads; with ≥ 2 a single piece is synthesized in two parallel halves. */
  workers: number;
  /** A worker request taking longer than this is abandoned and its worker replaced (ms). */
  timeoutMs: number;
  /** Where the pool reports trouble it recovers from (a worker thread that would not stop); a Node warning by default. */
  onWarning?: (message: string) => void;
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

export class AudioRenderError extends Error {
  override readonly name = 'AudioRenderError';
}

/** One request to one worker; `onMessage` returns true when the task is complete. */
interface Task {
  request: RenderWorkerRequest;
  transfer: ArrayBuffer[];
  onMessage: (message: RenderWorkerMessage) => boolean;
  fail: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  current?: Task;
}

type PcmPart = { sampleRate: number; left: Float32Array; right: Float32Array; synthMs: number };

export class AudioRenderPool {
  private readonly idle: PoolWorker[] = [];
  private readonly all = new Set<PoolWorker>();
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: AudioRenderPoolOptions) {}

  /** Renders a Standard MIDI File to a mastered WAV and, when asked, an MP3. */
  render(midi: Uint8Array, opts: { compressed: boolean; onStage?: (stage: RenderStage) => void }): AudioRenderJob {
    if (this.closed) throw new AudioRenderError('the render pool is closed');
    const { job, finishing, fail } = this.jobHandlers(opts.onStage);
    const { wav, compressed } = job;

    const halves = this.options.workers >= 2 ? splitMidiByNotes(midi) : undefined;
    if (!halves) {
      this.enqueue({ request: { type: 'render', id: this.nextId++, midi, compressed: opts.compressed }, transfer: [], onMessage: finishing, fail });
      return { wav, compressed };
    }

    opts.onStage?.('rendering');
    const parts: PcmPart[] = [];
    let failed = false;
    const onPart = (part: PcmPart) => {
      parts.push(part);
      if (parts.length < 2 || failed) return;
      this.enqueue({
        request: {
          type: 'master',
          id: this.nextId++,
          sampleRate: part.sampleRate,
          parts: parts.map(({ left, right }) => ({ left, right })),
          synthMs: Math.max(...parts.map((p) => p.synthMs)),
          compressed: opts.compressed,
        },
        transfer: parts.flatMap((p) => [p.left.buffer as ArrayBuffer, p.right.buffer as ArrayBuffer]),
        onMessage: (m) => (m.type === 'stage' && m.stage === 'rendering' ? false : finishing(m)),
        fail,
      });
    };
    for (const half of halves) {
      this.enqueue({
        request: { type: 'synthesize', id: this.nextId++, midi: half },
        transfer: [],
        onMessage: (m) => {
          if (m.type === 'pcm') onPart({ sampleRate: m.sampleRate, left: m.left, right: m.right, synthMs: m.synthMs });
          if (m.type === 'error') {
            failed = true;
            fail(new AudioRenderError(m.message));
          }
          return m.type === 'done' || m.type === 'error';
        },
        fail: (e) => {
          failed = true;
          fail(e);
        },
      });
    }
    return { wav, compressed };
  }

  /** Masters already decoded audio (e.g. from an external provider) and encodes WAV and, when asked, MP3. */
  master(pcm: StereoPcm, opts: { compressed: boolean; onStage?: (stage: RenderStage) => void }): AudioRenderJob {
    if (this.closed) throw new AudioRenderError('the render pool is closed');
    const { job, finishing, fail } = this.jobHandlers(opts.onStage);
    this.enqueue({
      request: {
        type: 'master',
        id: this.nextId++,
        sampleRate: pcm.sampleRate,
        parts: [{ left: pcm.left, right: pcm.right }],
        synthMs: 0,
        compressed: opts.compressed,
      },
      transfer: [pcm.left.buffer as ArrayBuffer, pcm.right.buffer as ArrayBuffer],
      onMessage: finishing,
      fail,
    });
    return job;
  }

  /**
   * Starts the workers and waits until each has parsed the SoundFont; with `render`, each also renders
   * a two-second piece so the first real request does not pay for JIT compilation and sample caches.
   */
  async warmUp(options: { render?: boolean } = {}): Promise<void> {
    while (this.all.size < this.options.workers) this.idle.push(this.spawn());
    const workers = [...this.all];
    for (const w of workers) w.worker.ref();
    try {
      await Promise.all(workers.map((w) => w.ready));
    } finally {
      for (const w of workers) if (!w.current) w.worker.unref();
    }
    if (!options.render) return;
    // One whole render per worker (unsplit, so each worker runs synthesis, mastering and encoding).
    await Promise.all(
      workers.map(
        () =>
          new Promise<void>((resolve) => {
            const { finishing } = this.jobHandlers();
            this.enqueue({
              request: { type: 'render', id: this.nextId++, midi: WARM_UP_MIDI, compressed: true },
              transfer: [],
              onMessage: (m) => {
                const done = finishing(m);
                if (done) resolve();
                return done;
              },
              fail: () => resolve(),
            });
          }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.fail(new AudioRenderError('the render pool was closed'));
    await Promise.all([...this.all].map((w) => this.retire(w, new AudioRenderError('the render pool was closed'))));
  }

  /** The promises of one job and the handler of its finishing (mastering) task's messages. */
  private jobHandlers(onStage?: (stage: RenderStage) => void) {
    let resolveWav!: (v: RenderedWav) => void;
    let resolveCompressed!: (v: RenderedCompressed | undefined) => void;
    let rejectWav!: (e: Error) => void;
    let rejectCompressed!: (e: Error) => void;
    const wav = new Promise<RenderedWav>((res, rej) => ((resolveWav = res), (rejectWav = rej)));
    const compressed = new Promise<RenderedCompressed | undefined>((res, rej) => ((resolveCompressed = res), (rejectCompressed = rej)));
    // A caller that only awaits one of the two must not see an unhandled rejection from the other.
    compressed.catch(() => undefined);
    wav.catch(() => undefined);
    const fail = (error: Error) => {
      rejectWav(error);
      rejectCompressed(error);
    };
    const finishing = (message: RenderWorkerMessage): boolean => {
      switch (message.type) {
        case 'stage':
          onStage?.(message.stage);
          return false;
        case 'wav':
          resolveWav({
            wav: message.wav,
            durationSec: message.durationSec,
            sampleRate: message.sampleRate,
            mastering: message.mastering,
            timings: message.timings,
          });
          return false;
        case 'compressed':
          resolveCompressed({ mp3: message.mp3, encodeMs: message.encodeMs });
          return false;
        case 'done':
          resolveCompressed(undefined); // no-op when already resolved
          return true;
        case 'error':
          fail(new AudioRenderError(message.message));
          return true;
        default:
          return false;
      }
    };
    const job: AudioRenderJob = { wav, compressed };
    return { job, finishing, fail };
  }

  private enqueue(task: Task): void {
    if (this.closed) return task.fail(new AudioRenderError('the render pool is closed'));
    this.waiting.push(task);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.idle.pop();
      if (!slot && this.all.size < this.options.workers) slot = this.spawn();
      if (!slot) return;
      const task = this.waiting.shift()!;
      const assigned = slot;
      assigned.current = task;
      task.timer = setTimeout(() => {
        this.replace(assigned, new AudioRenderError(`rendering took longer than ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      assigned.worker.ref(); // keep the process alive while a request is in flight
      assigned.worker.postMessage(task.request, task.transfer);
    }
  }

  private spawn(): PoolWorker {
    const worker = createRenderWorker({ soundFontPath: this.options.soundFontPath });
    let markReady!: () => void;
    const slot: PoolWorker = { worker, ready: new Promise<void>((res) => (markReady = res)) };
    this.all.add(slot);
    worker.on('message', (message: RenderWorkerMessage) => {
      if (message.type === 'ready') return markReady();
      const task = slot.current;
      if (!task || task.request.id !== message.id) return;
      if (task.onMessage(message)) this.release(slot);
    });
    const fail = (error: Error) => {
      markReady();
      this.replace(slot, new AudioRenderError(`render worker failed: ${error.message}`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.all.has(slot)) fail(new Error(`exited with code ${code}`));
    });
    worker.unref();
    return slot;
  }

  private release(slot: PoolWorker): void {
    if (slot.current?.timer) clearTimeout(slot.current.timer);
    slot.current = undefined;
    slot.worker.unref();
    this.idle.push(slot);
    this.dispatch();
  }

  /** Retires a broken or overdue worker without waiting for its thread to stop, and lets the queue move on. */
  private replace(slot: PoolWorker, reason: Error): void {
    this.retire(slot, reason).catch((error: unknown) => {
      const warn = this.options.onWarning ?? ((message: string) => process.emitWarning(message, 'AudioRenderPoolWarning'));
      warn(`A render worker could not be stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.dispatch();
  }

  private async retire(slot: PoolWorker, reason: Error): Promise<void> {
    if (!this.all.delete(slot)) return;
    const index = this.idle.indexOf(slot);
    if (index >= 0) this.idle.splice(index, 1);
    if (slot.current) {
      if (slot.current.timer) clearTimeout(slot.current.timer);
      slot.current.fail(reason);
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
