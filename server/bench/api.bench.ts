/**
 * npm run bench:api — requests/s and latency of the platform (logging, auth, validation, metrics, helmet on)
 * against a bare NestJS app on the same HTTP adapter, in one run, on the same PostgreSQL.
 *   /api/health/live           vs bare /live
 *   /api/auth/me (JWT + DB read) vs bare /me (DB read)
 * Options: --duration <s> (default 8), --connections <n> (default 32).
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const DURATION = option('duration', 8);
const CONNECTIONS = option('connections', 32);
const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time per request (user + system), in µs: unlike req/s it does not depend on what else the machine runs. */
  cpuUsPerRequest: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds a process has used, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

async function measure(server: ChildProcess, url: string, headers: Record<string, string> = {}): Promise<Result> {
  await autocannon({ url, connections: 4, duration: 1, headers }); // warm-up
  const cpuBefore = cpuSeconds(server.pid!);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const cpu = cpuSeconds(server.pid!) - cpuBefore;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuUsPerRequest: (cpu * 1e6) / Math.max(1, result.requests.total),
  };
}

function start(script: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = fork(script, [], {
    cwd: join(__dirname, '..'),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      try {
        if ((await fetch(readyUrl)).ok) return resolve(child);
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error(`${script} did not start`));
      setTimeout(poll, 200);
    };
    void poll();
  });
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const dbName = `xiaoyu_bench_${randomUUID().slice(0, 8).replace(/-/g, '')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-bench-'));
  const children: ChildProcess[] = [];
  try {
    const platformPort = 41000 + Math.floor(Math.random() * 1000);
    const barePort = platformPort + 1000;
    const platform = await start(
      'src/main.ts',
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
        PORT: String(platformPort),
        DATA_DIR: dataDir,
        DATABASE_URL: dbUrl.toString(),
        LOG_LEVEL: 'info',
        ROLE: 'api',
        API_RATE_LIMIT: '100000000',
        AUTH_RATE_LIMIT: '1000',
      },
      `http://127.0.0.1:${platformPort}/api/health/live`,
    );
    children.push(platform);
    const base = `http://127.0.0.1:${platformPort}/api`;
    const register = await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@xiaoyu.test', password: 'bench-password-1' }),
    });
    const session = (await register.json()) as { accessToken: string; user: { id: string } };

    const bare = await start('bench/bare-app.ts', { PORT: String(barePort), DATABASE_URL: dbUrl.toString() }, `http://127.0.0.1:${barePort}/live`);
    children.push(bare);

    const rows: [string, Result, Result][] = [];
    rows.push(['liveness', await measure(platform, `${base}/health/live`), await measure(bare, `http://127.0.0.1:${barePort}/live`)]);
    rows.push([
      'authenticated DB read',
      await measure(platform, `${base}/auth/me`, { authorization: `Bearer ${session.accessToken}` }),
      await measure(bare, `http://127.0.0.1:${barePort}/me?id=${session.user.id}`),
    ]);

    console.log(`\nbench:api — ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${CONNECTIONS} connections, ${DURATION} s per run`);
    console.log(`machine load average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}`);
    console.log(
      '| endpoint | platform req/s | p50 ms | p99 ms | CPU µs/req | bare NestJS req/s | p50 ms | p99 ms | CPU µs/req | throughput ratio | CPU-cost ratio |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const verdict = (ratio: number) => `${(ratio * 100).toFixed(0)}% ${ratio >= 0.6 ? '✓' : '✗'}`;
    for (const [name, p, b] of rows) {
      console.log(
        `| ${name} | ${p.rps.toFixed(0)} | ${p.p50} | ${p.p99} | ${p.cpuUsPerRequest.toFixed(0)} | ${b.rps.toFixed(0)} | ${b.p50} | ${b.p99} | ${b.cpuUsPerRequest.toFixed(0)} | ${verdict(p.rps / b.rps)} | ${verdict(b.cpuUsPerRequest / p.cpuUsPerRequest)} |`,
      );
      if (p.errors || b.errors) console.log(`  errors/non-2xx: platform ${p.errors}, bare ${b.errors}`);
    }
    console.log('Target: the platform keeps ≥ 60% of the bare app (✓/✗). CPU-cost ratio = bare CPU per request ÷ platform CPU per request.');
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
