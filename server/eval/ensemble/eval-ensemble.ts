/**
 * npm run eval:ensemble [-- --only clock,key,chord,beat,reply --limit 0 --seeds 5]
 *
 * Measures the ensemble engines and prints markdown tables:
 *   clock  offset error of the shared clock's estimator on simulated networks and on a real TCP loopback
 *
 * Corpora are read from /work/shared/datasets (ENSEMBLE_DATASETS_DIR overrides); sections that need them are skipped
 * with a message when they are absent.
 */
import { join } from 'node:path';
import { measureTcpLoopback, NETWORKS, simulateNetwork } from './clock-sim';
import { machineLine, quantile, table } from './report';

export const DATASETS = process.env.ENSEMBLE_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`--${name} must be a non-negative number`);
  return v;
}

function sections(): Set<string> {
  const i = process.argv.indexOf('--only');
  const all = ['clock'];
  return new Set(i >= 0 ? (process.argv[i + 1] ?? '').split(',') : all);
}

const ms = (x: number) => x.toFixed(3);

async function clockSection(seeds: number): Promise<void> {
  console.log('\n## Shared clock: offset error of the estimator\n');
  console.log(
    `Median of round-trip midpoints over a 32-sample window, the half with the lowest round trips kept, drift (Theil–Sen) once the window spans 10 s. Pings: 10 at 100 ms, then one a second for 10 min; ${seeds} seeds per network; error = |estimate − true offset| from the 8th sample on.\n`,
  );
  const rows: (string | number)[][] = [];
  for (const net of NETWORKS) {
    const errors: number[] = [];
    const rtts: number[] = [];
    let lost = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const r = simulateNetwork(net, seed);
      errors.push(...r.errors);
      rtts.push(...r.rtts);
      lost += r.lost;
    }
    const p95 = quantile(errors, 0.95);
    rows.push([
      net.name,
      ms(quantile(rtts, 0.5)),
      errors.length,
      lost,
      ms(quantile(errors, 0.5)),
      `**${ms(p95)}**`,
      ms(Math.max(...errors)),
      ms(net.asymmetryMs / 2),
    ]);
  }
  const tcp = await measureTcpLoopback();
  rows.push([
    'real TCP loopback (child process, 10 ms apart)',
    ms(quantile(tcp.rtts, 0.5)),
    tcp.errors.length,
    0,
    ms(quantile(tcp.errors, 0.5)),
    `**${ms(quantile(tcp.errors, 0.95))}**`,
    ms(Math.max(...tcp.errors)),
    '–',
  ]);
  console.log(table(['network', 'RTT p50 (ms)', 'samples', 'lost', 'error p50 (ms)', 'error p95 (ms)', 'error max (ms)', 'asymmetry bias (ms)'], rows));
  const loopback = rows.filter((r) => String(r[0]).includes('loopback'));
  const worst = Math.max(...loopback.map((r) => Number(String(r[5]).replace(/\*/g, ''))));
  console.log(`\nTarget p95 < 2 ms on loopback: worst loopback p95 ${ms(worst)} ms — ${worst < 2 ? 'met' : 'MISSED'}.`);
  console.log(
    'A ping/pong cannot see a path asymmetry: the midpoint is off by half the difference of the one-way delays (the last column), whatever the estimator.',
  );
}

async function main(): Promise<void> {
  const only = sections();
  const seeds = numberArg('seeds', 5);
  console.log(`# Ensemble engine evaluation\n\n${machineLine()}`);
  if (only.has('clock')) await clockSection(seeds);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
