/**
 * npm run bench:api — requests/s, latency and server CPU per request of the platform (logging, auth, validation,
 * metrics, helmet, rate limits on) against a bare NestJS app on the same HTTP adapter and the same PostgreSQL:
 *   /api/health/live               vs bare /live
 *   /api/auth/me (JWT + DB read)   vs bare /me (DB read)
 * Options (after `npm run bench:api --`): --duration <s> per run (default 5), --rounds <n> (default 3),
 * --connections <n> (default 32), --baseline <server dir> (also runs the platform of another checkout, e.g. ../main/server,
 * for a before/after comparison in the same rounds), --node-options "<flags>" (NODE_OPTIONS for the platform only: with
 * `--baseline .` it compares runtime flags on the same checkout).
 *
 * Other work on the machine moves both req/s and CPU per request, so every contender is measured once per round, in
 * an order that rotates between rounds (A B C, B C A, …), and the table shows medians over the rounds; the ratios are
 * medians of the per-round ratios, each from runs made seconds apart.
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { createScratchDatabase } from './lib/scratch-database';
import { apiBenchEnv } from './lib/api-bench-env';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const DURATION = Number(option('duration') ?? 5);
const ROUNDS = Number(option('rounds') ?? 3);
const CONNECTIONS = Number(option('connections') ?? 32);
const BASELINE_DIR = option('baseline');
const PLATFORM_NODE_OPTIONS = option('node-options');
const TARGET = 0.6;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time per request (user + system), in µs. */
  cpuUsPerRequest: number;
  /** CPU cores that processes other than this benchmark and the server kept busy during the run. */
  otherCores: number;
}

interface Contender {
  name: string;
  process: ChildProcess;
  url: string;
  headers: Record<string, string>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a process has used, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds every process on the machine has used (the busy columns of /proc/stat's first line). */
function machineCpuSeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('the server process has no pid');
  return child.pid;
}

async function measure(contender: Contender): Promise<Run> {
  const pid = pidOf(contender.process);
  const serverBefore = processCpuSeconds(pid);
  const machineBefore = machineCpuSeconds();
  const benchBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await autocannon({ url: contender.url, connections: CONNECTIONS, duration: DURATION, headers: contender.headers });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const server = processCpuSeconds(pid) - serverBefore;
  const bench = process.cpuUsage(benchBefore);
  const others = machineCpuSeconds() - machineBefore - server - (bench.user + bench.system) / 1e6;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuUsPerRequest: (server * 1e6) / Math.max(1, result.requests.total),
    otherCores: Math.max(0, others / seconds),
  };
}

