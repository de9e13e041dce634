import { default_w } from 'ts-fsrs';
import { FAST_CONSOLIDATION_WEIGHTS, SLOW_CONSOLIDATION_WEIGHTS, simulatedAttempts } from '../../test/support/fsrs-logs';
import { cardHistories, LessonPlanner, MIN_JUDGE_Z } from './engine';
import { MIN_REFIT_REVIEWS, refitFsrs, refitLearners } from './fsrs-refit';

const DAY_MS = 86_400_000;
const planner = new LessonPlanner();
const grade = (score: number) => planner.gradeOf(score);
const items = (n: number) => Array.from({ length: n }, (_, k) => `item ${k}`);
const logs = (learners: number, itemCount: number, days: number, seed: number) =>
  cardHistories(simulatedAttempts(SLOW_CONSOLIDATION_WEIGHTS, { learners, items: items(itemCount), days, seed }), grade);

describe('refitFsrs', () => {
  it('takes weights fitted on the logs when they predict held-out cards better than the weights in use', async () => {
    const histories = logs(40, 15, 120, 1);
    const stages = new Set<string>();
    const report = await refitFsrs(histories, default_w, (fraction, stage) => {
      expect(fraction).toBeGreaterThanOrEqual(0);
      expect(fraction).toBeLessThanOrEqual(1);
      stages.add(stage);
    });
    expect(report).toMatchObject({ accepted: true, learners: 40, cards: 600 });
    expect(report.reviews).toBeGreaterThanOrEqual(MIN_REFIT_REVIEWS);
    expect(report.heldOut.cards).toBeGreaterThan(60);
    expect(report.heldOut.fitted!.logLoss).toBeLessThan(report.heldOut.current!.logLoss);
    expect(report.weights).toHaveLength(default_w.length);
    // The refit learned that these learners' memories strengthen more slowly with each successful review.
    expect(report.weights[8]).toBeLessThan(default_w[8]);
    expect(stages).toEqual(new Set(['fitting', 'judging', 'refitting on every card']));
    // The planner schedules with them: an item recalled on the next day comes back sooner than under the defaults.
    const day = new Date(Date.UTC(2026, 5, 1, 9));
    const due = (p: LessonPlanner) => {
      const first = p.record(LessonPlanner.newLearner(), {}, 'intervals.1:7', 1, day);
      return Date.parse(p.record(first.progress, first.calibration, 'intervals.1:7', 1, new Date(day.getTime() + DAY_MS)).nextReview);
    };
    expect(due(new LessonPlanner({ fsrsWeights: report.weights }))).toBeLessThan(due(planner));
  }, 120_000);

  it('keeps the weights in use when the fitted ones predict held-out cards no better', async () => {
    const histories = logs(40, 15, 120, 2);
    const first = await refitFsrs(histories, default_w);
    // Weights fitted on every card, the held-out ones included, against a fit that never saw those.
    const report = await refitFsrs(histories, first.weights);
    expect(report.accepted).toBe(false);
    expect(report.reason).toMatch(/The weights in use stay/);
    expect(report.weights).toEqual(first.weights);
    expect(report.heldOut.z).toBeLessThan(MIN_JUDGE_Z);
  }, 120_000);

  it('refits a learner with enough reviews of their own on their cards alone, judged on a few dozen held-out cards', async () => {
    // Judged review by review on the held-out cards' later long-term reviews (fsrs-rs's evaluation refuses a card's
    // first long-term review alone, and weighs a set's items by their place in it), beyond chance card by card.
    const quick = simulatedAttempts(FAST_CONSOLIDATION_WEIGHTS, { learners: 1, items: items(140), days: 365, seed: 11, learnerIds: ['learner 3'] });
    const light = simulatedAttempts(SLOW_CONSOLIDATION_WEIGHTS, { learners: 1, items: items(10), days: 60, seed: 12, learnerIds: ['learner 1'] });
    const progress: number[] = [];
    const refits = await refitLearners(
      cardHistories([...quick, ...light], grade),
      () => SLOW_CONSOLIDATION_WEIGHTS,
      (done) => progress.push(done),
    );
    expect(refits.map((r) => r.learnerId)).toEqual(['learner 3']);
    expect(progress).toEqual([0]);
    const { report } = refits[0];
    expect(report.heldOut.cards).toBeLessThan(40);
    expect(report.accepted).toBe(true);
    expect(report.heldOut.fitted!.logLoss).toBeLessThan(report.heldOut.current!.logLoss);
    expect(report.weights[8]).toBeGreaterThan(SLOW_CONSOLIDATION_WEIGHTS[8]); // their memories strengthen faster
  }, 120_000);

  it('fits nothing before there are enough long-term reviews', async () => {
    const histories = logs(2, 3, 30, 3);
    const report = await refitFsrs(histories, default_w);
    expect(report).toMatchObject({ accepted: false, weights: [...default_w], learners: 2, cards: 6 });
    expect(report.reason).toContain(`at least ${MIN_REFIT_REVIEWS}`);
    expect(report.heldOut.current).toBeUndefined();
  });
});
