/**
 * npm run bench:api:profile -- [--path /auth/me] [--duration 10] [--out api.cpuprofile] [--promises] > /dev/null
 * Where the platform's CPU goes per request: boots the platform in this process (as bench:api configures it), loads
 * it with autocannon from a child process, samples it with V8's CPU profiler, writes the .cpuprofile (open it in
 * Chrome DevTools or speedscope) and prints the self time per package and per function in µs per request.
 * The profiler slows JavaScript down: read the shares, not the absolute figures; bench:api measures the cost.
 * The report goes to stderr: stdout carries the platform's own log lines, written as in production.
 * --promises counts, instead of profiling, the promises the process makes per request (an async_hooks init hook), and
 * the other async resources by type: figures that other load on the machine does not move; each resource runs the
 * request context's hooks (Node 20).
 * --allocations reports instead the bytes the process allocates per request (V8's sampling heap profiler, garbage
 * included), by package and by function: what the garbage collector has to clear, which other load does not move.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createHook } from 'node:async_hooks';
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HeapProfiler, Profiler } from 'node:inspector';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/core/config/app-config';
import { createScratchDatabase } from './lib/scratch-database';
import { apiBenchEnv } from './lib/api-bench-env';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const PATH = option('path', '/auth/me');
const DURATION = Number(option('duration', '10'));
const OUT = resolve(option('out', 'api.cpuprofile'));
const SAMPLING_INTERVAL_US = 100;
const COUNT_PROMISES = args.includes('--promises');
const COUNT_ALLOCATIONS = args.includes('--allocations');
/** Mean bytes between two sampled allocations: small enough for a per-function figure over a 10 s load. */
const ALLOCATION_SAMPLING_BYTES = 2048;

/** autocannon's CLI in a child process, so that the profile holds only the server. */
function load(url: string, seconds: number, token: string): Promise<number> {
  const cli = require.resolve('autocannon/autocannon.js');
  const child = spawn(process.execPath, [cli, '--json', '-c', '32', '-d', String(seconds), '-H', `authorization=Bearer ${token}`, url], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', () => done((JSON.parse(output) as { requests: { total: number } }).requests.total));
  });
}

/** The package (or source file) a frame belongs to. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName;
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  return url.startsWith('node:') ? url : url.replace(/^.*\/server\//, '');
}

function report(profile: Profiler.Profile, requests: number): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let busy = 0;
  samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    busy += us;
    add(byOwner, ownerOf(frame.url, frame.functionName), us);
    add(byFunction, `${frame.functionName || '(anonymous)'} ${ownerOf(frame.url, '')}:${frame.lineNumber + 1}`, us);
  });
  const print = (line: string) => process.stderr.write(`${line}\n`);
  const top = (title: string, map: Map<string, number>, count: number) => {
    print(`\n${title}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      print(`${(us / requests).toFixed(1).padStart(7)} µs  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
    }
  };
  print(`\n${requests} requests to ${PATH}; ${(busy / requests).toFixed(0)} µs of sampled CPU per request (profiler overhead included)`);
  top('self time by package or file, per request', byOwner, 30);
  top('self time by function, per request', byFunction, 40);
}

/** Bytes allocated per request, by package and by function, from a sampling heap profile. */
function reportAllocations(profile: HeapProfiler.SamplingHeapProfile, requests: number): void {
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, bytes: number) => map.set(key, (map.get(key) ?? 0) + bytes);
  let total = 0;
  const visit = (node: HeapProfiler.SamplingHeapProfileNode) => {
    const frame = node.callFrame;
    if (node.selfSize) {
      total += node.selfSize;
      add(byOwner, ownerOf(frame.url, frame.functionName), node.selfSize);
      add(byFunction, `${frame.functionName || '(anonymous)'} ${ownerOf(frame.url, '')}:${frame.lineNumber + 1}`, node.selfSize);
    }
    node.children.forEach(visit);
  };
  visit(profile.head);
  const print = (line: string) => process.stderr.write(`${line}\n`);
  const top = (title: string, map: Map<string, number>, count: number) => {
    print(`\n${title}`);
    for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      print(`${(bytes / requests).toFixed(0).padStart(7)} B  ${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
    }
  };
  print(`\n${requests} requests to ${PATH}; ${(total / requests).toFixed(0)} bytes allocated per request`);
  top('allocated by package or file, per request', byOwner, 30);
  top('allocated by function, per request', byFunction, 40);
}

async function main(): Promise<void> {
  const database = await createScratchDatabase('profile');
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-profile-'));
  const port = 43000 + Math.floor(Math.random() * 1000);
  const app = await createApp(loadConfig(apiBenchEnv(dataDir, database.url)));
  try {
    await app.listen(port, '127.0.0.1');
    const base = `http://127.0.0.1:${port}/api`;
    const registered = await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'profile@xiaoyu.test', password: 'profile-password-1' }),
    });
    const { accessToken } = (await registered.json()) as { accessToken: string };
    await load(`${base}${PATH}`, 2, accessToken); // warm-up: let the JIT settle before sampling

    if (COUNT_PROMISES) {
      const resources = new Map<string, number>();
      const hook = createHook({
        init(_id, type) {
          resources.set(type, (resources.get(type) ?? 0) + 1);
        },
      }).enable();
      const requests = await load(`${base}${PATH}`, DURATION, accessToken);
      hook.disable();
      const perRequest = (type: string) => ((resources.get(type) ?? 0) / requests).toFixed(1);
      process.stderr.write(`\n${requests} requests to ${PATH}; ${perRequest('PROMISE')} promises per request\n`);
      const others = [...resources.keys()].filter((type) => type !== 'PROMISE').sort((a, b) => (resources.get(b) ?? 0) - (resources.get(a) ?? 0));
      process.stderr.write(`other async resources per request: ${others.map((type) => `${type} ${perRequest(type)}`).join(', ')}\n`);
      return;
    }
    const session = new Session();
    session.connect();
    if (COUNT_ALLOCATIONS) {
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: ALLOCATION_SAMPLING_BYTES,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      const requests = await load(`${base}${PATH}`, DURATION, accessToken);
      const { profile } = await session.post('HeapProfiler.stopSampling');
      session.disconnect();
      reportAllocations(profile, requests);
      return;
    }
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    const requests = await load(`${base}${PATH}`, DURATION, accessToken);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(OUT, JSON.stringify(profile));
    process.stderr.write(`profile written to ${OUT}\n`);
    report(profile, requests);
  } finally {
    await app.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
