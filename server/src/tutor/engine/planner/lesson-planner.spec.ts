import { itemsForSkill } from '../exercises/exercises';
import { LessonPlanner, type ItemCalibration, type LearnerProgress } from './lesson-planner';

const DAY = 86_400_000;
const T0 = new Date(Date.UTC(2026, 0, 5, 9));

/** Runs attempts on one skill's items with the given outcome. */
function practise(planner: LessonPlanner, skillId: string, outcome: (i: number) => number, count: number, start = T0) {
  let progress: LearnerProgress = LessonPlanner.newLearner();
  let calibration: ItemCalibration = {};
  const items = itemsForSkill(skillId);
  for (let i = 0; i < count; i++) {
    ({ progress, calibration } = planner.record(progress, calibration, items[i % items.length].itemId, outcome(i), new Date(start.getTime() + i * 60_000)));
  }
  return { progress, calibration };
}

describe('LessonPlanner', () => {
  const planner = new LessonPlanner();

  it('starts a new learner on first-level material inside the target band', () => {
    const next = planner.next(LessonPlanner.newLearner(), {}, T0, 1);
    expect(next.skillId).toMatch(/\.1$/);
    expect(next.kind).toBe('new');
    expect(next.predictedSuccess).toBeGreaterThanOrEqual(0.65);
    expect(next.predictedSuccess).toBeLessThanOrEqual(0.85);
    expect(next.reason).toContain('predicted success');
  });

  it('raises ability after successes and lowers it after failures (Elo)', () => {
    const up = practise(planner, 'intervals.1', () => 1, 10);
    const down = practise(planner, 'intervals.1', () => 0, 10);
    expect(up.progress.abilities['intervals.1'].theta).toBeGreaterThan(0.5);
    expect(down.progress.abilities['intervals.1'].theta).toBeLessThan(-0.5);
  });

  it('learns from learners’ first attempts that an item everyone fails is harder, and not from repeats', () => {
    const planner2 = new LessonPlanner();
    let calibration: ItemCalibration = {};
    const items = itemsForSkill('intervals.2');
    const hard = items.find((i) => i.itemId.endsWith(':1'))!;
    const easy = items.find((i) => i.itemId.endsWith(':12'))!;
    for (let learner = 0; learner < 30; learner++) {
      let progress = LessonPlanner.newLearner();
      for (const item of items) ({ progress, calibration } = planner2.record(progress, calibration, item.itemId, item === hard ? 0 : 1, T0));
    }
    expect(planner2.difficulty(calibration, hard.itemId)).toBeGreaterThan(hard.priorDifficulty + 0.5);
    expect(planner2.difficulty(calibration, easy.itemId)).toBeLessThan(easy.priorDifficulty - 0.3);
    // One learner failing the easy item ten times in a row moves it only once.
    let progress = LessonPlanner.newLearner();
    let after = calibration;
    ({ progress, calibration: after } = planner2.record(progress, after, easy.itemId, 0, T0));
    const once = planner2.difficulty(after, easy.itemId);
    for (let k = 0; k < 9; k++) ({ progress, calibration: after } = planner2.record(progress, after, easy.itemId, 0, T0));
    expect(once).toBeGreaterThan(planner2.difficulty(calibration, easy.itemId));
    expect(planner2.difficulty(after, easy.itemId)).toBe(once);
    expect(after[easy.itemId].attempts).toBe(calibration[easy.itemId].attempts + 1);
  });

  it('unlocks the next level only after mastery', () => {
    const weak = practise(planner, 'intervals.1', (i) => (i % 2 ? 1 : 0), 12);
    expect(planner.unlocked(weak.progress, weak.calibration).map((s) => s.id)).not.toContain('intervals.2');
    const strong = practise(planner, 'intervals.1', () => 1, 12);
    expect(planner.isMastered(strong.progress, strong.calibration, 'intervals.1')).toBe(true);
    expect(planner.unlocked(strong.progress, strong.calibration).map((s) => s.id)).toContain('intervals.2');
  });

  it('puts due FSRS reviews first, with the reason in words', () => {
    const { progress, calibration } = practise(planner, 'rhythm.1', () => 1, 6);
    const later = new Date(T0.getTime() + 30 * DAY);
    const next = planner.next(progress, calibration, later, 3);
    expect(next.kind).toBe('review');
    expect(next.reason).toMatch(/^Review .*: last practised \d+ days ago, recall now about \d+% \(FSRS\)\.$/);
    const plan = planner.dailyPlan(progress, calibration, later);
    expect(plan.reviews.length).toBeGreaterThan(0);
    expect(plan.summary[0]).toMatch(/reviews? due today/);
  });

  it('counts as due today only the reviews due before the end of the learner’s day, not those due tomorrow morning', () => {
    const { progress, calibration } = practise(planner, 'rhythm.1', () => 1, 6);
    const due = Math.min(...Object.values(progress.cards).map((card) => new Date(card.due).getTime()));
    // The evening before the first card falls due (overnight): due within 24 hours, but not today.
    const evening = new Date(due - 10 * 3_600_000);
    const midnight = new Date(due - 8 * 3_600_000 - 1);
    expect(planner.dailyPlan(progress, calibration, evening, midnight).reviews).toEqual([]);
    expect(planner.next(progress, calibration, evening, 3).kind).not.toBe('review');
    expect(planner.dailyPlan(progress, calibration, evening).reviews.length).toBeGreaterThan(0);
  });

  it('lets forgetting lower predicted success on practised items', () => {
    const { progress, calibration } = practise(planner, 'chords.1', () => 1, 8);
    const itemId = itemsForSkill('chords.1')[0].itemId;
    const soon = planner.predict(progress, calibration, itemId, new Date(T0.getTime() + DAY));
    const late = planner.predict(progress, calibration, itemId, new Date(T0.getTime() + 200 * DAY));
    expect(late).toBeLessThan(soon - 0.05);
  });

  it('plans new material with reasons and recommends open skills weakest first', () => {
    const plan = planner.dailyPlan(LessonPlanner.newLearner(), {}, T0);
    expect(plan.reviews).toEqual([]);
    expect(plan.newMaterial).toHaveLength(2);
    expect(plan.newMaterial[0].reason).toMatch(/^Start /);
    const recs = planner.recommendations(LessonPlanner.newLearner(), {});
    expect(recs.length).toBeGreaterThan(1);
    for (let i = 1; i < recs.length; i++) expect(recs[i].mastery).toBeGreaterThanOrEqual(recs[i - 1].mastery);
  });
});
