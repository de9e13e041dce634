import { createEmptyCard, default_w, fsrs, Rating, type Card } from 'ts-fsrs';
import { createRng } from '../../src/music/engine/rng';
import type { RecordedAttempt } from '../../src/tutor/engine';

const DAY_MS = 86_400_000;

/** Learners whose memories strengthen more slowly than FSRS-6's defaults assume: stability grows by e^(w8 − 0.7), not e^w8. */
export const SLOW_CONSOLIDATION_WEIGHTS: readonly number[] = default_w.map((w, i) => (i === 8 ? w - 0.7 : w));
/** A learner whose memories strengthen faster than FSRS-6's defaults assume: e^(w8 + 0.5). */
export const FAST_CONSOLIDATION_WEIGHTS: readonly number[] = default_w.map((w, i) => (i === 8 ? w + 0.5 : w));

/**
 * Review logs of learners whose memory follows FSRS with `trueWeights`, each item reviewed when the default weights
 * schedule it (as the planner does before any refit) or up to two days later, over `days` days from 2026-01-01.
 */
export function simulatedAttempts(
  trueWeights: readonly number[],
  { learners, items, days, seed, learnerIds }: { learners: number; items: readonly string[]; days: number; seed: number; learnerIds?: readonly string[] },
): RecordedAttempt[] {
  const rng = createRng(seed);
  const memory = fsrs({ w: [...trueWeights], enable_fuzz: false });
  const scheduler = fsrs({ enable_fuzz: false });
  const start = Date.UTC(2026, 0, 1, 9);
  const attempts: RecordedAttempt[] = [];
  for (let l = 0; l < learners; l++) {
    for (const itemId of items) {
      let at = new Date(start + rng.int(0, 30) * DAY_MS);
      let truth: Card = createEmptyCard(at);
      let scheduled: Card = createEmptyCard(at);
      while (at.getTime() < start + days * DAY_MS) {
        const recall = truth.reps === 0 ? 0.6 : memory.get_retrievability(truth, at, false);
        const rating = rng.next() < recall ? Rating.Good : Rating.Again;
        attempts.push({ learnerId: learnerIds?.[l] ?? `learner ${l}`, itemId, score: rating === Rating.Good ? 1 : 0, at });
        truth = memory.next(truth, at, rating).card;
        scheduled = scheduler.next(scheduled, at, rating).card;
        at = new Date(scheduled.due.getTime() + rng.int(0, 2) * DAY_MS);
      }
    }
  }
  return attempts;
}
