/**
 * npm run bench:api:instructions -w server -- [--path /auth/me] [--requests 2000] [--warmup 3000] [--connections 8] [--baseline <server dir>[,<server dir>…]] [--keep]
 * Instructions per request of the platform and of the bare app (bench/bare-app.ts), counted by Valgrind's callgrind:
 * a figure that other load on the machine does not move, unlike CPU time (bench:api), so a change can be measured on a
 * busy machine. Each server runs under callgrind with instrumentation off while it boots and warms up (`--warmup`
 * requests), then on for `--requests` requests from autocannon (outside Valgrind, `--connections` at a time).
 * It counts user-space instructions of every thread (JIT, GC) but not the kernel's share (socket writes), so the
 * instruction-cost ratio (bare ÷ platform) is a proxy for bench:api's CPU-cost ratio, not the same figure.
 * Needs valgrind (callgrind_control); a run takes minutes (the servers run 50–100 times slower under Valgrind).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { createScratchDatabase } from './lib/scratch-database';
import { apiBenchEnv } from './lib/api-bench-env';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const PATH = option('path') ?? '/auth/me';
const REQUESTS = Number(option('requests') ?? 2000);
const WARMUP = Number(option('warmup') ?? 3000);
const CONNECTIONS = Number(option('connections') ?? 8);
/** Other checkouts' server directories, comma-separated: each is counted beside the platform (named by its directory's parent). */
const BASELINE_DIRS = option('baseline')?.split(',').filter(Boolean) ?? [];
const SERVER_DIR = join(__dirname, '..');
/** Keeps each server's callgrind files (for callgrind_annotate) instead of removing them. */
const KEEP = args.includes('--keep');

const progress = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

interface Server {
  name: string;
  child: ChildProcess;
  outDir: string;
  url: string;
  headers: Record<string, string>;
}

function startUnderCallgrind(name: string, script: string, cwd: string, env: Record<string, string>, outDir: string): ChildProcess {
  return spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(outDir, 'callgrind.out')}`,
      '-q',
      process.execPath,
      '-r',
      '@swc-node/register',
      script,
    ],
    { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  ).once('exit', (code) => {
    if (code) process.stderr.write(`${name} exited with ${code}\n`);
  });
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server behind ${url} exited`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(30_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 2000));
  }
  throw new Error(`${url} did not answer within 20 minutes`);
}

async function load(server: Server, amount: number): Promise<void> {
  const result = await autocannon({ url: server.url, connections: CONNECTIONS, amount, headers: server.headers, timeout: 120 });
  const failed = result.errors + result.non2xx + result.timeouts;
  const detail = `${server.name}: ${failed} of ${amount} requests failed (${result.non2xx} non-2xx, ${result.timeouts} timeouts, ${result.errors} errors)`;
  // Under Valgrind a rare request can outlast a timeout; a few do not move the count per request, many mean a broken run.
  if (failed > amount * 0.01) throw new Error(detail);
  if (failed) progress(detail);
}

/** Total instructions (Ir) of the dumps callgrind wrote so far. */
function instructions(outDir: string): number {
  return readdirSync(outDir)
    .filter((file) => file.startsWith('callgrind.out'))
    .map((file) => /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(outDir, file), 'utf8')))
    .reduce((sum, match) => sum + (match ? Number(match[1]) : 0), 0);
}

async function count(server: Server): Promise<number> {
  const pid = String(server.child.pid);
  progress(`${server.name}: ${WARMUP} warm-up requests`);
  await load(server, WARMUP);
  progress(`${server.name}: ${REQUESTS} counted requests`);
  execFileSync('callgrind_control', ['-i', 'on', pid], { stdio: 'ignore' });
  await load(server, REQUESTS);
  execFileSync('callgrind_control', ['-d', pid], { stdio: 'ignore' });
  execFileSync('callgrind_control', ['-i', 'off', pid], { stdio: 'ignore' });
  const perRequest = instructions(server.outDir) / REQUESTS;
  progress(`${server.name}: ${Math.round(perRequest).toLocaleString('en')} instructions per request`);
  return perRequest;
}

async function main(): Promise<void> {
  const database = await createScratchDatabase('instr');
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-instr-'));
  const port = 44000 + Math.floor(Math.random() * 1000);
  const platformEnv = (listenOn: number) => apiBenchEnv(dataDir, database.url, listenOn);
  const servers: Server[] = [];
  const children: ChildProcess[] = [];
  try {
    const specs = [
      { name: 'platform', script: 'src/main.ts', cwd: SERVER_DIR, port, platform: true },
      ...BASELINE_DIRS.map((dir, i) => ({
        name: BASELINE_DIRS.length === 1 ? 'baseline' : basename(dirname(resolve(dir))),
        script: 'src/main.ts',
        cwd: resolve(dir),
        port: port + 2000 + i,
        platform: true,
      })),
      { name: 'bare', script: 'bench/bare-app.ts', cwd: SERVER_DIR, port: port + 1000, platform: false },
    ];
    // one at a time: under Valgrind, a server that boots beside another (or waits on its migration lock) can run into
    // its database connection timeout
    const boot = async (spec: (typeof specs)[number]) => {
      const outDir = mkdtempSync(join(tmpdir(), `xiaoyu-callgrind-${spec.name}-`));
      const env = spec.platform ? platformEnv(spec.port) : { PORT: String(spec.port), DATABASE_URL: database.url };
      const child = startUnderCallgrind(spec.name, spec.script, spec.cwd, env, outDir);
      children.push(child);
      await waitFor(spec.platform ? `http://127.0.0.1:${spec.port}/api/health/live` : `http://127.0.0.1:${spec.port}/live`, child);
      progress(`${spec.name} up`);
      return { spec, outDir, child };
    };
    const started = [];
    for (const spec of specs) started.push(await boot(spec));
    progress('servers up');
    const register = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'instructions@xiaoyu.test', password: 'bench-password-1' }),
    });
    const session = (await register.json()) as { accessToken: string; user: { id: string } };
    for (const { spec, outDir, child } of started) {
      const barePath = PATH === '/auth/me' ? `/me?id=${session.user.id}` : '/live';
      servers.push({
        name: spec.name,
        child,
        outDir,
        url: spec.platform ? `http://127.0.0.1:${spec.port}/api${PATH}` : `http://127.0.0.1:${spec.port}${barePath}`,
        headers: spec.platform ? { authorization: `Bearer ${session.accessToken}` } : {},
      });
    }
    // one server at a time: Valgrind runs a process's threads one at a time anyway, and the counts do not depend on load
    const perRequest = new Map<string, number>();
    for (const server of servers) perRequest.set(server.name, await count(server));

    const bare = perRequest.get('bare') ?? NaN;
    console.log(`\nbench:api:instructions — ${PATH}, Node ${process.version}, ${REQUESTS} requests after ${WARMUP} warm-up, ${CONNECTIONS} connections`);
    console.log('| server | instructions per request | instruction-cost ratio (bare ÷ server) |');
    console.log('|---|---:|---:|');
    for (const [name, value] of perRequest) console.log(`| ${name} | ${Math.round(value).toLocaleString('en')} | ${((bare / value) * 100).toFixed(1)} % |`);
    const platform = perRequest.get('platform') ?? NaN;
    for (const [name, value] of perRequest) {
      if (name !== 'platform' && name !== 'bare') console.log(`platform vs ${name}: ${((platform / value - 1) * 100).toFixed(1)} %`);
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((wait) => setTimeout(wait, 3000));
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    for (const server of servers) {
      if (KEEP) progress(`${server.name}: callgrind files kept in ${server.outDir}`);
      else rmSync(server.outDir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
