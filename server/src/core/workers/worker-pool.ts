/**
 * A small pool of worker threads for CPU-heavy pure functions (an assessment, an analysis), so that they do not
 * block the event loop for other requests. The worker module calls `serveWorkerTasks(handler)`; the pool keeps up to
 * `size` threads, queues the rest (refusing beyond `maxQueue`), replaces a thread that crashes or overruns
 * `timeoutMs`, and rejects with the worker's own error name, message and `code`. A task's time starts when its thread
 * has loaded its module (a cold start on a busy machine is not the task's fault), within STARTUP_MS.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort, Worker, type Transferable } from 'node:worker_threads';

export interface WorkerPoolOptions {
  /** The worker module without extension: `<script>.js` when compiled, else `<script>.ts` through @swc-node/register. */
  script: string;
  /** Threads at most; they start on first use. */
  size: number;
  /** A task running longer (from the moment its thread is ready) is abandoned and its thread replaced (ms). */
  timeoutMs: number;
  /** Tasks waiting beyond this are refused with WorkerPoolBusyError. */
  maxQueue: number;
}

/** The pool is full: the caller should answer 503 with Retry-After. */
export class WorkerPoolBusyError extends Error {
  override readonly name = 'WorkerPoolBusyError';
}

/** A task failed: `remoteName`/`code` are the worker's error's (e.g. an engine's typed input error), or `timeout`/`crash`. */
export class WorkerTaskError extends Error {
  override readonly name = 'WorkerTaskError';
  constructor(
    message: string,
    readonly remoteName: string,
    readonly code?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

interface TaskMessage {
  id: number;
  input: unknown;
}

/** How long a new thread may take to load its module before its first task counts as timed out. */
const STARTUP_MS = 60_000;

type ResultMessage =
  | { ready: true }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string; details?: Record<string, unknown> } };

interface Task {
  id: number;
  input: unknown;
  transfer: Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The worker module has loaded and serves tasks. */
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

export class WorkerPool<Input, Output> {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Tasks running and waiting, for metrics and tests. */
  get load(): { running: number; waiting: number; threads: number } {
    return { running: [...this.slots].filter((s) => s.task).length, waiting: this.waiting.length, threads: this.slots.size };
  }

  run(input: Input, transfer: Transferable[] = []): Promise<Output> {
    if (this.closed) return Promise.reject(new WorkerPoolBusyError('the worker pool is closed'));
    if (this.waiting.length >= this.options.maxQueue && this.idle.length === 0 && this.slots.size >= this.options.size) {
      return Promise.reject(new WorkerPoolBusyError(`${this.waiting.length} tasks are already waiting`));
    }
    return new Promise<Output>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, input, transfer, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new WorkerPoolBusyError('the worker pool is closed'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, new WorkerPoolBusyError('the worker pool is closed'))));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.idle.pop() ?? (this.slots.size < this.options.size ? this.spawn() : undefined);
      if (!slot) return;
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.ref();
      this.startClock(slot);
      slot.worker.postMessage({ id: task.id, input: task.input } satisfies TaskMessage, task.transfer);
    }
  }

  /** The task's time limit, or while the thread still loads, the start-up limit plus the task's. */
  private startClock(slot: Slot): void {
    clearTimeout(slot.timer);
    const limit = slot.ready ? this.options.timeoutMs : STARTUP_MS + this.options.timeoutMs;
    slot.timer = setTimeout(() => this.dismiss(slot, new WorkerTaskError(`the task took longer than ${this.options.timeoutMs} ms`, 'timeout')), limit);
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(this.options.script), ready: false };
    this.slots.add(slot);
    slot.worker.on('message', (message: ResultMessage) => {
      if ('ready' in message) {
        slot.ready = true;
        if (slot.task) this.startClock(slot);
        return;
      }
      const task = slot.task;
      if (!task || message.id !== task.id) return;
      clearTimeout(slot.timer);
      slot.task = undefined;
      // An idle thread must not keep the process alive.
      if (message.ok) task.resolve(message.result);
      else task.reject(new WorkerTaskError(message.error.message, message.error.name, message.error.code, message.error.details));
      slot.worker.unref();
      this.idle.push(slot);
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.dismiss(slot, new WorkerTaskError(`the worker failed: ${error.message}`, 'crash')));
    slot.worker.on('exit', (code) => this.dismiss(slot, new WorkerTaskError(`the worker exited (code ${code})`, 'crash')));
    return slot;
  }

  /** Retires a thread from an event handler (termination of a dead thread cannot fail in a way anyone could act on). */
  private dismiss(slot: Slot, reason: Error): void {
    this.retire(slot, reason).catch(() => undefined);
  }

  private async retire(slot: Slot, reason: Error): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const index = this.idle.indexOf(slot);
    if (index >= 0) this.idle.splice(index, 1);
    clearTimeout(slot.timer);
    slot.task?.reject(reason);
    slot.task = undefined;
    await slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }
}

/** Worker side: answers each task with `handler(input)`; a thrown error travels back with its name, message and `code`. */
export function serveWorkerTasks<Input, Output>(handler: (input: Input) => Output | Promise<Output>, transferOf?: (output: Output) => Transferable[]): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks must run inside a worker thread');
  const answer = async ({ id, input }: TaskMessage) => {
    try {
      const result = await handler(input as Input);
      port.postMessage({ id, ok: true, result } satisfies ResultMessage, transferOf?.(result) ?? []);
    } catch (error) {
      const e: Error & { code?: unknown; field?: unknown } = error instanceof Error ? error : new Error(String(error));
      const details = typeof e.field === 'string' ? { field: e.field } : undefined;
      port.postMessage({
        id,
        ok: false,
        error: { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined, details },
      } satisfies ResultMessage);
    }
  };
  port.postMessage({ ready: true } satisfies ResultMessage);
  port.on('message', (message: TaskMessage) => {
    answer(message).catch((error: unknown) => {
      // Only posting itself can fail here (an unclonable result): report it as the task's failure.
      port.postMessage({
        id: message.id,
        ok: false,
        error: { name: 'Error', message: error instanceof Error ? error.message : String(error) },
      } satisfies ResultMessage);
    });
  });
}

/** From compiled output the .js runs directly; from TypeScript sources (Jest, benches) the thread registers @swc-node first. */
function startWorker(script: string): Worker {
  if (existsSync(`${script}.js`)) return new Worker(`${script}.js`);
  const register = require.resolve('@swc-node/register');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(`${script}.ts`)});`, {
    eval: true,
    env: { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? findTsconfig(dirname(script)) },
  });
}

function findTsconfig(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json'))) return join(dir, 'tsconfig.json');
  }
  return 'tsconfig.json';
}
