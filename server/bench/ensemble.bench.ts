/**
 * npm run bench:ensemble — the real-time ensemble under load (issue 11), in one run, side by side:
 *   1. the platform, one replica: auth at the handshake, every event validated, msgpack, the Redis adapter, the
 *      accompanist in every room (half the rooms accompany, half call-and-response);
 *   2. a bare Socket.IO relay (no auth, no validation, no accompanist) on the same machine;
 *   3. the platform with two replicas behind the Redis adapter (each room's members spread over both).
 * 200 clients in rooms of 4–8, in two load processes (not the server's), each playing sixteenth notes (8 notes/s)
 * for two bars of every four at 120 BPM. One-way latency = arrival − send, both on the shared clock each client
 * estimates from ping/pong (median of round-trip midpoints); the clock-offset error is that estimate's distance from
 * the true offset (zero: every process reads the same host clock). The accompanist's reply is its first note after a
 * phrase (call-response: after its last note-off; accompany: after its first note-on), on the shared clock.
 * Phases 1 and 2 alternate over --rounds (3) rounds, the order swapped every round (platform first in odd rounds), so
 * that a shared machine's load drifts over both alike: the table gives each round and the medians side by side.
 * Both contenders first play --warmup (4) seconds unmeasured, so that neither's first round runs cold code.
 * Options: --clients 200 --seconds 24 --processes 2 --rounds 3 --warmup 4 (--only 1: phase 1 alone, --one-replica: phases 1 and
 * 2, --cpu-prof DIR profiles the servers, --replica-flags "--max-semi-space-size=32" starts the replicas with those
 * Node flags). Needs PostgreSQL and Redis (TEST_POSTGRES_ADMIN_URL, REDIS_URL).
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { PHRASE_PERIOD_MS, PHRASE_PLAY_MS, type LoadClient, type LoadJob, type LoadReport } from './ensemble/load-process';
import { ADMIN_URL, createScratchDatabase, type ScratchDatabase } from './lib/scratch-database';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CLIENTS = option('clients', 200);
const SECONDS = option('seconds', 24);
const PROCESSES = Math.max(2, option('processes', 2));
const ROUNDS = Math.max(1, option('rounds', 3));
/** Seconds of unmeasured play for each contender before the rounds, so that neither's first round runs cold code. */
const WARMUP_SECONDS = Math.max(0, option('warmup', 4));
/** --only 1|2|3 runs one phase (for profiling); the issue's comparison needs all three. */
const ONLY = option('only', 0);
/** --one-replica stops after the rounds of phases 1 and 2 (the p99 target's comparison). */
const ONE_REPLICA = args.includes('--one-replica');
/** --cpu-prof DIR writes a V8 CPU profile of every replica and the bare relay into DIR (open it in Chrome DevTools). */
const CPU_PROF_DIR = args.includes('--cpu-prof') ? resolve(args[args.indexOf('--cpu-prof') + 1]) : undefined;
/** --replica-flags "<node/V8 flags>" runs the platform replicas with them (the relay keeps Node's defaults): GC experiments. */
const REPLICA_NODE_FLAGS = args.includes('--replica-flags') ? args[args.indexOf('--replica-flags') + 1].split(' ').filter(Boolean) : [];
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BEAT_MS = 500;
const HERE = resolve(__dirname, 'ensemble');
const children: ChildProcess[] = [];
const clock = () => performance.timeOrigin + performance.now();

