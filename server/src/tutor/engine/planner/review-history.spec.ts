import { Rating } from 'ts-fsrs';
import { LessonPlanner } from './lesson-planner';
import { cardHistories, longTermReviews, type RecordedAttempt } from './review-history';

const planner = new LessonPlanner();
const at = (iso: string) => new Date(iso);

describe('cardHistories', () => {
  it('groups attempts per learner and item, in time order, rated as the planner rates them, days counted between UTC dates', () => {
    const attempts: RecordedAttempt[] = [
      { learnerId: 'a', itemId: 'i', score: 0.2, at: at('2026-01-03T08:00:00Z') },
      { learnerId: 'a', itemId: 'i', score: 1, at: at('2026-01-01T23:50:00Z') },
      { learnerId: 'a', itemId: 'i', score: 0.6, at: at('2026-01-02T00:10:00Z') },
      { learnerId: 'b', itemId: 'i', score: 1, at: at('2026-01-01T09:00:00Z') },
      { learnerId: 'a', itemId: 'j', score: 0.9, at: at('2026-01-01T09:00:00Z') },
      { learnerId: 'a', itemId: 'i', score: 0.85, at: at('2026-01-03T09:00:00Z') },
    ];
    const histories = cardHistories(attempts, (score) => planner.gradeOf(score));
    expect(histories).toHaveLength(3);
    const ai = histories.find((h) => h.learnerId === 'a' && h.itemId === 'i')!;
    // 20 minutes apart but across midnight: one day, as ts-fsrs counts it; two attempts the same day: 0.
    expect(ai.reviews).toEqual([
      { rating: Rating.Good, days: 0 },
      { rating: Rating.Hard, days: 1 },
      { rating: Rating.Again, days: 1 },
      { rating: Rating.Good, days: 0 },
    ]);
    expect(histories.find((h) => h.learnerId === 'b')!.reviews).toEqual([{ rating: Rating.Good, days: 0 }]);
    // Only reviews a day or more after the previous one count as long-term.
    expect(longTermReviews(histories)).toBe(2);
  });
});
