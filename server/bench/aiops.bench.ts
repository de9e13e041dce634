/**
 * npm run bench:aiops — fault-injection benchmark of the AIOps service (issue 12).
 *
 * Starts the platform (bench/aiops-target.ts: the real app plus bench-only fault switches) as a child process with
 * its own PostgreSQL database, its own redis-server on another port and a fake Elasticsearch (test/support's
 * FakeBulkServer), drives realistic traffic (a signed-in user browsing, health probes, a route that can break), and:
 *   1. healthy traffic for --healthy-minutes (default 10): every incident opened counts as a false incident;
 *   2. one fault at a time: Redis down, Redis slow, PostgreSQL pool exhaustion, Elasticsearch down, a stuck worker with
 *      a growing backlog, an event-loop block, a memory leak, an error burst from a broken route. Per fault: detected
 *      or not, time to detect, the cause ranked first (and whether the right one is in the top 3), the top fix and
 *      whether it (applied automatically by policy, or dry-run + applied as an admin would) ended the incident while
 *      the fault lasted; then the fault is removed and the incident must resolve;
 *   3. collection CPU overhead: process CPU with collection off vs on (default 15 s interval), same traffic.
 * Options: --healthy-minutes <n> (10, fractions allowed), --interval-ms <n> collection interval during 1 and 2 (5000),
 * --only <fault,...>, --overhead-seconds <n> (120; 0 skips part 3), --healthy-only (part 1 alone: prints the false
 * incidents with their alerts and exits 1 when there is any).
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeBulkServer } from '../test/support/fake-bulk-server';
import { createScratchDatabase } from './lib/scratch-database';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const HEALTHY_MINUTES = Number(option('healthy-minutes') ?? 10);
const INTERVAL_MS = Number(option('interval-ms') ?? 5000);
const OVERHEAD_SECONDS = Number(option('overhead-seconds') ?? 120);
const ONLY = option('only')?.split(',');
const HEALTHY_ONLY = args.includes('--healthy-only');
const ADMIN = { email: 'bench-admin@xiaoyu.test', password: 'bench-admin-password' };
const DETECT_TIMEOUT_MS = 90_000;
const FIX_WAIT_MS = 20_000;
const RESOLVE_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`[bench:aiops ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePort(port));
    });
  });
}

/** A redis-server of our own, which faults may stop, slow down and restart. */
class OwnRedis {
  private process?: ChildProcess;
  private slower?: Socket;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (await this.ping()) return;
      await sleep(100);
    }
    throw new Error('redis-server did not start');
  }

  async kill(): Promise<void> {
    this.process?.kill('SIGKILL');
    await sleep(200);
  }

  private ping(): Promise<boolean> {
    return new Promise((res) => {
      const socket = new Socket();
      socket.once('error', () => res(false));
      socket.connect(this.port, '127.0.0.1', () => {
        socket.write('PING\r\n');
        socket.once('data', (d) => {
          socket.destroy();
          res(d.toString().startsWith('+PONG'));
        });
      });
    });
  }

  /** Pauses every client for 150 ms out of each 200 (CLIENT PAUSE), as an overloaded or swapping server would. */
  slow(): void {
    const socket = new Socket();
    socket.on('error', () => undefined);
    socket.connect(this.port, '127.0.0.1');
    const timer = setInterval(() => socket.write('CLIENT PAUSE 150 ALL\r\n'), 200);
    socket.on('close', () => clearInterval(timer));
    socket.on('data', () => undefined);
    this.slower = socket;
  }

  unslow(): void {
    this.slower?.destroy();
    this.slower = undefined;
  }

  stop(): void {
    this.unslow();
    this.process?.kill('SIGKILL');
  }
}

interface Target {
  child: ChildProcess;
  url: string;
}

