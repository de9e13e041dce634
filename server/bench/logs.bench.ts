/**
 * npm run bench:logs — our LogAggregator vs pino-elasticsearch against the fake bulk server, same batch
 * settings (5 MiB / 1 s), each shipper in its own process:
 *   1. throughput: 100,000 lines written as fast as possible → delivered logs/s, peak RSS;
 *   2. outage: 100,000 lines at 10,000 lines/s while the endpoint is down for 15 s → N in / unique out / duplicates;
 *   3. HTTP cost: autocannon against a small Nest app using the core logger, shipping off vs on.
 * Env: BENCH_LOG_N (default 100000), BENCH_OUTAGE_MS (15000), BENCH_HTTP_SECONDS (10).
 */
import autocannon from 'autocannon';
import { ChildProcess, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const N = Number(process.env.BENCH_LOG_N ?? 100_000);
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 15_000);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
/** Which parts to run: `shippers`, `http` (comma-separated; default both). */
const PARTS = new Set((process.env.BENCH_LOGS_PARTS ?? 'shippers,http').split(','));
const SERVER_DIR = path.join(__dirname, '..');
const REGISTER = ['-r', '@swc-node/register'];
const SHIPPERS = ['ours', 'pino-elasticsearch'] as const;
type Shipper = (typeof SHIPPERS)[number];
const label = (s: Shipper) => (s === 'ours' ? 'LogAggregator (ours)' : 'pino-elasticsearch 9');

interface Stats {
  stored: number;
  unique?: number;
  duplicates?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startFakeServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...REGISTER, 'test/support/fake-bulk-server.ts', '0'], {
    cwd: SERVER_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url)));
  return { url, child };
}

async function control(url: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${p}`, {
    method: body === undefined && p.includes('stats') ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** Polls the server until it holds `target` docs or stops growing for `quietMs` (after `notBefore`). */
async function waitForDelivery(url: string, target: number, quietMs: number, notBefore = 0): Promise<{ stored: number; at: number }> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const stored = await control(url, '/_fake/stats').then(
      (s) => (s as Stats).stored,
      () => last, // the server is down (outage): no progress
    );
    const now = Date.now();
    if (stored !== last) {
      last = stored;
      lastChange = now;
    }
    if (stored >= target) return { stored, at: now };
    if (now > notBefore && now - lastChange > quietMs) return { stored, at: lastChange };
    await sleep(20);
  }
}

function runShipper(shipper: Shipper, env: Record<string, string>) {
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-logs-spool-'));
  const child = fork(path.join(__dirname, 'logs/shipper-run.ts'), [], {
    cwd: SERVER_DIR,
    execArgv: REGISTER,
    env: { ...process.env, SHIPPER: shipper, SPOOL_DIR: spoolDir, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const events = new Map<string, Record<string, unknown>>();
  child.on('message', (m: Record<string, unknown>) => events.set(String(m.event), m));
  const waitEvent = async (name: string) => {
    while (!events.has(name)) await sleep(5);
    return events.get(name)!;
  };
  return {
    waitEvent,
    async finish(): Promise<number> {
      child.send({ cmd: 'finish' });
      const done = await waitEvent('finished');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(spoolDir, { recursive: true, force: true });
      return Number(done.maxRssBytes);
    },
  };
}

interface Row {
  shipper: string;
  logsPerSec: number;
  peakRssMb: number;
  outageIn: number;
  outageOut: number;
  duplicates: number;
  lost: number;
}

async function throughput(url: string, shipper: Shipper): Promise<{ logsPerSec: number; peakRssMb: number }> {
  await control(url, '/_fake/reset', {});
  const run = runShipper(shipper, { ES_URL: url, N: String(N), RATE: '0' });
  const started = Number((await run.waitEvent('started')).at);
  const { stored, at } = await waitForDelivery(url, N, 10_000);
  const rss = await run.finish();
  return { logsPerSec: Math.round(stored / ((at - started) / 1000)), peakRssMb: Math.round(rss / 1024 / 1024) };
}

async function outage(url: string, shipper: Shipper): Promise<Pick<Row, 'outageIn' | 'outageOut' | 'duplicates' | 'lost'>> {
  await control(url, '/_fake/reset', {});
  const run = runShipper(shipper, { ES_URL: url, N: String(N), RATE: '10000' });
  await run.waitEvent('started');
  await sleep(1000);
  await control(url, `/_fake/outage?ms=${OUTAGE_MS}`, {});
  const back = Date.now() + OUTAGE_MS;
  await run.waitEvent('written');
  await waitForDelivery(url, N, 8_000, back + 2000);
  await run.finish();
  const stats = (await control(url, '/_fake/stats?field=n')) as Stats;
  return { outageIn: N, outageOut: stats.unique ?? 0, duplicates: stats.duplicates ?? 0, lost: N - (stats.unique ?? 0) };
}

interface HttpRun {
  variant: string;
  reqPerSec: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  shipped: string;
}

async function httpCost(url: string): Promise<HttpRun[]> {
  await control(url, '/_fake/reset', {});
  await control(url, '/_fake/lean?on=1', {});
  const rows: HttpRun[] = [];
  for (const ship of ['off', 'on', 'off', 'on', 'off', 'on']) {
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-logs-http-'));
    const child = spawn(process.execPath, [...REGISTER, 'bench/logs/http-target.ts'], {
      cwd: SERVER_DIR,
      env: { ...process.env, SHIP: ship, ES_URL: url, SPOOL_DIR: spoolDir },
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    });
    const lines: Array<Record<string, unknown>> = [];
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) =>
      d
        .toString()
        .trim()
        .split('\n')
        .forEach((l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
    );
    while (!lines.some((l) => l.port)) await sleep(20);
    const port = Number(lines.find((l) => l.port)!.port);
    const target = { url: `http://127.0.0.1:${port}/api/music/tracks/42`, connections: 10 };
    await autocannon({ ...target, duration: 2 }); // warm-up
    const cpu = async () => ((await (await fetch(`http://127.0.0.1:${port}/api/bench/cpu`)).json()) as { micros: number }).micros;
    const cpuBefore = await cpu();
    const result = await autocannon({ ...target, duration: HTTP_SECONDS });
    const cpuMicros = (await cpu()) - cpuBefore;
    child.kill('SIGTERM');
    while (!lines.some((l) => 'stats' in l)) await sleep(20);
    const stats = lines.find((l) => 'stats' in l)!.stats as { received: number; shipped: number } | null;
    fs.rmSync(spoolDir, { recursive: true, force: true });
    rows.push({
      variant: `shipping ${ship}`,
      reqPerSec: Math.round(result.requests.average),
      p99Ms: result.latency.p99,
      cpuMicrosPerRequest: Math.round(cpuMicros / Math.max(1, result.requests.total)),
      shipped: stats ? `${stats.shipped}/${stats.received}` : '-',
    });
  }
  await control(url, '/_fake/lean?on=0', {});
  return rows;
}

