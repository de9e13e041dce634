// What every browser test shares: Chromium's path and launch flags, the builds, and the real server on a free port.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
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
