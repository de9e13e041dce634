import type { StreakDto } from './dto/tutor.dto';
import type { LearnerRow } from './tutor.repository';

const DAY_MS = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of `at` in the IANA `timeZone`. */
export function dayOf(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA formats a date as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

/**
 * The last millisecond of `now`'s calendar day in `timeZone` (23:59:59.999 there, on a 23- or 25-hour day too): the
 * first instant of the next day, found by bisection over the day function, less 1 ms.
 */
export function endOfDayIn(now: Date, timeZone: string): Date {
  const today = dayOf(now, timeZone);
  let before = now.getTime();
  let after = before + 2 * DAY_MS;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (dayOf(new Date(middle), timeZone) === today) before = middle;
    else after = middle;
  }
  return new Date(before);
}

const previousDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/**
 * The streak after practising at `now`, in the learner's days: same day unchanged, the day after the last practice +1,
 * later back to 1. Days compare as text (YYYY-MM-DD). A last practice day after today (the learner moved west, or
 * practises on devices in two zones) counts as today: a move must not break the streak.
 */
export function practisedOn(learner: LearnerRow, now: Date): LearnerRow {
  const today = dayOf(now, learner.timeZone);
  if (learner.lastPracticeDay !== null && learner.lastPracticeDay >= today) return learner;
  const streakDays = learner.lastPracticeDay === previousDay(today) ? learner.streakDays + 1 : 1;
  return { ...learner, streakDays, longestStreakDays: Math.max(learner.longestStreakDays, streakDays), lastPracticeDay: today };
}

/** The streak as the learner sees it at `now`: a streak whose last day is before yesterday has lapsed. */
export function streakAt(learner: LearnerRow, now: Date): StreakDto {
  const today = dayOf(now, learner.timeZone);
  const last = learner.lastPracticeDay;
  const alive = last !== null && last >= previousDay(today);
  return { current: alive ? learner.streakDays : 0, longest: learner.longestStreakDays, practisedToday: last !== null && last >= today };
}
