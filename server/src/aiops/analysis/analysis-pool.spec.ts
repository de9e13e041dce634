import { detect, mine } from '../engine';
import { AnalysisBusyError, AnalysisInputError, AnalysisPool } from './analysis-pool';

// Worker start-up compiles TypeScript on a busy machine: a hang guard, not a speed check.
jest.setTimeout(60_000);

function arrays(length: number) {
  const timestamps = Float64Array.from({ length }, (_, i) => 1_700_000_000_000 + i * 60_000);
  const values = Float64Array.from({ length }, (_, i) => (i === length - 50 ? 500 : 100 + Math.sin(i / 10)));
  return { timestamps, values };
}

describe('AnalysisPool', () => {
  let pool: AnalysisPool;
  beforeEach(() => (pool = new AnalysisPool({ workers: 1, maxQueued: 1, timeoutMs: 30_000 })));
  afterEach(() => pool.close());

  it('scores a series on a worker thread exactly like detect(), leaving the event loop free meanwhile', async () => {
    const { timestamps, values } = arrays(200_000);
    const expected = detect(Array.from(values, (value, i) => ({ timestamp: timestamps[i], value })));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const json = await pool.run({ kind: 'detect', timestamps, values });
    clearInterval(timer);
    expect(JSON.parse(json)).toEqual(expected);
    expect(ticks).toBeGreaterThan(3);
  });

  it('mines lines like mine()', async () => {
    const lines = ['a 1 b', 'a 2 b', 'x y', 'a 3 b'];
    expect(JSON.parse(await pool.run({ kind: 'mine', lines }))).toEqual(mine(lines));
  });

  it('reports what the engine rejects as an input error and keeps working', async () => {
    await expect(pool.run({ kind: 'mine', lines: [] })).rejects.toBeInstanceOf(AnalysisInputError);
    expect((JSON.parse(await pool.run({ kind: 'mine', lines: ['ok'] })) as { assignments: string[] }).assignments).toEqual(['T1']);
  });

  it('refuses work beyond its queue', async () => {
    const running = pool.run({ kind: 'detect', ...arrays(50_000) });
    const queued = pool.run({ kind: 'detect', ...arrays(50_000) });
    await expect(pool.run({ kind: 'detect', ...arrays(10) })).rejects.toBeInstanceOf(AnalysisBusyError);
    await Promise.all([running, queued]);
  });

  it('abandons a request that runs too long and replaces its worker', async () => {
    const slow = new AnalysisPool({ workers: 1, maxQueued: 4, timeoutMs: 1 });
    await expect(slow.run({ kind: 'detect', ...arrays(200_000) })).rejects.toThrow(/longer than 1 ms/);
    await slow.close();
  });
});
