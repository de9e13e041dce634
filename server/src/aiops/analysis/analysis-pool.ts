import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol';

export interface AnalysisPoolOptions {
  /** Worker threads. */
  workers: number;
  /** Requests waiting beyond the running ones; more are refused (the caller answers 503). */
  maxQueued: number;
  /** A request running longer than this is abandoned and its worker replaced (ms). */
  timeoutMs: number;
}

/** The engine threw (bad input it detected itself): a client error, not a server one. */
export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError';
}

export class AnalysisBusyError extends Error {
  override readonly name = 'AnalysisBusyError';
}

type Payload = { kind: 'detect'; timestamps: Float64Array; values: Float64Array } | { kind: 'mine'; lines: string[] };

interface Task {
  payload: Payload;
  resolve: (json: string) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task?: Task & { id: number; timer: NodeJS.Timeout };
}

/**
 * Long-lived worker threads for the CPU-heavy stateless endpoints (scoring 200,000 points, mining 50,000 lines), so one
 * large request does not stall every other request of the process. Workers start on first use.
 */
export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: AnalysisPoolOptions) {}

  /** Runs the request on a worker thread and resolves with the JSON text of its result. */
  run(payload: Payload): Promise<string> {
    if (this.closed) return Promise.reject(new AnalysisBusyError('the analysis pool is closed'));
    const busy = this.slots.filter((s) => s.task).length;
    if (busy >= this.options.workers && this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new AnalysisBusyError(`${busy + this.queue.length} analyses are already running or waiting`));
    }
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ payload, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new AnalysisBusyError('the analysis pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => this.stop(slot, new AnalysisBusyError('the analysis pool is closed'))));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => !s.task) ?? (this.slots.length < this.options.workers ? this.spawn() : undefined);
      if (!slot) return;
      const task = this.queue.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => this.replace(slot, new Error(`the analysis took longer than ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      slot.task = { ...task, id, timer };
      const request: AnalysisRequest = { id, ...task.payload };
      const transfer = task.payload.kind === 'detect' ? [task.payload.timestamps.buffer as ArrayBuffer, task.payload.values.buffer as ArrayBuffer] : [];
      slot.worker.postMessage(request, transfer);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: createAnalysisWorker() };
    slot.worker.unref();
    slot.worker.on('message', (reply: AnalysisReply) => {
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      clearTimeout(task.timer);
      slot.task = undefined;
      if (reply.ok) task.resolve(reply.json);
      else task.reject(new AnalysisInputError(reply.message));
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.replace(slot, error));
    slot.worker.on('exit', (code) => {
      if (this.slots.includes(slot)) this.replace(slot, new Error(`the analysis worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  private replace(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    this.stop(slot, error).catch(() => undefined);
    if (!this.closed) this.dispatch();
  }

  private async stop(slot: Slot, error: Error): Promise<void> {
    if (slot.task) {
      clearTimeout(slot.task.timer);
      slot.task.reject(error);
      slot.task = undefined;
    }
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }
}

/**
 * Built output runs the compiled .js entry; from TypeScript sources (Jest, benches run with @swc-node/register) the
 * worker registers the same on-the-fly compiler before loading the .ts entry.
 */
function createAnalysisWorker(): Worker {
  const compiled = join(__dirname, 'analysis-worker.js');
  if (existsSync(compiled)) return new Worker(compiled);
  const source = join(__dirname, 'analysis-worker.ts');
  const register = require.resolve('@swc-node/register');
  const project = join(__dirname, '..', '..', '..', 'tsconfig.json');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(source)});`, {
    eval: true,
    env: { ...process.env, SWC_NODE_PROJECT: project },
  });
}
