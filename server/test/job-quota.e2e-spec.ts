import { randomUUID } from 'node:crypto';
import { JobQuotaRepository } from '../src/core/jobs/job-quota.repository';
import { registerUser, startTestApp, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hourly quotas on the real database: parallel starts cannot overrun a limit; a use leaves with its window or when given back. */
describe('job quota uses (e2e, PostgreSQL)', () => {
  let t: TestApp;
  let quota: JobQuotaRepository;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp();
    quota = t.app.get(JobQuotaRepository);
    userId = (await registerUser(t.http)).user.id;
  });
  afterAll(() => t.close());

  it('takes exactly the limit when twelve starts race, and one more after a use is given back', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const results = await Promise.all(ids.map((id) => quota.take({ id, userId, kind: 'race' }, 4, 3_600_000)));
    const taken = ids.filter((_, i) => results[i].taken);
    expect(taken).toHaveLength(4);
    const refused = results.find((r) => !r.taken);
    expect(refused && !refused.taken && refused.freeAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);

    await quota.release(taken[0]);
    expect(await quota.take({ id: randomUUID(), userId, kind: 'race' }, 4, 3_600_000)).toEqual({ taken: true });
    expect((await quota.take({ id: randomUUID(), userId, kind: 'race' }, 4, 3_600_000)).taken).toBe(false);
    // Another kind, or another user, has its own count.
    expect(await quota.take({ id: randomUUID(), userId, kind: 'other' }, 4, 3_600_000)).toEqual({ taken: true });
  });

  it('frees a use once it has left the window', async () => {
    expect(await quota.take({ id: randomUUID(), userId, kind: 'window' }, 1, 300)).toEqual({ taken: true });
    expect((await quota.take({ id: randomUUID(), userId, kind: 'window' }, 1, 300)).taken).toBe(false);
    await sleep(400);
    expect(await quota.take({ id: randomUUID(), userId, kind: 'window' }, 1, 300)).toEqual({ taken: true });
  });
});
