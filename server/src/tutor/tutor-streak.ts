import type { StreakDto } from './dto/tutor.dto';
import type { LearnerRow } from './tutor.repository';

const DAY_MS = 86_400_000;

/** UTC calendar day of `at` (YYYY-MM-DD). */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

const previousDay = (day: string): string => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS));

/** The streak after practising at `now`: same day unchanged, the day after the last practice +1, later back to 1. */
export function practisedOn(learner: LearnerRow, now: Date): LearnerRow {
  const today = dayOf(now);
  if (learner.lastPracticeDay === today) return learner;
  const streakDays = learner.lastPracticeDay === previousDay(today) ? learner.streakDays + 1 : 1;
  return { streakDays, longestStreakDays: Math.max(learner.longestStreakDays, streakDays), lastPracticeDay: today };
}

/** The streak as the learner sees it at `now`: a streak whose last day is before yesterday has lapsed. */
export function streakAt(learner: LearnerRow, now: Date): StreakDto {
  const today = dayOf(now);
  const alive = learner.lastPracticeDay === today || learner.lastPracticeDay === previousDay(today);
  return { current: alive ? learner.streakDays : 0, longest: learner.longestStreakDays, practisedToday: learner.lastPracticeDay === today };
}
