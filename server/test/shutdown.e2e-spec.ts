import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from './support/test-app';

const SERVER_DIR = join(__dirname, '..');

describe('graceful shutdown of the real process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes the in-flight request on SIGTERM, then exits by the signal', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: SERVER_DIR,
      env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_PRETTY: 'false', ROLE: 'api', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      async () =>
        (
          await request(base)
            .get('/api/health/live')
            .catch(() => undefined)
        )?.status === 200
          ? true
          : undefined,
      { timeoutMs: 45_000, intervalMs: 250 },
    );

    // Registration hashes a password with scrypt, so it is still running when the signal arrives.
    const inFlight = request(base).post('/api/auth/register').send({ email: 'late@xiaoyu.test', password: 'late-password-1' });
    // Starts the request now (a supertest request is sent when first awaited or then'd).
    const response = new Promise<request.Response>((resolve, reject) => {
      inFlight.then(resolve, reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');

    expect((await response).status).toBe(201);
    // Nest closes everything, then re-raises the signal so the exit status says why the process ended.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    await expect(request(base).get('/api/health/live')).rejects.toThrow();
    expect(output).not.toMatch(/Error/);
  });
});
