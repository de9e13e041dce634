/**
 * Review histories for refitting FSRS: the attempts a learner made on one item, in order, as FSRS reviews (a rating
 * and the whole days since the previous review). Days are counted between UTC calendar dates, as ts-fsrs counts a
 * card's elapsed days, so a history reads exactly as the scheduler saw it.
 */
import type { Grade } from 'ts-fsrs';

/** One recorded attempt as the refit reads it. */
export interface RecordedAttempt {
  learnerId: string;
  itemId: string;
  score: number;
  at: Date;
}

export interface Review {
  rating: Grade;
  /** Whole days since the previous review of the card (0 for the first, and for another review the same day). */
  days: number;
}

/** One learner's card for one item. */
export interface CardHistory {
  learnerId: string;
  itemId: string;
  reviews: Review[];
}

const DAY_MS = 86_400_000;
const utcDay = (at: Date) => Math.floor(at.getTime() / DAY_MS);

/** Groups attempts by learner and item, each card's attempts in time order, rated by `gradeOf`. */
export function cardHistories(attempts: Iterable<RecordedAttempt>, gradeOf: (score: number) => Grade): CardHistory[] {
  const cards = new Map<string, { learnerId: string; itemId: string; attempts: RecordedAttempt[] }>();
  for (const attempt of attempts) {
    const key = `${attempt.learnerId}\u0000${attempt.itemId}`;
    let card = cards.get(key);
    if (!card) cards.set(key, (card = { learnerId: attempt.learnerId, itemId: attempt.itemId, attempts: [] }));
    card.attempts.push(attempt);
  }
  return [...cards.values()].map(({ learnerId, itemId, attempts: mine }) => {
    mine.sort((a, b) => a.at.getTime() - b.at.getTime());
    return {
      learnerId,
      itemId,
      reviews: mine.map((attempt, i) => ({ rating: gradeOf(attempt.score), days: i === 0 ? 0 : utcDay(attempt.at) - utcDay(mine[i - 1].at) })),
    };
  });
}

/** Reviews the memory model predicts: every review after a card's first that came a day or more after the previous one. */
export function longTermReviews(histories: readonly CardHistory[]): number {
  return histories.reduce((n, h) => n + h.reviews.filter((r, i) => i > 0 && r.days > 0).length, 0);
}
