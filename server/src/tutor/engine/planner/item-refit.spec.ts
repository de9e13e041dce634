import { createRng } from '../../../music/engine/rng';
import { allItems, itemsForSkill } from '../exercises/exercises';
import { refitItemDifficulties, refitItems, type ItemRefit } from './item-refit';
import { guessRate, LessonPlanner } from './lesson-planner';
import type { RecordedAttempt } from './review-history';

const DAY_MS = 86_400_000;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('refitItemDifficulties', () => {
  // Learners of fixed true ability practise one skill's items in turn for 30 days; one item is truly much harder than
  // its prior says and another much easier.
  const items = itemsForSkill('intervals.1');
  const [harder, easier] = [items[0], items[1]];
  const truth = new Map(items.map((i) => [i.itemId, i.priorDifficulty + (i === harder ? 1.5 : i === easier ? -1 : 0)]));
  const rng = createRng(3);
  const attempts: RecordedAttempt[] = [];
  for (let learner = 0; learner < 30; learner++) {
    for (let day = 0; day < 30; day++) {
      for (const [k, item] of items.entries()) {
        const g = guessRate(item.itemId);
        const success = g + (1 - g) * sigmoid(1 - truth.get(item.itemId)!);
        attempts.push({
          learnerId: `learner ${learner}`,
          itemId: item.itemId,
          score: rng.next() < success ? 1 : 0,
          at: new Date(Date.UTC(2026, 0, 1) + day * DAY_MS + k * 60_000),
        });
      }
    }
  }
  let refits: Map<string, ItemRefit>;
  beforeAll(async () => {
    refits = new Map((await refitItemDifficulties(attempts, new LessonPlanner())).map((r) => [r.itemId, r]));
  });

  it('moves an item the attempts show to be harder or easier than its prior towards what they show', () => {
    const relative = (itemId: string) => {
      const others = items.filter((i) => i.itemId !== itemId);
      const shift = others.reduce((s, i) => s + refits.get(i.itemId)!.difficulty - i.priorDifficulty, 0) / others.length;
      return refits.get(itemId)!.difficulty - shift;
    };
    expect(relative(harder.itemId) - harder.priorDifficulty).toBeGreaterThan(0.6);
    expect(relative(easier.itemId) - easier.priorDifficulty).toBeLessThan(-0.4);
    expect(refits.get(harder.itemId)!.attempts).toBe(900);
  });

  it('keeps the prior of an item nobody attempted, and every item of the course is listed', () => {
    const untouched = allItems().find((i) => i.skillId !== 'intervals.1')!;
    expect(refits.get(untouched.itemId)).toEqual({ itemId: untouched.itemId, difficulty: untouched.priorDifficulty, attempts: 0 });
    expect(refits.size).toBe(allItems().length);
  });

  it('takes the refit when difficulties fitted without one learner in five predict those learners better than the priors', async () => {
    const report = await refitItems(attempts, new LessonPlanner(), {});
    expect(report.heldOut.learners).toBeGreaterThanOrEqual(5);
    expect(report.heldOut.refitted!).toBeLessThan(report.heldOut.current!);
    expect(report.heldOut.z!).toBeGreaterThanOrEqual(1.645);
    expect(report.accepted).toBe(true);
    expect(report.difficulties.map((d) => d.itemId).sort()).toEqual(items.map((i) => i.itemId).sort()); // the attempted items only
    expect(report.difficulties.find((d) => d.itemId === harder.itemId)!.difficulty).toBe(refits.get(harder.itemId)!.difficulty);
  });

  it('judges nothing with fewer than five learners held out', async () => {
    const few = attempts.filter((a) => ['learner 0', 'learner 1', 'learner 2'].includes(a.learnerId));
    const report = await refitItems(few, new LessonPlanner(), {});
    expect(report).toMatchObject({ accepted: false, difficulties: [] });
    expect(report.reason).toMatch(/needs 5/);
  });
});
