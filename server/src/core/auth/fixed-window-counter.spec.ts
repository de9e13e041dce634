import { FixedWindowCounter } from './fixed-window-counter';

describe('FixedWindowCounter', () => {
  let counter: FixedWindowCounter;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    counter = new FixedWindowCounter();
  });
  afterEach(() => {
    counter.onApplicationShutdown();
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

  it('counts each key apart', () => {
    counter.hit('auth:a', 1, 60_000);
    expect(counter.hit('auth:b', 1, 60_000).blocked).toBe(false);
    expect(counter.hit('api:a', 1, 60_000).blocked).toBe(false);
    expect(counter.hit('auth:a', 1, 60_000).blocked).toBe(true);
  });
});
