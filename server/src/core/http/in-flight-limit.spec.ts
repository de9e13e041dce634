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
});
