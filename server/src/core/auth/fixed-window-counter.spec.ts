import { FixedWindowCounter, type RateLimitPeers, type WindowReport } from './fixed-window-counter';

/** Redis as the peers see it: one total per key and window. */
function sharedTotals(): RateLimitPeers & { down: boolean } {
  const totals = new Map<string, number>();
  return {
    down: false,
    report(reports: WindowReport[]) {
      if (this.down) return Promise.reject(new Error('connection refused'));
      return Promise.resolve(
        reports.map(({ key, window, hits }) => {
          const total = (totals.get(`${key}:${window}`) ?? 0) + hits;
          totals.set(`${key}:${window}`, total);
          return total;
        }),
      );
    },
  };
}

describe('FixedWindowCounter', () => {
  let counter: FixedWindowCounter;
  let replicas: FixedWindowCounter[] = [];
  /** Two replicas' counters sharing `peers`. */
  const twoReplicas = (peers: RateLimitPeers) => (replicas = [new FixedWindowCounter(peers), new FixedWindowCounter(peers)]);
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    counter = new FixedWindowCounter();
  });
  afterEach(() => {
    for (const c of [counter, ...replicas]) c.onApplicationShutdown();
    replicas = [];
    jest.useRealTimers();
  });

  it('allows the limit, then blocks for one window length from the request that went over', () => {
    for (let i = 1; i <= 3; i++) expect(counter.hit('ip', 3, 60_000)).toMatchObject({ blocked: false, hits: i, resetInSec: 60 });
    jest.advanceTimersByTime(10_000);
    expect(counter.hit('ip', 3, 60_000)).toMatchObject({ blocked: true, hits: 4, resetInSec: 50, retryAfterSec: 60 });

    jest.advanceTimersByTime(30_000);
    expect(counter.hit('ip', 3, 60_000)).toMatchObject({ blocked: true, hits: 4, retryAfterSec: 30 });
    jest.advanceTimersByTime(30_001);
    expect(counter.hit('ip', 3, 60_000)).toMatchObject({ blocked: false, hits: 1 });
  });

  it('starts a new window when the old one has passed', () => {
    counter.hit('ip', 3, 1_000);
    counter.hit('ip', 3, 1_000);
    jest.advanceTimersByTime(1_000);
    expect(counter.hit('ip', 3, 1_000)).toMatchObject({ blocked: false, hits: 1, resetInSec: 1 });
  });

  it('aligns windows to the clock, so that replicas count the same ones', () => {
    jest.advanceTimersByTime(59_000);
    expect(counter.hit('ip', 3, 60_000)).toMatchObject({ hits: 1, resetInSec: 1 });
    jest.advanceTimersByTime(2_000);
    expect(counter.hit('ip', 3, 60_000)).toMatchObject({ hits: 1, resetInSec: 59 });
  });

  it('adds the hits other replicas reported to its own', async () => {
    const peers = sharedTotals();
    const [a, b] = twoReplicas(peers);
    for (let i = 0; i < 3; i++) a.hit('auth:ip', 5, 60_000);
    for (let i = 0; i < 2; i++) b.hit('auth:ip', 5, 60_000);
    await a.report();
    await b.report();
    expect(b.hit('auth:ip', 5, 60_000)).toMatchObject({ hits: 6, blocked: true });
    // a learns of b's hits with its next report (a second later): until then it counts what it knew.
    expect(a.hit('auth:ip', 5, 60_000)).toMatchObject({ hits: 4, blocked: false });
    await a.report();
    expect(a.hit('auth:ip', 5, 60_000)).toMatchObject({ hits: 7, blocked: true });
    expect(a.hit('auth:other', 5, 60_000)).toMatchObject({ hits: 1, blocked: false });
  });

  it('counts alone while the peers are unreachable and reports those hits when they answer again', async () => {
    const peers = sharedTotals();
    const [a, b] = twoReplicas(peers);
    peers.down = true;
    for (let i = 0; i < 4; i++) expect(a.hit('api:ip', 5, 60_000).blocked).toBe(false);
    await a.report();
    expect(a.hit('api:ip', 5, 60_000)).toMatchObject({ hits: 5, blocked: false });
    peers.down = false;
    await a.report();
    b.hit('api:ip', 5, 60_000);
    await b.report();
    expect(b.hit('api:ip', 5, 60_000)).toMatchObject({ hits: 7, blocked: true });
  });

  it('does not carry other replicas’ hits into the next window', async () => {
    const peers = sharedTotals();
    const [a, b] = twoReplicas(peers);
    for (let i = 0; i < 4; i++) b.hit('api:ip', 5, 60_000);
    await b.report();
    a.hit('api:ip', 5, 60_000);
    await a.report();
    expect(a.hit('api:ip', 5, 60_000).hits).toBe(6);
    jest.advanceTimersByTime(60_000);
    expect(a.hit('api:ip', 5, 60_000)).toMatchObject({ hits: 1, blocked: false });
  });

  it('counts each key apart', () => {
    counter.hit('auth:a', 1, 60_000);
    expect(counter.hit('auth:b', 1, 60_000).blocked).toBe(false);
    expect(counter.hit('api:a', 1, 60_000).blocked).toBe(false);
    expect(counter.hit('auth:a', 1, 60_000).blocked).toBe(true);
  });
});
