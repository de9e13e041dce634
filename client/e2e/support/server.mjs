// What every browser test shares: Chromium's path and launch flags, the builds, and the real server on a free port.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The reason to skip a browser suite on a machine without Chromium (CI installs it, and fails on any skip). */
export const missing = existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Builds when the artifact is missing, or always with JOURNEY_BUILD=1 (a stale build tests old code). */
export function buildIfMissing(artifact, npmArgs) {
  if (existsSync(join(ROOT, artifact)) && process.env.JOURNEY_BUILD !== '1') return;
  execFileSync('npm', npmArgs, { cwd: ROOT, stdio: 'inherit' });
}

/** Waits until the spawned server answers its liveness probe; fails with its output when it exits or takes over 90 s. */
export async function waitForServer(baseUrl, server, logs) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${logs.join('')}`);
    try {
      if ((await fetch(`${baseUrl}/api/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer within 90 s:\n${logs.join('')}`);
}

/** The machine's PostgreSQL (trust auth), for replicas that share one database. */
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the machine's PostgreSQL: `{ url, drop() }`. */
export async function createDatabase(name) {
  const { default: pg } = await import('pg');
  const database = `xiaoyu_browser_${name}_${process.pid}`;
  const run = async (sql) => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(`PostgreSQL at ${POSTGRES_ADMIN_URL} is needed for two replicas on one database: ${error.message}`);
    }
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  // A run that was killed may have left its database behind under a pid used again.
  await run(`drop database if exists ${database} with (force)`);
  await run(`create database ${database}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${database} with (force)`) };
}

/**
 * Starts the built platform (embedded PGlite in a fresh data directory, local Redis) serving the built SPA on a free
 * port, building both first when missing. `env` adds settings (a DATABASE_URL there puts it on that PostgreSQL). Resolves to `{ baseUrl, dataDir, logs, stop }`: `logs`
 * collects the server's output (tests add browser errors to it), `stop()` ends the server and removes its data.
 */
export async function startPlatform(name, env = {}) {
  buildIfMissing('server/dist/main.js', ['run', 'build', '-w', 'server']);
  buildIfMissing('dist/client/browser/index.html', ['run', 'build:client']);
  // The free port is released before the server binds it; if something takes it meanwhile, try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchPlatform(name, env, await freePort());
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

async function launchPlatform(name, env, port) {
  const dataDir = mkdtempSync(join(tmpdir(), `xiaoyu-${name}-`));
  const baseUrl = `http://127.0.0.1:${port}`;
  const serverEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    CLIENT_DIST_DIR: join(ROOT, 'dist/client/browser'),
    QUEUE_PREFIX: `${name}-${port}`,
  };
  delete serverEnv.DATABASE_URL;
  Object.assign(serverEnv, env);
  const server = spawn(process.execPath, [join(ROOT, 'server/dist/main.js')], { cwd: ROOT, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  server.stdout.on('data', (chunk) => logs.push(String(chunk)));
  server.stderr.on('data', (chunk) => logs.push(String(chunk)));
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForServer(baseUrl, server, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, logs, stop };
}

/** Debian Chromium through playwright-core, with the flags every browser test uses and any `extraArgs`. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}
