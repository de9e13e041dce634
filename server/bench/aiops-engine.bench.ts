/**
 * npm run bench:aiops-engine — speed of the AIOps engine on one core (all of it is single-threaded).
 *
 *   1. AnomalyDetector: points/s streaming (one detector per series) and detect() on the API's largest request
 *      (200,000 points);
 *   2. log templates: lines/s of mine() on the API's largest request (50,000 lines) and of the online miner, on
 *      synthetic service logs and, when ../shared/datasets/loghub2k is there, on the LogHub-2k systems;
 *   3. forecast() on 90 days of 5-minute points and analyseIncidents() on 1,000 signals, for scale.
 *
 * CPU time of this process is measured (steadier than wall time on a shared machine); each figure is the median of
 * 5 runs. Figures are printed, never asserted.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { AnomalyDetector, analyseIncidents, AiopsSignal, detect, forecast, LogTemplateMiner, mine, SeriesPoint } from '../src/aiops/engine';
import { createRng } from '../src/music/engine/rng';
import { LOGHUB_SYSTEMS, loadSystem } from '../eval/aiops/loghub-data';

const RUNS = 5;
const DATASETS = process.env.AIOPS_DATASETS_DIR ?? join(__dirname, '../../../shared/datasets');

function cpuMs(f: () => void): number {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
}

/** Deterministic uniform [0, 1) (the music engine's mulberry32). */
const uniform = (seed: number) => {
  const random = createRng(seed);
  return () => random.next();
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');

/** A 5-minute metric with a daily cycle, noise, and a spike every ~3 days. */
function metric(n: number, seed: number): SeriesPoint[] {
  const u = uniform(seed);
  const t0 = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    timestamp: t0 + i * 300_000,
    value: 200 + 80 * Math.sin((2 * Math.PI * i) / 288) + 15 * (u() - 0.5) + (i % 877 === 0 ? 300 : 0),
  }));
}

/** Service log messages from 40 event types with ids, numbers, IPs, paths and durations. */
function serviceLogs(n: number, seed: number): string[] {
  const u = uniform(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(u() * xs.length)];
  const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
  const verbs = ['GET', 'POST', 'PUT', 'DELETE'];
  const events: (() => string)[] = [
    () => `${pick(verbs)} /api/music/${Math.floor(u() * 1e6)} ${pick([200, 201, 204, 404, 500])} ${(u() * 300).toFixed(1)} ms`,
    () => `user ${pick(users)} logged in from 10.${Math.floor(u() * 255)}.${Math.floor(u() * 255)}.${Math.floor(u() * 255)}`,
    () => `job ${Math.floor(u() * 1e9).toString(16)} completed in ${(u() * 9).toFixed(2)}s on queue music-render`,
    () => `redis connection lost: ECONNREFUSED 127.0.0.1:6379, retrying in ${Math.floor(u() * 5000)} ms`,
    () => `slow query (${Math.floor(u() * 4000)} ms): SELECT * FROM tracks WHERE id = $1`,
    () => `wrote ${Math.floor(u() * 1e6)} bytes to /var/lib/xiaoyu/spool/${Math.floor(u() * 1e5)}.ndjson`,
    () => `heap used ${(u() * 900).toFixed(1)} MB of ${(1024).toFixed(0)} MB`,
    () => `request ${crypto.randomUUID()} rejected: rate limit exceeded for ${pick(users)}`,
  ];
  for (let k = 0; k < 32; k++)
    events.push(() => `component-${String.fromCharCode(97 + (k % 26))}${k} event ${pick(['started', 'stopped'])} after ${Math.floor(u() * 100)} ms`);
  return Array.from({ length: n }, () => pick(events)());
}

