import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from './test-app';

const SERVER_DIR = join(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** SIGTERM, wait for the exit, remove the data directory. */
  stop(): Promise<void>;
}

/** Attempts at a port before giving up: another listener may hold the one drawn. */
const PORT_ATTEMPTS = 3;

/**
 * Runs the real server (`src/main.ts`, embedded PGlite in a fresh data directory, API role) and waits until it is live.
 * Ports are drawn below Linux's ephemeral range (32768–60999), where the machine's own outgoing connections could
 * hold the one drawn while the server boots; a port another server holds is retried with a new one.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(20000 + Math.floor(Math.random() * 12000), env);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !(error instanceof Error) || !error.message.includes('EADDRINUSE')) throw error;
    }
  }
}

async function startOnce(port: number, env: Record<string, string>): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-process-'));
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      ROLE: 'api',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const live = eventually(
    async () =>
      (
        await request(base)
          .get('/api/health/live')
          .catch(() => undefined)
      )?.status === 200
        ? true
        : undefined,
    {
      timeoutMs: 90_000,
      intervalMs: 250,
    },
  );
  // A process that exits or never answers fails the start with what it wrote, not with a bare timeout.
  const failure = await Promise.race([
    live.then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    ),
    exited.then(({ code, signal }) => new Error(`the server exited (code ${code}, signal ${signal}) before it was live`)),
  ]);
  if (failure) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${failure.message}; its output:\n${output.slice(-6000)}`);
  }
  return {
    child,
    base,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
