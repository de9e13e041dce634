import { practisedOn, streakAt } from './tutor-streak';

const fresh = { streakDays: 0, longestStreakDays: 0, lastPracticeDay: null };
const at = (iso: string) => new Date(iso);

describe('practice streak', () => {
  it('starts at 1, grows by one on consecutive days, stays within a day, and restarts after a gap', () => {
    let learner = practisedOn(fresh, at('2026-11-01T09:00:00Z'));
    expect(learner).toEqual({ streakDays: 1, longestStreakDays: 1, lastPracticeDay: '2026-11-01' });
    learner = practisedOn(learner, at('2026-11-01T22:00:00Z'));
    expect(learner.streakDays).toBe(1);
    learner = practisedOn(learner, at('2026-11-02T00:30:00Z'));
    learner = practisedOn(learner, at('2026-11-03T12:00:00Z'));
    expect(learner).toEqual({ streakDays: 3, longestStreakDays: 3, lastPracticeDay: '2026-11-03' });
    learner = practisedOn(learner, at('2026-11-06T12:00:00Z'));
    expect(learner).toEqual({ streakDays: 1, longestStreakDays: 3, lastPracticeDay: '2026-11-06' });
  });

  it('shows a streak as current through the next day, then as lapsed', () => {
    const learner = { streakDays: 5, longestStreakDays: 7, lastPracticeDay: '2026-03-01' };
    expect(streakAt(learner, at('2026-03-01T10:00:00Z'))).toEqual({ current: 5, longest: 7, practisedToday: true });
    expect(streakAt(learner, at('2026-03-02T23:00:00Z'))).toEqual({ current: 5, longest: 7, practisedToday: false });
    expect(streakAt(learner, at('2026-03-03T00:00:01Z'))).toEqual({ current: 0, longest: 7, practisedToday: false });
  });
});
