import { ProblemException } from '../errors/problem';
import { InFlightLimit } from './in-flight-limit';

/** Work that runs until its gate is opened. */
function held(limit: InFlightLimit, caller: string): { done: Promise<void>; open: () => void } {
  let open = () => {};
  const done = limit.run(caller, () => new Promise<void>((resolve) => (open = resolve)));
  return { done, open: () => open() };
}

const refusal = (limit: InFlightLimit, caller: string): Promise<ProblemException> =>
  limit.run(caller, () => Promise.reject(new Error('ran'))).catch((error: unknown) => error as ProblemException);

describe('InFlightLimit', () => {
  it('refuses work past the process limit with 503 and past a caller limit with 429, both with Retry-After', async () => {
    const limit = new InFlightLimit({ max: 3, maxPerCaller: 2, busyDetail: 'Busy.', retryAfterSec: 3 });
    const [a1, a2, b1] = [held(limit, 'ann'), held(limit, 'ann'), held(limit, 'bob')];
    expect(limit.inFlight).toBe(3);
    const own = await refusal(limit, 'ann');
    expect([own.getStatus(), own.problem.retryAfterSec]).toEqual([429, 3]);
    const busy = await refusal(limit, 'cy');
    expect([busy.getStatus(), busy.message, busy.problem.retryAfterSec]).toEqual([503, 'Busy.', 3]);
    b1.open();
    await b1.done;
    await expect(limit.run('cy', () => Promise.resolve('ran'))).resolves.toBe('ran');
    a1.open();
    a2.open();
    await Promise.all([a1.done, a2.done]);
    expect(limit.inFlight).toBe(0);
  });

  it('frees the slot of work that fails', async () => {
    const limit = new InFlightLimit({ max: 1, maxPerCaller: 1, busyDetail: 'Busy.' });
    await expect(limit.run('ann', () => Promise.reject(new Error('model failed')))).rejects.toThrow('model failed');
    await expect(limit.run('ann', () => Promise.resolve(7))).resolves.toBe(7);
  });

  describe('with a wait', () => {
    it('runs work past the limits in turn once a slot frees, instead of refusing it', async () => {
      const limit = new InFlightLimit({ max: 8, maxPerCaller: 2, busyDetail: 'Busy.', waitMs: 5_000 });
      const [a1, a2] = [held(limit, 'ann'), held(limit, 'ann')];
      const third = limit.run('ann', () => Promise.resolve('third'));
      await Promise.resolve();
      expect(limit.inFlight).toBe(2);
      a1.open();
      await expect(third).resolves.toBe('third');
      a2.open();
      await Promise.all([a1.done, a2.done]);
      expect(limit.inFlight).toBe(0);
    });

    it('refuses work that waited too long with the same 429, and lets others by a caller at its own limit', async () => {
      jest.useFakeTimers();
      try {
        const limit = new InFlightLimit({ max: 2, maxPerCaller: 1, busyDetail: 'Busy.', waitMs: 1_000 });
        const [a1, b1] = [held(limit, 'ann'), held(limit, 'bob')];
        const annAgain = refusal(limit, 'ann');
        const cy = limit.run('cy', () => Promise.resolve('cy ran'));
        b1.open();
        await b1.done;
        // Bob's slot goes to Cy, who waited behind Ann (still at her limit).
        await expect(cy).resolves.toBe('cy ran');
        await jest.advanceTimersByTimeAsync(1_000);
        expect((await annAgain).getStatus()).toBe(429);
        a1.open();
        await a1.done;
        expect(limit.inFlight).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });

    it('refuses at once past the number of waiting requests it keeps', async () => {
      const limit = new InFlightLimit({ max: 1, maxPerCaller: 1, busyDetail: 'Busy.', waitMs: 5_000, maxWaiting: 1 });
      const a1 = held(limit, 'ann');
      const waiting = limit.run('bob', () => Promise.resolve('bob ran'));
      const refused = await refusal(limit, 'cy');
      expect(refused.getStatus()).toBe(503);
      a1.open();
      await expect(waiting).resolves.toBe('bob ran');
      await a1.done;
    });
  });
});