function start(script: string, cwd: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = fork(script, [], {
    cwd,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const deadline = Date.now() + 60_000;
  const poll = async (): Promise<ChildProcess> => {
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${script} in ${cwd} did not start`);
    await new Promise((wait) => setTimeout(wait, 200));
    return poll();
  };
  return poll();
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values: number[], digits = 0) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
const verdict = (ratio: number) => `${percent(ratio)} ${ratio >= TARGET ? '✓' : '✗'}`;

/** Runs every contender once per round, rotating who goes first, after a short warm-up each. */
async function rounds(contenders: Contender[]): Promise<Map<string, Run[]>> {
  const runs = new Map<string, Run[]>(contenders.map((c) => [c.name, []]));
  for (const contender of contenders) await autocannon({ url: contender.url, connections: 4, duration: 1, headers: contender.headers });
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < contenders.length; i += 1) {
      const contender = contenders[(round + i) % contenders.length];
      runs.get(contender.name)?.push(await measure(contender));
    }
  }
  return runs;
}

function report(endpoint: string, runs: Map<string, Run[]>): void {
  console.log(`\n${endpoint}`);
  console.log('| contender | req/s | p50 / p99 ms | CPU µs/req (median) | CPU µs/req (range) | other load (cores) | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, list] of runs) {
    const cpu = list.map((r) => r.cpuUsPerRequest);
    console.log(
      `| ${name} | ${median(list.map((r) => r.rps)).toFixed(0)} | ${median(list.map((r) => r.p50))} / ${median(list.map((r) => r.p99))} | ${median(cpu).toFixed(0)} | ${spread(cpu)} | ${median(list.map((r) => r.otherCores)).toFixed(2)} | ${list.reduce((sum, r) => sum + r.errors, 0)} |`,
    );
  }
  const bare = runs.get('bare') ?? [];
  for (const [name, list] of runs) {
    if (name === 'bare') continue;
    // Round i of every contender ran within the same few seconds, so their ratio is the paired comparison.
    const throughput = list.map((r, i) => r.rps / bare[i].rps);
    const cpuCost = list.map((r, i) => bare[i].cpuUsPerRequest / r.cpuUsPerRequest);
    console.log(
      `${name} ÷ bare: throughput ratio ${verdict(median(throughput))} (rounds ${spread(throughput.map((r) => r * 100))} %), CPU-cost ratio ${verdict(median(cpuCost))} (rounds ${spread(cpuCost.map((r) => r * 100))} %)`,
    );
  }
  const baseline = runs.get('baseline');
  const platform = runs.get('platform');
  if (baseline && platform) {
    const change = platform.map((r, i) => r.cpuUsPerRequest / baseline[i].cpuUsPerRequest - 1);
    console.log(
      `platform vs baseline CPU µs/req: ${(median(change) * 100).toFixed(1)} % (rounds ${spread(
        change.map((c) => c * 100),
        1,
      )} %)`,
    );
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const database = await createScratchDatabase('bench');
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-bench-'));
  const children: ChildProcess[] = [];
  try {
    const port = 41000 + Math.floor(Math.random() * 1000);
    const platformEnv = (listenOn: number) => apiBenchEnv(dataDir, database.url, listenOn);
    const platform = await start(
      'src/main.ts',
      join(__dirname, '..'),
      { ...platformEnv(port), ...(PLATFORM_NODE_OPTIONS ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${PLATFORM_NODE_OPTIONS}`.trim() } : {}) },
      `http://127.0.0.1:${port}/api/health/live`,
    );
    children.push(platform);
    const api = (listenOn: number) => `http://127.0.0.1:${listenOn}/api`;
    const register = await fetch(`${api(port)}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@xiaoyu.test', password: 'bench-password-1' }),
    });
    const session = (await register.json()) as { accessToken: string; user: { id: string } };
    const bearer = { authorization: `Bearer ${session.accessToken}` };

    const barePort = port + 1000;
    const bare = await start(
      'bench/bare-app.ts',
      join(__dirname, '..'),
      { PORT: String(barePort), DATABASE_URL: database.url },
      `http://127.0.0.1:${barePort}/live`,
    );
    children.push(bare);

    const baselinePort = port + 2000;
    const baseline = BASELINE_DIR
      ? await start('src/main.ts', resolve(BASELINE_DIR), platformEnv(baselinePort), `${api(baselinePort)}/health/live`)
      : undefined;
    if (baseline) children.push(baseline);

    const endpoints: [string, Contender[]][] = [
      [
        'liveness (/api/health/live vs /live)',
        [
          { name: 'platform', process: platform, url: `${api(port)}/health/live`, headers: {} },
          ...(baseline ? [{ name: 'baseline', process: baseline, url: `${api(baselinePort)}/health/live`, headers: {} }] : []),
          { name: 'bare', process: bare, url: `http://127.0.0.1:${barePort}/live`, headers: {} },
        ],
      ],
      [
        'authenticated DB read (/api/auth/me: JWT + select, vs /me: select)',
        [
          { name: 'platform', process: platform, url: `${api(port)}/auth/me`, headers: bearer },
          ...(baseline ? [{ name: 'baseline', process: baseline, url: `${api(baselinePort)}/auth/me`, headers: bearer }] : []),
          { name: 'bare', process: bare, url: `http://127.0.0.1:${barePort}/me?id=${session.user.id}`, headers: {} },
        ],
      ],
    ];

    console.log(
      `\nbench:api — ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s${
        PLATFORM_NODE_OPTIONS ? `, platform with ${PLATFORM_NODE_OPTIONS}` : ''
      }`,
    );
    const results: [string, Map<string, Run[]>][] = [];
    for (const [endpoint, contenders] of endpoints) results.push([endpoint, await rounds(contenders)]);
    const loadAfter = loadavg();
    for (const [endpoint, runs] of results) report(endpoint, runs);
    const format = (load: number[]) => load.map((l) => l.toFixed(2)).join(', ');
    console.log(`\nload average before: ${format(loadBefore)}; after: ${format(loadAfter)}`);
    console.log(
      `Target: the platform keeps ≥ ${percent(TARGET)} of the bare app. CPU-cost ratio = bare CPU per request ÷ platform CPU per request; "other load" above 0.2 cores makes every figure less trustworthy.`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((wait) => setTimeout(wait, 1000));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