/** Forks a bench process; resolves once it says it is ready, with the port it listens on when it is a server. */
function startChild(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const profile = CPU_PROF_DIR && script !== 'load-process.ts' ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  if (script === 'server-process.ts') profile.push(...REPLICA_NODE_FLAGS);
  const child = fork(join(HERE, script), [], {
    execArgv: ['-r', '@swc-node/register', ...profile],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  child.on('error', () => undefined);
  return new Promise((resolveReady, reject) => {
    child.once('message', (ready: { port?: number }) => resolveReady({ child, url: `http://127.0.0.1:${ready.port}` }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    child.once('exit', () => resolveStop());
    if (child.connected) child.send({ exit: true }, () => undefined);
    setTimeout(() => child.kill('SIGTERM'), 5000).unref();
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Room sizes 4–8 adding up to the client count (seeded). */
function roomSizes(total: number): number[] {
  const sizes: number[] = [];
  let left = total;
  let s = 7;
  while (left > 0) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    let size = 4 + (s % 5);
    if (left - size < 4 && left - size !== 0) size = left <= 8 ? left : left - 4;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');

interface PhaseResult {
  name: string;
  clients: number;
  rooms: number;
  sent: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  offsetP50: number;
  offsetP95: number;
  replies?: { phrases: number; withinBeat: number; p50: number; p99: number; max: number; late: number; mode: string }[];
  errors: number;
  connectFailures: number;
  load: number;
  /** Accompanist notes the members received (the platform sends them beside the players' notes). */
  aiDelivered: number;
  /** Per replica (the bare relay's included): event-loop delay p99/max (ms), CPU time (ms), socket writes. */
  server: ServerStats[];
}

/** What a server process reports for a phase (server-process.ts, bare-relay.ts). */
interface ServerStats {
  loopP99Ms: number;
  loopMaxMs: number;
  cpuMs: number;
  /** TCP socket writes (write and writev system calls) during the phase. */
  writes: number;
  /** Garbage-collection pauses during the phase: how many, their total and the longest (ms). */
  gc: { pauses: number; totalMs: number; maxMs: number; minor: number; minorMs: number };
  /** V8 heap in use at the end of the phase (MB). */
  heapMb: number;
}

async function createRooms(url: string, tokens: string[], sizes: number[]): Promise<string[]> {
  const codes: string[] = [];
  for (const [i] of sizes.entries()) {
    const socket = io(`${url}/ensemble`, { auth: { token: tokens[i] }, parser: msgpackParser, transports: ['websocket'], forceNew: true, reconnection: false });
    const ack = (await socket.timeout(10_000).emitWithAck('room:create', {
      name: `bench room ${i}`,
      tempo: 120,
      capacity: 8,
      accompanist: { mode: i % 2 === 0 ? 'accompany' : 'call-response', style: 'pop' },
    })) as { ok: boolean; code: string };
    socket.close();
    if (!ack.ok) throw new Error(`room:create failed: ${JSON.stringify(ack)}`);
    codes.push(ack.code);
  }
  return codes;
}

/** Event-loop delay, CPU and writes of the servers since the last call. */
function serverStats(servers: ChildProcess[]): Promise<ServerStats[]> {
  return Promise.all(
    servers.map(
      (child) =>
        new Promise<ServerStats>((resolveStats) => {
          const listener = (message: { stats?: ServerStats }) => {
            if (!message.stats) return;
            child.off('message', listener);
            resolveStats(message.stats);
          };
          child.on('message', listener);
          child.send({ stats: true });
        }),
    ),
  );
}

async function phase(
  name: string,
  kind: 'ensemble' | 'bare',
  servers: ChildProcess[],
  urls: string[],
  tokens: string[],
  sizes: number[],
  codes: string[],
  seconds = SECONDS,
): Promise<PhaseResult> {
  await serverStats(servers);
  const loadBefore = loadavg()[0];
  const clients: LoadClient[] = [];
  let c = 0;
  for (const [room, size] of sizes.entries()) {
    // Rooms started at different moments: their bar grids are out of phase with one another.
    const roomOffset = 1000 + ((room * 997) % PHRASE_PERIOD_MS);
    for (let m = 0; m < size; m += 1, c += 1)
      clients.push({ token: tokens[c], url: urls[c % urls.length], code: codes[room], room, roomSize: size, roomOffset });
  }
  const playMs = 1000 + PHRASE_PERIOD_MS + seconds * 1000;
  const loaders = (await Promise.all(Array.from({ length: PROCESSES }, () => startChild('load-process.ts', {})))).map((started) => started.child);
  const connected: Promise<void>[] = [];
  const reports = Promise.all(
    loaders.map(
      (loader, p) =>
        new Promise<LoadReport>((resolveReport, reject) => {
          let signalConnected: () => void = () => undefined;
          connected.push(new Promise<void>((resolveConnected) => (signalConnected = resolveConnected)));
          loader.on('message', (message: { report?: LoadReport; connected?: number }) => {
            if (message.connected !== undefined) signalConnected();
            if (message.report) resolveReport(message.report);
          });
          loader.once('exit', (code) => code !== 0 && reject(new Error(`load process exited with ${code}`)));
          const job: LoadJob = { kind, clients: clients.filter((_, i) => i % PROCESSES === p), playMs, seed: 1000 + p };
          loader.send(job);
        }),
    ),
  );
  // Play starts when every client of every process is connected, clock-synchronised and in its room.
  await Promise.all(connected);
  const startAt = clock() + 500;
  for (const loader of loaders) loader.send({ startAt });
  const phaseReports = await reports;
  const stats = await serverStats(servers);
  const latencies = phaseReports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const offsets = phaseReports.flatMap((r) => r.offsetErrors).sort((a, b) => a - b);
  const result: PhaseResult = {
    name,
    clients: clients.length,
    rooms: sizes.length,
    sent: phaseReports.reduce((n, r) => n + r.sent, 0),
    delivered: latencies.length,
    expected: phaseReports.reduce((n, r) => n + r.expected, 0),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    offsetP50: quantile(offsets, 0.5),
    offsetP95: quantile(offsets, 0.95),
    errors: phaseReports.reduce((n, r) => n + r.errors, 0),
    connectFailures: phaseReports.reduce((n, r) => n + r.connectFailures, 0),
    load: (loadBefore + loadavg()[0]) / 2,
    aiDelivered: phaseReports.reduce((n, r) => n + r.aiReceived, 0),
    server: stats,
  };
  if (kind === 'ensemble') result.replies = replies(phaseReports, sizes.length);
  return result;
}

/** Per phrase of every room: the accompanist's first note after the phrase's last note-off (call-response) or first note-on (accompany). */
function replies(reports: LoadReport[], rooms: number): PhaseResult['replies'] {
  const out: NonNullable<PhaseResult['replies']> = [];
  for (const mode of ['accompany', 'call-response'] as const) {
    const delays: number[] = [];
    let phrases = 0;
    let late = 0;
    for (let room = mode === 'accompany' ? 0 : 1; room < rooms; room += 2) {
      const parts = reports.flatMap((r) => r.rooms.filter((x) => x.room === room));
      const ai = parts.flatMap((x) => x.aiOns).sort((a, b) => a[0] - b[0]);
      const phraseIds = [...new Set(parts.flatMap((x) => Object.keys(mode === 'accompany' ? x.firstOn : x.lastOff).map(Number)))];
      for (const id of phraseIds) {
        const anchor =
          mode === 'accompany' ? Math.min(...parts.map((x) => x.firstOn[id] ?? Infinity)) : Math.max(...parts.map((x) => x.lastOff[id] ?? -Infinity));
        // A reply belongs to this phrase if it comes before the next phrase starts.
        const next = anchor + (mode === 'accompany' ? PHRASE_PLAY_MS : PHRASE_PERIOD_MS - PHRASE_PLAY_MS);
        const first = ai.find(([time]) => time >= anchor - 1 && time < next);
        phrases += 1;
        if (!first) {
          delays.push(Infinity);
          continue;
        }
        delays.push(first[0] - anchor);
        if (first[1] > first[0]) late += 1;
      }
    }
    delays.sort((a, b) => a - b);
    out.push({
      mode,
      phrases,
      withinBeat: delays.filter((d) => d <= BEAT_MS).length,
      p50: quantile(delays, 0.5),
      p99: quantile(delays, 0.99),
      max: delays[delays.length - 1] ?? NaN,
      late,
    });
  }
  return out;
}

async function main(): Promise<void> {
  let database: ScratchDatabase;
  try {
    database = await createScratchDatabase('bench');
  } catch (error) {
    console.log(`bench:ensemble skipped: PostgreSQL is not reachable at ${ADMIN_URL} (${error instanceof Error ? error.message : String(error)}).`);
    return;
  }
  const databaseUrl = database.url;
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-bench-ensemble-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const serverEnv = () => ({
    NODE_ENV: 'production',
    ROLE: 'api',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    JWT_ACCESS_TTL: '3600',
    LOG_LEVEL: 'error',
    AUTH_RATE_LIMIT: '100000',
    API_RATE_LIMIT: '1000000',
  });
  const results: PhaseResult[] = [];
  try {
    const env1 = serverEnv();
    const jwtSecret = env1.JWT_SECRET;
    const { child: server, url: url1 } = await startChild('server-process.ts', env1);

    // 200 users (each client is a person with a token).
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, CLIENTS - i) }, async (_, k) => {
          const response = await fetch(`${url1}/api/auth/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `bench-${i + k}-${prefix}@xiaoyu.test`, password: 'bench-password-1' }),
          });
          if (!response.ok) throw new Error(`register: ${response.status} ${await response.text()}`);
          return ((await response.json()) as { accessToken: string }).accessToken;
        }),
      );
      tokens.push(...batch);
    }
    const sizes = roomSizes(CLIENTS);
    console.log(
      `${CLIENTS} clients in ${sizes.length} rooms of ${Math.min(...sizes)}–${Math.max(...sizes)}, ${PROCESSES} load processes, ${SECONDS} s of play per phase`,
    );
    // Each platform phase plays in rooms of its own, created for it (the previous phase's members have left theirs).
    const platformPhase = async (round: number, seconds = SECONDS) =>
      phase(
        `platform, 1 replica${ROUNDS > 1 ? ` (round ${round})` : ''}`,
        'ensemble',
        [server],
        [url1],
        tokens,
        sizes,
        await createRooms(url1, tokens, sizes),
        seconds,
      );
    if (ONLY === 1) {
      results.push(await platformPhase(1));
      await stop(server);
      return;
    }

    const { child: bare, url: bareUrl } = await startChild('bare-relay.ts', {});
    const barePhase = async (round: number, seconds = SECONDS) =>
      phase(
        `bare Socket.IO relay${ROUNDS > 1 ? ` (round ${round})` : ''}`,
        'bare',
        [bare],
        [bareUrl],
        tokens,
        sizes,
        sizes.map((_, i) => `room-${i}`),
        seconds,
      );
    if (WARMUP_SECONDS > 0) {
      await platformPhase(0, WARMUP_SECONDS);
      await barePhase(0, WARMUP_SECONDS);
      console.log(`  warm-up done (${WARMUP_SECONDS} s of unmeasured play each)`);
    }
    for (let round = 1; round <= ROUNDS; round += 1) {
      if (round % 2 === 1) {
        results.push(await platformPhase(round));
        results.push(await barePhase(round));
      } else {
        results.push(await barePhase(round));
        results.push(await platformPhase(round));
      }
      console.log(`  round ${round} of ${ROUNDS} done`);
    }
    await stop(bare);
    await stop(server);
    if (ONE_REPLICA) return;

    // Two replicas: a fresh first one (so the rounds' rooms are gone from its memory) and a second on the same Redis/DB.
    const env = { ...serverEnv(), JWT_SECRET: jwtSecret };
    const started = await Promise.all([startChild('server-process.ts', env), startChild('server-process.ts', env)]);
    const replicas = started.map((s) => s.child);
    const urls = started.map((s) => s.url);
    results.push(await phase('platform, 2 replicas + Redis adapter', 'ensemble', replicas, urls, tokens, sizes, await createRooms(urls[0], tokens, sizes)));
    console.log('  two replicas done');
  } finally {
    await Promise.all(children.map(stop));
    print(results);
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const cpuPerNote = (r: PhaseResult) => (r.delivered ? (1000 * r.server.reduce((n, x) => n + x.cpuMs, 0)) / r.delivered : NaN);
const writesPerNote = (r: PhaseResult) => (r.delivered ? r.server.reduce((n, x) => n + x.writes, 0) / r.delivered : NaN);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function print(results: PhaseResult[]): void {
  console.log('\nOne-way latency, send → receipt by the other members (shared clock, ms)');
  console.log(
    '| contender | clients | rooms | notes sent | delivered / expected | accompanist notes delivered | p50 | p99 | max | clock error p50 / p95 | errors | server loop delay p99 / max | server GC pauses: n, total / max ms (scavenges: n, ms) | server heap MB | server CPU s | CPU µs / delivered note | socket writes / delivered note | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.clients - r.connectFailures} | ${r.rooms} | ${r.sent} | ${r.delivered} / ${r.expected} | ${r.aiDelivered} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.offsetP50.toFixed(2)} / ${r.offsetP95.toFixed(2)} | ${r.errors} | ${r.server.map((x) => `${ms(x.loopP99Ms)} / ${ms(x.loopMaxMs)}`).join(', ')} | ${r.server.map((x) => `${x.gc.pauses}, ${x.gc.totalMs.toFixed(0)} / ${x.gc.maxMs.toFixed(1)} (${x.gc.minor}, ${x.gc.minorMs.toFixed(0)})`).join('; ')} | ${r.server.map((x) => x.heapMb.toFixed(0)).join(' + ')} | ${r.server.map((x) => (x.cpuMs / 1000).toFixed(1)).join(' + ')} | ${cpuPerNote(r).toFixed(0)} | ${writesPerNote(r).toFixed(2)} | ${r.load.toFixed(1)} |`,
    );
  }
  console.log('\nAccompanist reply (first note after the phrase; one beat = 500 ms at 120 BPM)');
  console.log('| contender | mode | phrases | within one beat | p50 | p99 | max | arrived after its time |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results)
    for (const x of r.replies ?? [])
      console.log(`| ${r.name} | ${x.mode} | ${x.phrases} | ${x.withinBeat} | ${ms(x.p50)} | ${ms(x.p99)} | ${ms(x.max)} | ${x.late} |`);
  const platform = results.filter((r) => r.name.startsWith('platform, 1 replica'));
  const bare = results.filter((r) => r.name.startsWith('bare'));
  const two = results.find((r) => r.name.startsWith('platform, 2 replicas'));
  if (bare.length === 0) return;
  const rounds = platform.map((p, i) => ({ platform: p, bare: bare[i] })).filter((x) => x.bare);
  console.log('\nOne replica against the bare relay, round by round (phases alternate; ms and µs)');
  console.log('| round | platform p99 | relay p99 | platform CPU µs / note | relay CPU µs / note | CPU ratio | platform / relay writes per note | load avg |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [i, x] of rounds.entries()) {
    console.log(
      `| ${i + 1} | ${ms(x.platform.p99)} | ${ms(x.bare.p99)} | ${cpuPerNote(x.platform).toFixed(0)} | ${cpuPerNote(x.bare).toFixed(0)} | ${(cpuPerNote(x.platform) / cpuPerNote(x.bare)).toFixed(2)} | ${writesPerNote(x.platform).toFixed(2)} / ${writesPerNote(x.bare).toFixed(2)} | ${((x.platform.load + x.bare.load) / 2).toFixed(1)} |`,
    );
  }
  const p99 = { platform: median(rounds.map((x) => x.platform.p99)), bare: median(rounds.map((x) => x.bare.p99)) };
  const ratio = median(rounds.map((x) => cpuPerNote(x.platform) / cpuPerNote(x.bare)));
  console.log(
    `| median | ${ms(p99.platform)} | ${ms(p99.bare)} | ${median(rounds.map((x) => cpuPerNote(x.platform))).toFixed(0)} | ${median(rounds.map((x) => cpuPerNote(x.bare))).toFixed(0)} | ${ratio.toFixed(2)} | | |`,
  );
  const wins = rounds.filter((x) => x.platform.p99 <= x.bare.p99).length;
  console.log('\nTargets');
  console.log(
    `- p99 with one replica not above the bare relay's, median of ${rounds.length} round(s) (${ms(p99.platform)} vs ${ms(p99.bare)}): ${p99.platform <= p99.bare ? 'met' : 'NOT met'} (met in ${wins} of ${rounds.length} rounds)`,
  );
  if (!two) return;
  const offsets = [...platform, two].map((r) => r.offsetP95);
  console.log(`- clock-offset error p95 < 2 ms: ${Math.max(...offsets) < 2 ? 'met' : 'NOT met'} (${offsets.map((x) => x.toFixed(2)).join(', ')})`);
  const all = [...platform, two].flatMap((r) => r.replies ?? []);
  console.log(`- accompanist reply within one beat for every phrase: ${all.every((x) => x.withinBeat === x.phrases) ? 'met' : 'NOT met'}`);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await Promise.all(children.map(stop));
  process.exit(1);
});
