import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  let storage: FixedWindowThrottlerStorage;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    storage = new FixedWindowThrottlerStorage();
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('allows the limit, blocks the next request until the window ends, then allows again', async () => {
    for (let i = 1; i <= 3; i++) expect((await storage.increment('ip', 60_000, 3, 0, 'auth')).isBlocked).toBe(false);
    const blocked = await storage.increment('ip', 60_000, 3, 0, 'auth');
    expect(blocked).toMatchObject({ isBlocked: true, totalHits: 4, timeToBlockExpire: 60 });

    jest.advanceTimersByTime(30_000);
    expect((await storage.increment('ip', 60_000, 3, 0, 'auth')).timeToBlockExpire).toBe(30);
    jest.advanceTimersByTime(30_001);
    expect(await storage.increment('ip', 60_000, 3, 0, 'auth')).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('counts each key and each named limit apart', async () => {
    await storage.increment('a', 60_000, 1, 0, 'auth');
    expect((await storage.increment('b', 60_000, 1, 0, 'auth')).isBlocked).toBe(false);
    expect((await storage.increment('a', 60_000, 1, 0, 'api')).isBlocked).toBe(false);
    expect((await storage.increment('a', 60_000, 1, 0, 'auth')).isBlocked).toBe(true);
  });

  it('keeps a block for blockDuration when one is given', async () => {
    await storage.increment('ip', 1_000, 1, 0, 'x');
    await storage.increment('ip', 1_000, 1, 10_000, 'x');
    jest.advanceTimersByTime(5_000);
    expect((await storage.increment('ip', 1_000, 1, 10_000, 'x')).isBlocked).toBe(true);
    jest.advanceTimersByTime(5_001);
    expect((await storage.increment('ip', 1_000, 1, 10_000, 'x')).isBlocked).toBe(false);
  });
});
