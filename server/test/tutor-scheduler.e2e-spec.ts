import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { default_w } from 'ts-fsrs';
import { DATABASE, type Database } from '../src/core/db/database';
import type { JobAcceptedDto, JobStatusDto } from '../src/core/jobs/dto/job.dto';
import type { FsrsFitDto, TutorSchedulerDto } from '../src/tutor/dto/tutor-scheduler.dto';
import { createRng } from '../src/music/engine/rng';
import { allItems, guessRate, type RecordedAttempt } from '../src/tutor/engine';
import type { CourseMapDto, TodayPlanDto } from '../src/tutor/dto/tutor.dto';
import { TutorScheduler } from '../src/tutor/tutor-scheduler.service';
import { TutorRepository } from '../src/tutor/tutor.repository';
import { FAST_CONSOLIDATION_WEIGHTS, SLOW_CONSOLIDATION_WEIGHTS, simulatedAttempts } from './support/fsrs-logs';
import { eventually, loginAdmin, registerUser, startTestApp, type Session, type TestApp } from './support/test-app';

jest.setTimeout(120_000);

/** The operator's refit of the planner's FSRS weights from the stored attempts, end to end (a job on the real queue). */
describe('tutor scheduler refit (e2e)', () => {
  let t: TestApp;
  let admin: Session;
  let user: Session;
  const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });
  const overview = async () => (await request(t.http).get('/api/tutor/scheduler').set(auth(admin)).expect(200)).body as TutorSchedulerDto;
  const refit = async (): Promise<FsrsFitDto> => {
    const accepted = (await request(t.http).post('/api/tutor/scheduler/refit').set(auth(admin)).expect(202)).body as JobAcceptedDto;
    expect(accepted).toMatchObject({ queue: 'tutor-fsrs-refit', state: 'queued', statusUrl: `/api/jobs/tutor-fsrs-refit/${accepted.id}` });
    const done = await eventually(
      async () => {
        const status = (await request(t.http).get(accepted.statusUrl).set(auth(admin)).expect(200)).body as JobStatusDto<FsrsFitDto>;
        return status.state === 'completed' || status.state === 'failed' ? status : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(done).toMatchObject({ state: 'completed' });
    return done.result!;
  };

  /**
   * Adds `count` learners who cannot sign in, with fixed ids from `first` (so the refits' held-out cards and learners,
   * hashes of those ids, are the same every run).
   */
  async function addLearners(count: number, first = 1): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, n) => `00000000-0000-4000-8000-${String(first + n).padStart(12, '0')}`);
    await t.app
      .get<Database>(DATABASE)
      .insertInto('users')
      .values(ids.map((id) => ({ id, email: `learner-${id.slice(-4)}@xiaoyu.test`, password_hash: 'not a hash: cannot sign in', role: 'user' as const })))
      .execute();
    return ids;
  }

  /** Stores simulated attempts as if the learners had made them (an exercise row for each, as the service does). */
  async function storeAttempts(attempts: readonly RecordedAttempt[]): Promise<void> {
    const db = t.app.get<Database>(DATABASE);
    const skillOf = new Map(allItems().map((i) => [i.itemId, i.skillId]));
    for (let i = 0; i < attempts.length; i += 500) {
      const chunk = attempts.slice(i, i + 500).map((a) => ({ ...a, id: randomUUID(), skillId: skillOf.get(a.itemId)! }));
      await db
        .insertInto('tutor_exercises')
        .values(
          chunk.map((a) => ({
            id: a.id,
            user_id: a.learnerId,
            item_id: a.itemId,
            skill_id: a.skillId,
            kind: 'interval',
            seed: 1,
            plan_kind: 'review' as const,
            reason: 'simulated',
            predicted_success: 0.8,
            exercise: '{}',
            created_at: a.at,
            attempted_at: a.at,
          })),
        )
        .execute();
      await db
        .insertInto('tutor_attempts')
        .values(
          chunk.map((a) => ({
            id: randomUUID(),
            user_id: a.learnerId,
            exercise_id: a.id,
            item_id: a.itemId,
            skill_id: a.skillId,
            kind: 'interval',
            score: a.score,
            correct: a.score >= 0.8,
            result: '{}',
            created_at: a.at,
          })),
        )
        .execute();
    }
  }

  /** The describe block it is called in runs on an app (and database) of its own. */
  function onAppOfItsOwn(): void {
    beforeAll(async () => {
      t = await startTestApp();
      admin = await loginAdmin(t.http);
      user = await registerUser(t.http);
    });
    afterAll(() => t.close());
  }

  describe('FSRS weights', () => {
    onAppOfItsOwn();

    it('is for admins only', async () => {
      await request(t.http).get('/api/tutor/scheduler').expect(401);
      for (const call of [request(t.http).get('/api/tutor/scheduler'), request(t.http).post('/api/tutor/scheduler/refit')]) {
        const res = await call.set(auth(user)).expect(403);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    });

    it("schedules with FSRS-6's defaults until a refit has enough reviews, and says why it fitted nothing", async () => {
      expect(await overview()).toMatchObject({
        source: 'default',
        weights: [...default_w],
        requestRetention: 0.9,
        minReviews: 400,
        refitIntervalMs: 0,
        reviews: 0,
        fits: [],
      });
      const fit = await refit();
      expect(fit).toMatchObject({ accepted: false, weights: [...default_w], reviews: 0, learners: 0, requestedBy: admin.user.id });
      expect(fit.reason).toMatch(/at least 400/);
      const after = await overview();
      expect(after.source).toBe('default');
      expect(after.fits.map((f) => f.id)).toEqual([fit.id]);
    });

    it("takes weights fitted on the learners' own attempts when they predict held-out cards better, and schedules with them", async () => {
      const learners = await addLearners(40);
      const items = allItems()
        .slice(0, 20)
        .map((i) => i.itemId);
      await storeAttempts(simulatedAttempts(SLOW_CONSOLIDATION_WEIGHTS, { learners: 40, items, days: 240, seed: 5, learnerIds: learners }));
      const before = await overview();
      expect(before.reviews).toBeGreaterThanOrEqual(400);

      const fit = await refit();
      expect(fit).toMatchObject({ accepted: true, learners: 40, cards: 800, reviews: before.reviews, learnerFits: { eligible: 0, accepted: 0 } });
      expect(fit.heldOut.fitted!.logLoss).toBeLessThan(fit.heldOut.current!.logLoss);
      expect(fit.weights).toHaveLength(default_w.length);
      expect(fit.weights).not.toEqual([...default_w]);

      const after = await overview();
      expect(after).toMatchObject({ source: 'refit', weights: fit.weights });
      expect(after.fits.map((f) => f.id)).toEqual([fit.id, before.fits[0].id]);
      expect(t.app.get(TutorScheduler).planner.parameters.fsrsWeights).toEqual(fit.weights);
    });

    it('gives a learner with enough reviews weights of their own when they predict that learner better', async () => {
      const scheduler = t.app.get(TutorScheduler);
      const [learner] = await addLearners(1, 100);
      // A year of practice on every item by a learner whose memories strengthen faster than the others' (about 970
      // long-term reviews: past the 400 a fit of one's own needs, and enough held-out cards to judge it by).
      const items = allItems().map((i) => i.itemId);
      await storeAttempts(simulatedAttempts(FAST_CONSOLIDATION_WEIGHTS, { learners: 1, items, days: 365, seed: 11, learnerIds: [learner] }));

      const fit = await refit();
      expect(fit.learnerFits).toEqual({ eligible: 1, accepted: 1 });
      expect((await overview()).learnersWithOwnWeights).toBe(1);
      const own = (await scheduler.plannerFor(learner)).parameters.fsrsWeights!;
      expect(own).toHaveLength(default_w.length);
      expect(own[8]).toBeGreaterThan(fit.weights[8]); // this learner's memories strengthen faster than the others'
      expect(await scheduler.plannerFor(admin.user.id)).toBe(scheduler.planner);

      // Through the API: a learner with weights of their own is told their reviews are timed by them, the others not.
      await t.app.get(TutorRepository).saveLearnerFsrsWeights(fit.id, [{ userId: user.user.id, weights: [...own], reviews: 600 }]);
      const plan = async (s: Session) => (await request(t.http).get('/api/tutor/plan').set(auth(s)).expect(200)).body as TodayPlanDto;
      expect((await plan(user)).memoryModel).toBe('own');
      expect((await plan(admin)).memoryModel).toBe('shared');
    });

    it('stores a refit whole or not at all: a failure while storing leaves no fit behind', async () => {
      const repository = t.app.get(TutorRepository);
      const db = t.app.get<Database>(DATABASE);
      const fits = async () =>
        Number(
          (
            await db
              .selectFrom('tutor_fsrs_fits')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = [await fits(), (await repository.currentFsrsFit())?.id];
      jest.spyOn(repository, 'saveLearnerFsrsWeights').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
      const job = { data: { userId: admin.user.id }, progress: { report: () => undefined } };
      await expect(t.app.get(TutorScheduler).refit(job as unknown as Parameters<TutorScheduler['refit']>[0])).rejects.toThrow(/Connection terminated/);
      expect([await fits(), (await repository.currentFsrsFit())?.id]).toEqual(before);
    });

    it("counts as reviews the attempts on a later UTC day than the same card's previous one, across midnight too", async () => {
      const learner = (await registerUser(t.http)).user.id;
      const before = (await overview()).reviews;
      const [first, second] = allItems().map((i) => i.itemId);
      const attempt = (learnerId: string, itemId: string, at: string): RecordedAttempt => ({ learnerId, itemId, score: 1, at: new Date(at) });
      await storeAttempts([
        attempt(learner, first, '2026-03-01T23:50:00Z'),
        attempt(learner, first, '2026-03-02T00:10:00Z'), // 20 minutes later, but the next UTC day: a review
        attempt(learner, first, '2026-03-02T20:00:00Z'), // same day: not one
        attempt(learner, first, '2026-03-05T01:00:00Z'), // a review
        attempt(learner, second, '2026-03-02T00:05:00Z'), // another card's first attempt
        attempt(learner, second, '2026-03-02T23:59:00Z'),
        attempt(admin.user.id, first, '2026-03-03T10:00:00Z'), // another learner's first attempt on the item
      ]);
      expect((await overview()).reviews).toBe(before + 2);
    });
  });

  describe('item difficulties', () => {
    onAppOfItsOwn();

    it('refits them from every attempt when they predict held-out learners better, and the planner uses them', async () => {
      // 30 learners practise the first skill's items in turn for 30 days; one item is much harder than its prior says.
      const items = allItems().filter((i) => i.skillId === allItems()[0].skillId);
      const harder = items[0];
      const learners = await addLearners(30);
      const rng = createRng(3);
      const attempts: RecordedAttempt[] = [];
      for (const learnerId of learners)
        for (let day = 0; day < 30; day++)
          for (const [k, item] of items.entries()) {
            const g = guessRate(item.itemId);
            const success = g + (1 - g) / (1 + Math.exp(-(1 - item.priorDifficulty - (item === harder ? 1.5 : 0))));
            attempts.push({
              learnerId,
              itemId: item.itemId,
              score: rng.next() < success ? 1 : 0,
              at: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000 + k * 60_000),
            });
          }
      await storeAttempts(attempts);
      const predicted = async () => {
        const map = (await request(t.http).get('/api/tutor/skills').set(auth(user)).expect(200)).body as CourseMapDto;
        const skill = map.areas.flatMap((a) => a.skills).find((sk) => sk.id === harder.skillId)!;
        return skill.items.find((i) => i.itemId === harder.itemId)!.predictedSuccess;
      };
      const before = await predicted();

      const fit = await refit();
      expect(fit.items).toMatchObject({ accepted: true, refitted: items.length });
      expect(fit.items!.heldOut.refitted!).toBeLessThan(fit.items!.heldOut.current!);
      expect(fit.items!.heldOut.z!).toBeGreaterThanOrEqual(1.645);
      expect(await predicted()).toBeLessThan(before - 0.05); // a new learner's chance on the harder item, as the planner now sees it
    });
  });
});

describe('tutor scheduler: the periodic refit (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('runs in the worker role every TUTOR_FSRS_REFIT_INTERVAL_MS, recorded with no operator', async () => {
    t = await startTestApp({ env: { TUTOR_FSRS_REFIT_INTERVAL_MS: '1000' } });
    const admin = await loginAdmin(t.http);
    const fits = await eventually(
      async () => {
        const { fits } = (
          await request(t.http)
            .get('/api/tutor/scheduler')
            .set({ Authorization: `Bearer ${admin.accessToken}` })
            .expect(200)
        ).body as TutorSchedulerDto;
        return fits.length ? fits : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(fits[0]).toMatchObject({ requestedBy: null, accepted: false });
    expect(fits[0].reason).toMatch(/at least 400/);
  });
});
