/**
 * npm run bench:soak [-- --minutes 10 --rate 12]
 *
 * Runs the real server (ROLE=all, its own PostgreSQL database, its own redis-server, the fake Elasticsearch bulk
 * server) under steady, mixed traffic as users make it (sign-ups, logins, music by emotion and topic, downloads with
 * Range, history, log search, health and metrics scrapes) while the dependencies fail on a schedule:
 * PostgreSQL connections are terminated (pg_terminate_backend), Redis is restarted, Elasticsearch goes away and
 * comes back. Prints requests, error rate by status, p50/p99 per route over time, RSS/heap/open files at start and
 * end, jobs submitted vs completed, process restarts, and how fast p99 returns to its baseline after each recovery.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FakeBulkServer } from '../test/support/fake-bulk-server';
import { ADMIN_URL, createScratchDatabase } from './lib/scratch-database';

const SERVER_DIR = join(__dirname, '..');
const ADMIN = { email: 'soak-admin@xiaoyu.test', password: 'soak-admin-password-1' };

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const MINUTES = option('minutes', 10);
const RATE = option('rate', 12);
const DURATION_MS = MINUTES * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const randomPort = () => 20_000 + Math.floor(Math.random() * 20_000);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

// ---------------------------------------------------------------------------------------------- dependencies

async function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** A redis-server of our own (append-only file, so queued and active jobs survive a restart, as in production). */
class RedisServer {
  private child?: ChildProcess;
  readonly port = randomPort();
  private readonly dir = mkdtempSync(join(tmpdir(), 'soak-redis-'));

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', this.dir],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100 && !(await redisPing(this.port)); i++) await sleep(100);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Terminates every connection the application holds to its database; returns how many. */
async function dropConnections(database: string): Promise<number> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  const result = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
  await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
  await client.end();
  return result.rowCount ?? 0;
}

// ---------------------------------------------------------------------------------------------- the server

/** The server as a supervised child: an unexpected exit is counted and the process started again (as Kubernetes would). */
class SupervisedServer {
  private child?: ChildProcess;
  private stopping = false;
  restarts = 0;
  readonly base: string;
  private readonly log = createWriteStream(join(tmpdir(), `soak-server-${process.pid}.log`));