async function startTarget(env: Record<string, string>, logFile: string): Promise<Target> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const child = fork(resolve(__dirname, 'aiops-target.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', out, out, 'ipc'],
  });
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('the target did not start within 120 s')), 120_000);
    child.once('message', () => {
      clearTimeout(timer);
      res();
    });
    child.once('exit', (code) => rej(new Error(`the target exited with ${code} (see ${logFile})`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stopTarget(target: Target): Promise<void> {
  target.child.kill('SIGTERM');
  await Promise.race([new Promise((r) => target.child.once('exit', r)), sleep(15_000)]);
  target.child.kill('SIGKILL');
}

class Http {
  token = '';
  constructor(readonly base: string) {}
  async call<T>(method: string, path: string, body?: unknown, token = this.token): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** ~8 requests per second of what a signed-in user and the probes do; stops when told. */
function driveTraffic(base: string, userToken: string): { stop: () => void; counts: { ok: number; failed: number } } {
  const counts = { ok: 0, failed: 0 };
  let running = true;
  const paths = ['/api/health/live', '/api/music/catalog', '/api/auth/me', '/api/bench/broken', '/api/music/catalog', '/api/health/ready', '/api/system/info'];
  const loop = async (offset: number) => {
    let i = offset;
    while (running) {
      const path = paths[i++ % paths.length];
      try {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${userToken}` }, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status < 500) counts.ok++;
        else counts.failed++;
      } catch {
        counts.failed++;
      }
      await sleep(250);
    }
  };
  loop(0).catch(() => undefined);
  loop(3).catch(() => undefined);
  return { stop: () => (running = false), counts };
}

interface IncidentSummary {
  id: string;
  title: string;
  severity: string;
  state: string;
  topCause: string | null;
  startedAt: string;
}
interface Detail extends IncidentSummary {
  causes: { component: string; score: number }[];
  fixes: { id: string; title: string; action?: string; automatic: boolean; available: boolean }[];
  audit: { mode: string; outcome: string; automatic: boolean; fixId: string }[];
  alerts: { name: string; summary: string; state: string; lastSeenAt: string }[];
}

interface FaultSpec {
  name: string;
  expected: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface FaultRow {
  fault: string;
  detected: boolean;
  ttdSec: number | null;
  first: string;
  rightFirst: boolean;
  inTop3: boolean;
  topFix: string;
  fixApplied: string;
  fixEnded: boolean;
  resolvedAfterRemoval: boolean;
  note: string;
}

async function main(): Promise<void> {
  const database = await createScratchDatabase('bench_aiops');
  const redis = new OwnRedis(await freePort());
  await redis.start();
  const es = new FakeBulkServer();
  const esUrl = await es.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-bench-aiops-'));
  const logFile = join(dataDir, 'target.log');
  const baseEnv = {
    NODE_ENV: 'production',
    JWT_SECRET: randomUUID() + randomUUID(),
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}`,
    ENABLE_LOG_AGGREGATION: 'true',
    ELASTICSEARCH_URL: esUrl,
    LOG_FLUSH_INTERVAL_MS: '500',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    API_RATE_LIMIT: '1000000',
    MUSIC_RENDER_WORKERS: '1',
    AIOPS_RESOLVE_AFTER_MS: '30000',
    // a full run takes about 17 minutes, past the default 15-minute access token: its last fault read 401s
    JWT_ACCESS_TTL: String(4 * 3600),
  };
  let target: Target | undefined;
  let traffic: ReturnType<typeof driveTraffic> | undefined;
  try {
    log(`target log: ${logFile}`);
    target = await startTarget({ ...baseEnv, AIOPS_COLLECT_INTERVAL_MS: String(INTERVAL_MS) }, logFile);
    const http = new Http(target.url);
    http.token = (await http.call<{ accessToken: string }>('POST', '/api/auth/login', ADMIN, '')).body.accessToken;
    const userToken = (
      await http.call<{ accessToken: string }>('POST', '/api/auth/register', { email: `u-${randomUUID().slice(0, 6)}@x.test`, password: 'user-password-1' }, '')
    ).body.accessToken;
    traffic = driveTraffic(target.url, userToken);
    // an answer that is not the list (a 5xx while the database is held) counts as none yet
    const incidents = async () => {
      const { body } = await http.call<IncidentSummary[]>('GET', '/api/aiops/incidents?limit=500').catch(() => ({ body: [] as IncidentSummary[] }));
      return Array.isArray(body) ? body : [];
    };
    // likewise one incident: a fault that holds the database can answer 503 for a while, so ask again
    const incidentDetail = async (id: string, patienceMs = 30_000): Promise<Detail | undefined> => {
      const deadline = Date.now() + patienceMs;
      for (;;) {
        const answer = await http.call<Detail>('GET', `/api/aiops/incidents/${id}`).catch(() => undefined);
        if (answer?.status === 200) return answer.body;
        if (Date.now() >= deadline) {
          if (patienceMs > 0) log(`incident ${id}: no detail in ${patienceMs / 1000} s (last answer: ${answer?.status ?? 'none'})`);
          return undefined;
        }
        await sleep(1000);
      }
    };

    // 1. healthy traffic
    log(`healthy traffic for ${HEALTHY_MINUTES} min (collection every ${INTERVAL_MS / 1000} s)`);
    const healthyStart = Date.now();
    await sleep(HEALTHY_MINUTES * 60_000);
    const falseIncidents = (await incidents()).filter((i) => Date.parse(i.startedAt) >= healthyStart - INTERVAL_MS);
    log(`false incidents during healthy traffic: ${falseIncidents.length} ${falseIncidents.map((i) => i.title).join(' | ')}`);
    const falseAlerts = new Map<string, string[]>();
    for (const i of falseIncidents) {
      const detail = await incidentDetail(i.id);
      falseAlerts.set(i.id, detail ? detail.alerts.map((a) => `${a.name}: ${a.summary}`) : ['(detail unavailable)']);
    }
    const seen = new Set((await incidents()).map((i) => i.id));
    const healthyCounts = { ...traffic.counts };

    // 2. faults
    const fault = (name: string) => async () => void (await http.call('POST', `/__bench/fault/${name}/start`));
    const unfault = (name: string) => async () => void (await http.call('POST', `/__bench/fault/${name}/stop`));
    const faults: FaultSpec[] = [
      { name: 'redis-slow', expected: ['redis'], start: () => Promise.resolve(redis.slow()), stop: () => Promise.resolve(redis.unslow()) },
      { name: 'db-pool', expected: ['postgres'], start: fault('db-pool'), stop: unfault('db-pool') },
      { name: 'elasticsearch-down', expected: ['elasticsearch'], start: () => es.goDown(), stop: () => es.comeBack() },
      { name: 'stuck-worker', expected: ['worker', 'queue'], start: fault('stuck-worker'), stop: unfault('stuck-worker') },
      { name: 'event-loop', expected: ['event-loop'], start: fault('event-loop'), stop: unfault('event-loop') },
      { name: 'memory-leak', expected: ['memory'], start: fault('memory-leak'), stop: unfault('memory-leak') },
      { name: 'broken-route', expected: ['api'], start: fault('broken-route'), stop: unfault('broken-route') },
      { name: 'redis-down', expected: ['redis'], start: () => redis.kill(), stop: () => redis.start() },
    ].filter((f) => !HEALTHY_ONLY && (!ONLY || ONLY.includes(f.name)));
    const rows: FaultRow[] = [];
    for (const spec of faults) {
      // each fault starts from a quiet platform: no open incident it could merge into
      const quietBy = Date.now() + 120_000;
      let open = (await incidents()).filter((i) => i.state !== 'resolved');
      while (open.length && Date.now() < quietBy) {
        await sleep(2000);
        open = (await incidents().catch(() => [])).filter((i) => i.state !== 'resolved');
      }
      for (const i of await incidents()) seen.add(i.id);
      if (open.length) log(`fault ${spec.name}: ${open.length} incident(s) still open before it: ${open.map((i) => i.title).join(' | ')}`);
      log(`fault ${spec.name}: start`);
      const t0 = Date.now();
      await spec.start();
      let found: IncidentSummary | undefined;
      while (!found && Date.now() - t0 < DETECT_TIMEOUT_MS) {
        await sleep(1000);
        found = (await incidents().catch(() => [])).find((i) => !seen.has(i.id) && i.state !== 'resolved');
      }
      const ttd = found ? (Date.now() - t0) / 1000 : null;
      const row: FaultRow = {
        fault: spec.name,
        detected: !!found,
        ttdSec: ttd,
        first: '—',
        rightFirst: false,
        inTop3: false,
        topFix: '—',
        fixApplied: '—',
        fixEnded: false,
        resolvedAfterRemoval: false,
        note: '',
      };
      let detail: Detail | undefined;
      if (found) {
        seen.add(found.id);
        await sleep(10_000); // let the ranking settle on what the fault produces
        detail = await incidentDetail(found.id);
        if (!detail) row.note = 'the incident detail did not answer within 30 s; ';
      }
      if (found && detail) {
        row.first = detail.causes[0]?.component ?? '—';
        row.rightFirst = spec.expected.includes(row.first);
        row.inTop3 = detail.causes.slice(0, 3).some((c) => spec.expected.includes(c.component));
        const top = detail.fixes[0];
        row.topFix = top ? top.id : '—';
        const auto = detail.audit.find((a) => a.automatic && a.mode === 'execute');
        if (auto) row.fixApplied = `auto: ${auto.fixId} (${auto.outcome})`;
        else {
          const runnable = detail.fixes.find((f) => f.action && f.available);
          if (runnable) {
            await http.call('POST', `/api/aiops/incidents/${found.id}/fixes/${encodeURIComponent(runnable.id)}/dry-run`);
            const exec = await http.call<{ outcome: string }>('POST', `/api/aiops/incidents/${found.id}/fixes/${encodeURIComponent(runnable.id)}/execute`);
            row.fixApplied = `admin: ${runnable.id} (${exec.body?.outcome ?? exec.status})`;
          } else row.fixApplied = `runbook: ${top?.id ?? '—'}`;
        }
        const fixDeadline = Date.now() + FIX_WAIT_MS;
        while (Date.now() < fixDeadline) {
          const current = await incidentDetail(found.id, 0);
          if (current?.state === 'resolved') {
            row.fixEnded = true;
            break;
          }
          await sleep(2000);
        }
      }
      log(`fault ${spec.name}: remove`);
      await spec.stop();
      if (found) {
        const deadline = Date.now() + RESOLVE_TIMEOUT_MS;
        while (Date.now() < deadline) {
          const current = await incidentDetail(found.id, 0);
          if (current?.state === 'resolved') {
            row.resolvedAfterRemoval = true;
            break;
          }
          await sleep(2000);
        }
        if (!row.resolvedAfterRemoval) {
          const firing = (await incidentDetail(found.id, 0))?.alerts.filter((a) => a.state === 'firing') ?? [];
          row.note += `still firing: ${firing.map((a) => `${a.name} (last seen ${a.lastSeenAt.slice(11, 19)})`).join(', ') || 'none'}; `;
        }
      }
      // other incidents the fault opened (symptoms split off) are counted, then everything settles
      await sleep(10_000);
      const extra = (await incidents().catch(() => [])).filter((i) => !seen.has(i.id));
      for (const i of extra) seen.add(i.id);
      if (extra.length) row.note += `+${extra.length} other incident(s): ${extra.map((i) => i.topCause).join(', ')}`;
      rows.push(row);
      log(`fault ${spec.name}: ${JSON.stringify(row)}`);
    }
    traffic.stop();
    await stopTarget(target);
    target = undefined;

    // 3. collection overhead at the default interval
    const overhead: { label: string; cpuPct: number; requests: number }[] = [];
    if (OVERHEAD_SECONDS > 0 && !HEALTHY_ONLY) {
      for (const collect of ['false', 'true']) {
        const t = await startTarget(
          { ...baseEnv, AIOPS_COLLECT: collect, AIOPS_COLLECT_INTERVAL_MS: '15000', QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}` },
          logFile,
        );
        const h = new Http(t.url);
        const token = (await h.call<{ accessToken: string }>('POST', '/api/auth/login', ADMIN, '')).body.accessToken;
        const load = driveTraffic(t.url, token);
        await sleep(20_000);
        const before = (await h.call<{ cpuUs: number }>('GET', '/__bench/cpu')).body.cpuUs;
        const started = Date.now();
        const okBefore = load.counts.ok;
        await sleep(OVERHEAD_SECONDS * 1000);
        const after = (await h.call<{ cpuUs: number }>('GET', '/__bench/cpu')).body.cpuUs;
        overhead.push({
          label: collect === 'true' ? 'collection on (15 s)' : 'collection off',
          cpuPct: ((after - before) / 1000 / (Date.now() - started)) * 100,
          requests: load.counts.ok - okBefore,
        });
        load.stop();
        await stopTarget(t);
      }
    }

    // tables
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\nAIOps fault injection (collection every ${INTERVAL_MS / 1000} s; own PostgreSQL db, own redis-server :${redis.port}, fake Elasticsearch)\n`);
    console.log(
      `healthy traffic: ${HEALTHY_MINUTES} min, ${healthyCounts.ok} requests ok, ${healthyCounts.failed} failed; false incidents: ${falseIncidents.length}`,
    );
    for (const i of falseIncidents) console.log(`  false incident: ${i.title} (${i.topCause}); alerts: ${(falseAlerts.get(i.id) ?? []).join(' | ')}`);
    if (HEALTHY_ONLY) {
      process.exitCode = falseIncidents.length ? 1 : 0;
      return;
    }
    console.log('');
    console.log(
      `| ${pad('fault', 19)}| detected | time to detect | ${pad('cause ranked first', 19)}| right first | right in top 3 | ${pad('fix', 45)}| fix ended it | resolved after removal | note`,
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${pad(r.fault, 19)}| ${r.detected ? 'yes' : 'NO '} | ${r.ttdSec === null ? '—' : `${r.ttdSec.toFixed(0)} s`} | ${pad(r.first, 19)}| ${r.rightFirst ? 'yes' : 'no'} | ${r.inTop3 ? 'yes' : 'no'} | ${pad(r.fixApplied, 45)}| ${r.fixEnded ? 'yes' : 'no'} | ${r.resolvedAfterRemoval ? 'yes' : 'no'} | ${r.note}`,
      );
    }
    const n = rows.length || 1;
    console.log(
      `\ndetected ${rows.filter((r) => r.detected).length}/${rows.length} (within 60 s: ${rows.filter((r) => r.ttdSec !== null && r.ttdSec <= 60).length}); right cause first ${Math.round((rows.filter((r) => r.rightFirst).length / n) * 100)}%, in top 3 ${Math.round((rows.filter((r) => r.inTop3).length / n) * 100)}%`,
    );
    if (overhead.length === 2) {
      console.log('\n| collection CPU overhead | process CPU | requests served |');
      console.log('|---|---|---|');
      for (const o of overhead) console.log(`| ${o.label} | ${o.cpuPct.toFixed(2)}% of a core | ${o.requests} |`);
      console.log(`| difference | ${(overhead[1].cpuPct - overhead[0].cpuPct).toFixed(2)} percentage points | |`);
    }
  } finally {
    traffic?.stop();
    if (target) await stopTarget(target);
    redis.stop();
    await es.stop();
    await database.drop();
    if (!process.env.AIOPS_BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:aiops failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