async function main(): Promise<void> {
  const { url, child } = await startFakeServer();
  console.log(`bench:logs — ${N} lines, ${OUTAGE_MS / 1000}s outage, batch 5 MiB / 1 s, fake bulk server ${url}`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}\n`);
  const rows: Row[] = [];
  try {
    if (PARTS.has('shippers')) {
      // throughput: 3 alternating runs per shipper, median reported (the machine is shared and noisy)
      const runs: Record<Shipper, Array<{ logsPerSec: number; peakRssMb: number }>> = { ours: [], 'pino-elasticsearch': [] };
      for (let i = 0; i < 3; i++) for (const shipper of SHIPPERS) runs[shipper].push(await throughput(url, shipper));
      for (const shipper of SHIPPERS) {
        const o = await outage(url, shipper);
        const t = { logsPerSec: median(runs[shipper].map((r) => r.logsPerSec)), peakRssMb: median(runs[shipper].map((r) => r.peakRssMb)) };
        rows.push({ shipper: label(shipper), ...t, ...o });
        console.log(`  done: ${label(shipper)} (throughput runs: ${runs[shipper].map((r) => r.logsPerSec).join(', ')} logs/s)`);
      }
      console.log('\n| shipper | delivered logs/s (median of 3) | peak RSS MB | outage: in | out (unique) | duplicates | lost |');
      console.log('|---|---:|---:|---:|---:|---:|---:|');
      for (const r of rows) console.log(`| ${r.shipper} | ${r.logsPerSec} | ${r.peakRssMb} | ${r.outageIn} | ${r.outageOut} | ${r.duplicates} | ${r.lost} |`);
    }
    if (!PARTS.has('http')) return;

    const http = await httpCost(url);
    const avg = (v: string) => median(http.filter((h) => h.variant === v).map((h) => h.reqPerSec));
    console.log(`\nHTTP cost (autocannon, 10 connections, ${HTTP_SECONDS}s per run, GET /api/music/tracks/:id, core logger):`);
    console.log('| run | req/s | p99 ms | app CPU µs/request | shipped/received |');
    console.log('|---|---:|---:|---:|---:|');
    for (const h of http) console.log(`| ${h.variant} | ${h.reqPerSec} | ${h.p99Ms} | ${h.cpuMicrosPerRequest} | ${h.shipped} |`);
    const off = avg('shipping off');
    const on = avg('shipping on');
    const cpuOf = (v: string) => median(http.filter((h) => h.variant === v).map((h) => h.cpuMicrosPerRequest));
    const cpuOff = cpuOf('shipping off');
    const cpuOn = cpuOf('shipping on');
    console.log(
      `\nshipping CPU cost per request: ${(((cpuOn - cpuOff) / cpuOff) * 100).toFixed(1)}% (median: off ${cpuOff} µs, on ${cpuOn} µs) — throughput cost when CPU-bound; steadier than req/s on a shared machine`,
    );
    console.log(
      `\nshipping cost: ${(((off - on) / off) * 100).toFixed(1)}% of req/s (median of 3 alternating runs: off ${Math.round(off)}, on ${Math.round(on)}; target ≤ 10%)`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