  constructor(
    private readonly env: Record<string, string>,
    readonly port = randomPort(),
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logPath(): string {
    return String(this.log.path);
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: SERVER_DIR,
      env: { ...process.env, NODE_OPTIONS: '', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(this.log, { end: false });
    child.stderr.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.restarts++;
      process.stdout.write(`  ! server exited (${code ?? signal}); restarting\n`);
      this.start().catch((error: unknown) => process.stderr.write(`  ! restart failed: ${String(error)}\n`));
    });
    this.child = child;
    for (let i = 0; i < 240; i++) {
      const live = await fetch(`${this.base}/api/health/live`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (live) return;
      await sleep(250);
    }
    throw new Error(`the server did not become live; see ${this.logPath}`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    this.log.end();
  }
}

// ---------------------------------------------------------------------------------------------- traffic

interface Sample {
  at: number;
  route: string;
  status: number;
  ms: number;
  retryAfter: boolean;
}

interface User {
  email: string;
  token: string;
}

interface Generation {
  id: string;
  owner: User;
  state: 'pending' | 'completed' | 'failed';
}

const TOPICS = ['雨夜里的思念', 'a sunny morning at the beach', '秋天的落叶', 'racing through the city at night', 'a quiet library', '生日快乐'];
const EMOTIONS = ['happy', 'sad', 'calm', 'energetic', 'tense', 'romantic', '开心', '平静'];
const LOG_QUERIES = ['error', 'music', 'GET', 'timeout -health', 'generation'];

class Traffic {
  readonly samples: Sample[] = [];
  readonly users: User[] = [];
  readonly generations: Generation[] = [];
  submitted = 0;
  refused = 0;
  inFlight = 0;
  skipped = 0;
  admin!: User;

  constructor(
    private readonly base: string,
    private readonly started: number,
  ) {}

  async call(route: string, path: string, init: RequestInit & { token?: string } = {}): Promise<Response | undefined> {
    const begun = performance.now();
    this.inFlight++;
    try {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.body) headers.set('content-type', 'application/json');
      const response = await fetch(`${this.base}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      this.samples.push({
        at: Date.now() - this.started,
        route,
        status: response.status,
        ms: performance.now() - begun,
        retryAfter: response.headers.has('retry-after'),
      });
      return response;
    } catch {
      // no HTTP answer at all (connection refused or reset, timeout): recorded as status 0
      this.samples.push({ at: Date.now() - this.started, route, status: 0, ms: performance.now() - begun, retryAfter: false });
      return undefined;
    } finally {
      this.inFlight--;
    }
  }

  /** fetch, keeping the parsed JSON body (the sample is recorded once the body is read). */
  async json(route: string, path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: unknown } | undefined> {
    const begun = performance.now();
    this.inFlight++;
    try {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.body) headers.set('content-type', 'application/json');
      const response = await fetch(`${this.base}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
      const text = await response.text();
      this.samples.push({
        at: Date.now() - this.started,
        route,
        status: response.status,
        ms: performance.now() - begun,
        retryAfter: response.headers.has('retry-after'),
      });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body };
    } catch {
      this.samples.push({ at: Date.now() - this.started, route, status: 0, ms: performance.now() - begun, retryAfter: false });
      return undefined;
    } finally {
      this.inFlight--;
    }
  }

  async signUp(): Promise<void> {
    const email = `soak-${randomUUID().slice(0, 8)}@xiaoyu.test`;
    const answer = await this.json('register', '/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'soak-password-1' }) });
    if (answer?.status === 201 && this.users.length < 40) this.users.push({ email, token: (answer.body as { accessToken: string }).accessToken });
  }

  async login(user: User, password = 'soak-password-1'): Promise<void> {
    const answer = await this.json('login', '/api/auth/login', { method: 'POST', body: JSON.stringify({ email: user.email, password }) });
    if (answer?.status === 200) user.token = (answer.body as { accessToken: string }).accessToken;
  }

  async generate(kind: 'emotion' | 'topic'): Promise<void> {
    const owner = pick(this.users);
    const body =
      kind === 'emotion'
        ? { emotion: pick(EMOTIONS), durationSec: 10, seed: Math.floor(Math.random() * 1e6) }
        : { topic: pick(TOPICS), durationSec: 10, seed: Math.floor(Math.random() * 1e6) };
    const answer = await this.json(`generate-${kind}`, `/api/music/generate/${kind}`, { method: 'POST', body: JSON.stringify(body), token: owner.token });
    if (answer?.status === 202 || answer?.status === 200) {
      this.submitted++;
      this.generations.push({ id: (answer.body as { id: string }).id, owner, state: answer.status === 200 ? 'completed' : 'pending' });
    } else {
      this.refused++;
    }
  }

  async poll(generation: Generation): Promise<void> {
    const answer = await this.json('status', `/api/music/generation/${generation.id}/status`, { token: generation.owner.token });
    const state = (answer?.body as { state?: string } | undefined)?.state;
    if (answer?.status === 200 && (state === 'completed' || state === 'failed')) generation.state = state;
  }

  async download(): Promise<void> {
    const done = this.generations.filter((g) => g.state === 'completed');
    if (!done.length) return this.history();
    const generation = pick(done);
    const from = Math.floor(Math.random() * 100_000);
    await this.call('audio-range', `/api/music/generation/${generation.id}/audio?format=${pick(['mp3', 'wav'])}`, {
      token: generation.owner.token,
      headers: { range: `bytes=${from}-${from + 65_535}` },
    });
  }

  async history(): Promise<void> {
    await this.call('history', `/api/music/generations?page=1&pageSize=${pick([10, 20, 50])}`, { token: pick(this.users).token });
  }

  /** One request of the mix (weights roughly as a day of real use); generations are kept to a few at a time. */
  async step(): Promise<void> {
    const roll = Math.random() * 100;
    const pending = this.generations.filter((g) => g.state === 'pending');
    if (roll < 8) return void (await this.call('health', '/api/health/ready'));
    if (roll < 13) return void (await this.call('metrics', '/api/metrics'));
    if (roll < 16) return this.signUp();
    if (roll < 20) return this.login(pick(this.users));
    if (roll < 34) return this.history();
    if (roll < 38) return void (await this.call('catalog', '/api/music/catalog', { token: pick(this.users).token }));
    if (roll < 50) return pending.length ? this.poll(pick(pending)) : this.history();
    if (roll < 55) return pending.length < 3 ? this.generate(roll < 52 ? 'emotion' : 'topic') : this.history();
    if (roll < 70) return this.download();
    if (roll < 76) {
      const done = this.generations.filter((g) => g.state === 'completed');
      if (!done.length) return this.history();
      const generation = pick(done);
      return void (await this.call(pick(['plan', 'notes']), `/api/music/generation/${generation.id}/${pick(['plan', 'notes'])}`, {
        token: generation.owner.token,
      }));
    }
    if (roll < 84) return void (await this.call('logs', `/api/logs?q=${encodeURIComponent(pick(LOG_QUERIES))}&size=20`, { token: this.admin.token }));
    if (roll < 88) return void (await this.call('me', '/api/auth/me', { token: pick(this.users).token }));
    return this.history();
  }
}

// ---------------------------------------------------------------------------------------------- resources

interface ResourceSample {
  at: number;
  rssMb: number;
  heapMb: number;
  fds: number;
}

function procStatus(pid: number): { rssMb: number; fds: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(rssKb / 1024), fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rssMb: 0, fds: 0 };
  }
}

