/**
 * `npm run fuzz`: the API fuzzer with a fresh random seed and more requests than `npm test` sends.
 *   npm run fuzz -- [--runs 300] [--seed N] [--only operationId] [--path P]
 * Prints the seed first; a failure prints the command that replays it.
 */
import 'reflect-metadata';
import { send } from './http-client';
import { formatStatuses, fuzzApi } from './fuzz-api';
import { memoryMb, startFuzzTarget } from './fuzz-app';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<number> {
  const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
  const runs = Number(option('runs') ?? 300);
  const only = option('only');
  const path = option('path');
  process.stdout.write(
    `fuzz seed ${seed} (${runs} requests per operation${only ? `, only ${only}` : ''}); replay with: npm run fuzz -- --seed ${seed} --runs ${runs}\n`,
  );

  const target = await startFuzzTarget();
  try {
    await fuzzApi({ baseUrl: target.baseUrl, tokens: target.tokens, seed: seed + 1, runs: 2, only });
    const before = memoryMb();
    const started = Date.now();
    const report = await fuzzApi({ baseUrl: target.baseUrl, tokens: target.tokens, seed, runs, only, path, log: (line) => process.stdout.write(`${line}\n`) });
    const live = await send(target.baseUrl, { method: 'GET', url: '/api/health/live', headers: {} });
    const after = memoryMb();
    const statuses: Record<number, number> = {};
    for (const o of report.operations) for (const [s, n] of Object.entries(o.statuses)) statuses[Number(s)] = (statuses[Number(s)] ?? 0) + n;
    process.stdout.write(
      `\n${report.requests} requests to ${report.operations.length} operations in ${Math.round((Date.now() - started) / 1000)} s: ${formatStatuses(statuses)}\n` +
        `heap ${before.heapUsed} → ${after.heapUsed} MB, rss ${before.rss} → ${after.rss} MB; live after the run: ${live.status}\n`,
    );
    for (const failure of report.failures) process.stdout.write(`\nFAIL ${failure}\n`);
    process.stdout.write(
      report.failures.length ? `\n${report.failures.length} operation(s) failed (seed ${seed}).\n` : `\nno invariant broken (seed ${seed}).\n`,
    );
    return report.failures.length || live.status !== 200 ? 1 : 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