function main(): void {
  console.log('# AIOps engine speed (npm run bench:aiops-engine)\n');
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`CPU time of this process, median of ${RUNS} runs; everything here runs on one core.\n`);
  console.log('| what | input | CPU ms | throughput (one core) | target |');
  console.log('|---|---|---|---|---|');

  // 1. Anomaly detector.
  const series = Array.from({ length: 10 }, (_, k) => metric(100_000, k + 1));
  const streamMs = median(
    Array.from({ length: RUNS }, () =>
      cpuMs(() => {
        for (const s of series) {
          const d = new AnomalyDetector();
          for (const p of s) d.update(p.timestamp as number, p.value);
        }
      }),
    ),
  );
  console.log(
    `| AnomalyDetector.update (streaming) | 10 series × 100,000 points | ${streamMs.toFixed(0)} | ${rate(1_000_000, streamMs)} points/s | ≥ 100,000 points/s |`,
  );
  const big = metric(200_000, 99).map((p) => ({ timestamp: new Date(p.timestamp).toISOString(), value: p.value }));
  const detectMs = median(Array.from({ length: RUNS }, () => cpuMs(() => detect(big))));
  console.log(
    `| detect() (stateless API, ISO timestamps) | 200,000 points | ${detectMs.toFixed(0)} | ${rate(200_000, detectMs)} points/s | ≥ 100,000 points/s |`,
  );

  // 2. Log templates.
  const logs = serviceLogs(50_000, 7);
  const mineMs = median(Array.from({ length: RUNS }, () => cpuMs(() => mine(logs))));
  console.log(`| mine() (stateless API) | 50,000 synthetic service lines | ${mineMs.toFixed(0)} | ${rate(50_000, mineMs)} lines/s | ≥ 50,000 lines/s |`);
  const onlineMs = median(
    Array.from({ length: RUNS }, () =>
      cpuMs(() => {
        const m = new LogTemplateMiner();
        for (const l of logs) m.add(l);
      }),
    ),
  );
  console.log(
    `| LogTemplateMiner.add (online) | 50,000 synthetic service lines | ${onlineMs.toFixed(0)} | ${rate(50_000, onlineMs)} lines/s | ≥ 50,000 lines/s |`,
  );
  const loghub = join(DATASETS, 'loghub2k');
  if (existsSync(join(loghub, 'log-formats.json'))) {
    const contents = LOGHUB_SYSTEMS.flatMap((s) => loadSystem(loghub, s).contents);
    const times = Array.from({ length: RUNS }, () => cpuMs(() => LOGHUB_SYSTEMS.forEach((_, k) => mine(contents.slice(k * 2000, (k + 1) * 2000)))));
    const hubMs = median(times);
    console.log(`| mine() per system | LogHub-2k, 10 × 2,000 lines | ${hubMs.toFixed(0)} | ${rate(contents.length, hubMs)} lines/s | ≥ 50,000 lines/s |`);
    const joinedMs = median(Array.from({ length: RUNS }, () => cpuMs(() => mine(contents))));
    console.log(
      `| mine() all systems at once | LogHub-2k, 20,000 lines | ${joinedMs.toFixed(0)} | ${rate(contents.length, joinedMs)} lines/s | ≥ 50,000 lines/s |`,
    );
  } else {
    console.log(`| mine() on LogHub-2k | SKIPPED: ${loghub} not found (AIOPS_DATASETS_DIR) | | | |`);
  }

  // 3. Forecast and root-cause analysis, for scale.
  const ninety = metric(90 * 288, 3).map((p, i) => ({ timestamp: p.timestamp, value: p.value + i * 0.01 }));
  const fcMs = median(Array.from({ length: RUNS }, () => cpuMs(() => forecast(ninety, { limit: 1000 }))));
  console.log(`| forecast() with a limit | 90 days of 5-minute points (25,920) | ${fcMs.toFixed(0)} | ${rate(25_920, fcMs)} points/s | |`);
  const components = ['api', 'postgres', 'redis', 'elasticsearch', 'event-loop', 'memory', 'queue', 'worker'];
  const u = uniform(5);
  const signals = Array.from({ length: 1000 }, (_, i): AiopsSignal => {
    const start = Date.UTC(2024, 0, 1) + Math.floor(u() * 86_400_000);
    return { id: `s${i}`, kind: 'metric', component: components[Math.floor(u() * components.length)], start, end: start + 600_000, strength: u() };
  });
  const rcaMs = median(Array.from({ length: RUNS }, () => cpuMs(() => analyseIncidents(signals))));
  console.log(`| analyseIncidents() | 1,000 signals over a day, 8 components | ${rcaMs.toFixed(0)} | ${rate(1000, rcaMs)} signals/s | |`);
  console.log('');
}

main();