async function heapMb(base: string): Promise<number> {
  const text = await fetch(`${base}/api/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const bytes = Number(/^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text)?.[1] ?? 0);
  return Math.round(bytes / 2 ** 20);
}

// ---------------------------------------------------------------------------------------------- report

const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms < 10 ? ms.toFixed(1) : String(Math.round(ms)));

interface Outage {
  dependency: string;
  downAt: number;
  upAt: number;
}

function report(
  traffic: Traffic,
  outages: Outage[],
  resources: ResourceSample[],
  restarts: number,
  jobs: { completed: number; failed: number; unfinished: number },
): string {
  const lines: string[] = [];
  const samples = traffic.samples;
  const total = samples.length;
  const seconds = DURATION_MS / 1000;
  lines.push(`## Soak: ${MINUTES} min at ${RATE} req/s target — ${total} requests (${(total / seconds).toFixed(1)}/s)`, '');

  const byStatus = new Map<number, number>();
  for (const s of samples) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
  lines.push('| status | requests | share |', '|---|---:|---:|');
  for (const [status, count] of [...byStatus].sort(([a], [b]) => a - b))
    lines.push(`| ${status || 'no answer'} | ${count} | ${((100 * count) / total).toFixed(2)} % |`);

  const GRACE_MS = 5_000;
  const inOutage = (at: number) => outages.some((o) => at >= o.downAt && at <= o.upAt + GRACE_MS);
  const fiveXx = samples.filter((s) => s.status >= 500 || s.status === 0);
  const other5xx = fiveXx.filter((s) => s.status !== 503);
  const unexpected503 = fiveXx.filter((s) => s.status === 503 && !inOutage(s.at) && s.route !== 'logs');
  const noRetryAfter = fiveXx.filter((s) => s.status === 503 && !s.retryAfter);
  lines.push(
    '',
    `5xx other than 503 (incl. no answer): ${other5xx.length}${other5xx.length ? ` (${[...new Set(other5xx.map((s) => `${s.route} ${s.status}`))].join(', ')})` : ''}; ` +
      `503 outside a dependency outage (+${GRACE_MS / 1000} s): ${unexpected503.length}; 503 without Retry-After: ${noRetryAfter.length}`,
  );

  const buckets = Math.max(1, Math.min(10, Math.round(MINUTES)));
  const width = DURATION_MS / buckets;
  const routes = [...new Set(samples.map((s) => s.route))].sort();
  lines.push('', `p50/p99 (ms) per route, in ${buckets} windows of ${(width / 60_000).toFixed(1)} min:`, '');
  lines.push(`| route | n | ${Array.from({ length: buckets }, (_, i) => `${((i * width) / 60_000).toFixed(1)}′`).join(' | ')} |`);
  lines.push(`|---|---:|${'---:|'.repeat(buckets)}`);
  for (const route of routes) {
    const of = samples.filter((s) => s.route === route && s.status > 0);
    const cells = Array.from({ length: buckets }, (_, i) => {
      const ms = of.filter((s) => s.at >= i * width && s.at < (i + 1) * width).map((s) => s.ms);
      return ms.length ? `${fmt(percentile(ms, 50))}/${fmt(percentile(ms, 99))}` : '—';
    });
    lines.push(`| ${route} | ${of.length} | ${cells.join(' | ')} |`);
  }

  const warm = resources.find((r) => r.at >= DURATION_MS * 0.1) ?? resources[0];
  const end = resources[resources.length - 1];
  const growth = warm && end ? (100 * (end.rssMb - warm.rssMb)) / warm.rssMb : NaN;
  lines.push('', '| resource | after warm-up | end | change |', '|---|---:|---:|---:|');
  if (warm && end) {
    lines.push(`| RSS (MB) | ${warm.rssMb} | ${end.rssMb} | ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % |`);
    lines.push(`| heap used (MB) | ${warm.heapMb} | ${end.heapMb} | ${end.heapMb - warm.heapMb >= 0 ? '+' : ''}${end.heapMb - warm.heapMb} |`);
    lines.push(`| open file handles | ${warm.fds} | ${end.fds} | ${end.fds - warm.fds >= 0 ? '+' : ''}${end.fds - warm.fds} |`);
  }
  const peakRss = Math.max(...resources.map((r) => r.rssMb));
  lines.push('', `peak RSS ${peakRss} MB; process restarts: ${restarts}`);
  lines.push(
    '',
    `jobs: ${traffic.submitted} submitted (${traffic.refused} refused, e.g. 503 while Redis was down) → ${jobs.completed} completed, ${jobs.failed} failed, ${jobs.unfinished} unfinished`,
  );

  // Recovery: p99 in 10 s windows, against the baseline (the warm-up after the first 10 %, before the first fault).
  const firstFault = Math.min(...outages.map((o) => o.downAt));
  const baseline = percentile(
    samples.filter((s) => s.status > 0 && s.at >= DURATION_MS * 0.05 && s.at < firstFault).map((s) => s.ms),
    99,
  );
  const recovered = (ms: number) => ms <= Math.max(baseline * 1.5, baseline + 50);
  lines.push('', `baseline p99 (before the first fault): ${fmt(baseline)} ms`, '');
  lines.push('| dependency | down at | back at | 503s | p99 back to baseline after |', '|---|---:|---:|---:|---:|');
  const recoveries: number[] = [];
  for (const outage of outages) {
    const during = samples.filter((s) => s.status === 503 && s.at >= outage.downAt && s.at <= outage.upAt + GRACE_MS).length;
    let after = NaN;
    for (let t = outage.upAt; t < outage.upAt + 120_000 && t < DURATION_MS; t += 2_000) {
      const window = samples.filter((s) => s.status > 0 && s.at >= t && s.at < t + 10_000).map((s) => s.ms);
      if (window.length >= 5 && recovered(percentile(window, 99))) {
        after = (t - outage.upAt) / 1000;
        break;
      }
    }
    recoveries.push(after);
    lines.push(
      `| ${outage.dependency} | ${(outage.downAt / 1000).toFixed(0)} s | ${(outage.upAt / 1000).toFixed(0)} s | ${during} | ${Number.isNaN(after) ? 'not within the run' : `${after} s`} |`,
    );
  }

  const verdict = (ok: boolean, text: string) => lines.push(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  lines.push('');
  verdict(
    other5xx.length === 0 && unexpected503.length === 0 && noRetryAfter.length === 0,
    'no 5xx other than 503 (with Retry-After) while a dependency is down',
  );
  verdict(jobs.completed === traffic.submitted, `every job completed (${jobs.completed}/${traffic.submitted})`);
  verdict(growth < 10, `RSS growth after warm-up under 10 % (${growth.toFixed(1)} %)`);
  verdict(
    recoveries.every((r) => r <= 30),
    `p99 back to baseline within 30 s of each recovery (${recoveries.map((r) => (Number.isNaN(r) ? '—' : `${r} s`)).join(', ')})`,
  );
  verdict(restarts === 0, `the process never restarted (${restarts})`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  process.stdout.write(`soak: ${MINUTES} min, ${RATE} req/s; PostgreSQL drops at 20 % and 60 %, Redis restarts at 35 % and 80 %, Elasticsearch away at 50 %\n`);
  const redis = new RedisServer();
  await redis.start();
  const database = await createScratchDatabase('soak');
  const elasticsearch = new FakeBulkServer();
  const esUrl = await elasticsearch.start();
  const esPort = Number(new URL(esUrl).port);
  const dataDir = mkdtempSync(join(tmpdir(), 'soak-data-'));
  const server = new SupervisedServer({
    NODE_ENV: 'production',
    JWT_SECRET: randomUUID() + randomUUID(),
    DATABASE_URL: database.url,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    QUEUE_PREFIX: `soak-${randomUUID().slice(0, 6)}`,
    ROLE: 'all',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ENABLE_LOG_AGGREGATION: 'true',
    ELASTICSEARCH_URL: esUrl,
    LOG_SPOOL_DIR: join(dataDir, 'spool'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    API_RATE_LIMIT: '1000000',
    AUTH_RATE_LIMIT: '1000000',
    MUSIC_QUOTA_PER_HOUR: '1000000',
  });
  const outages: Outage[] = [];
  const resources: ResourceSample[] = [];
  let traffic: Traffic | undefined;
  try {
    await server.start();
    const started = Date.now();
    const at = () => Date.now() - started;
    traffic = new Traffic(server.base, started);
    const t = traffic;
    const adminLogin = await t.json('login', '/api/auth/login', { method: 'POST', body: JSON.stringify(ADMIN) });
    t.admin = { email: ADMIN.email, token: (adminLogin?.body as { accessToken: string }).accessToken };
    for (let i = 0; i < 8; i++) await t.signUp();

    const sample = async () => {
      const pid = server.pid;
      if (pid) resources.push({ at: at(), ...procStatus(pid), heapMb: await heapMb(server.base) });
    };
    const sampler = setInterval(() => {
      sample().catch(() => undefined);
    }, 5_000);

    const faults = (async () => {
      const waitUntil = async (fraction: number) => sleep(Math.max(0, fraction * DURATION_MS - at()));
      const pgDrop = async () => {
        const downAt = at();
        const dropped = await dropConnections(database.name);
        outages.push({ dependency: `PostgreSQL (${dropped} connections terminated)`, downAt, upAt: at() });
        process.stdout.write(`  ${(downAt / 1000).toFixed(0)} s: terminated ${dropped} PostgreSQL connections\n`);
      };
      const redisRestart = async () => {
        const downAt = at();
        await redis.stop();
        await sleep(Math.min(10_000, DURATION_MS * 0.02));
        await redis.start();
        outages.push({ dependency: 'Redis (restart)', downAt, upAt: at() });
        process.stdout.write(`  ${(downAt / 1000).toFixed(0)} s: Redis restarted (back at ${(at() / 1000).toFixed(0)} s)\n`);
      };
      await waitUntil(0.2);
      await pgDrop();
      await waitUntil(0.35);
      await redisRestart();
      await waitUntil(0.5);
      const esDown = at();
      await elasticsearch.goDown();
      await sleep(Math.min(60_000, DURATION_MS * 0.1));
      await elasticsearch.comeBack();
      outages.push({ dependency: 'Elasticsearch (away)', downAt: esDown, upAt: at() });
      process.stdout.write(`  ${(esDown / 1000).toFixed(0)} s: Elasticsearch away until ${(at() / 1000).toFixed(0)} s (port ${esPort})\n`);
      await waitUntil(0.6);
      await pgDrop();
      await waitUntil(0.8);
      await redisRestart();
    })();

    const progress = setInterval(
      () => process.stdout.write(`  ${(at() / 60_000).toFixed(1)} min: ${t.samples.length} requests, ${t.submitted} jobs submitted\n`),
      60_000,
    );
    // steady arrivals: one request every 1/RATE s, however long the previous ones take (bounded concurrency)
    const interval = 1000 / RATE;
    let next = Date.now();
    while (at() < DURATION_MS) {
      if (t.inFlight < 64) t.step().catch((error: unknown) => process.stderr.write(`  ! traffic step failed: ${String(error)}\n`));
      else t.skipped++;
      next += interval;
      await sleep(Math.max(0, next - Date.now()));
    }
    await faults;
    clearInterval(sampler);
    clearInterval(progress);
    while (t.inFlight > 0) await sleep(100);

    // every submitted job must end: poll the pending ones (bounded)
    const deadline = Date.now() + 240_000;
    while (t.generations.some((g) => g.state === 'pending') && Date.now() < deadline) {
      for (const generation of t.generations.filter((g) => g.state === 'pending')) await t.poll(generation);
      await sleep(2_000);
    }
    await sample();
    const jobs = {
      completed: t.generations.filter((g) => g.state === 'completed').length,
      failed: t.generations.filter((g) => g.state === 'failed').length,
      unfinished: t.generations.filter((g) => g.state === 'pending').length,
    };
    process.stdout.write(`\n${report(t, outages, resources, server.restarts, jobs)}\n\nserver log: ${server.logPath}\n`);
  } finally {
    await server.stop();
    await elasticsearch.stop();
    await redis.remove();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
