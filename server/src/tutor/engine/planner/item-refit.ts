/**
 * Item difficulties refitted in one pass over every stored attempt. The planner calibrates an item online from
 * learners' first attempts only (an Elo step), which in the learner simulation ends further from the true
 * difficulties than the priors it starts from. Here every attempt counts: the attempts are replayed in time order
 * through the planner, so each one has the learner's estimated ability and the item's FSRS recall at that moment,
 * and each item's difficulty is the maximum a posteriori estimate under the planner's own model
 * g + (1 − g)·σ(θ − b)·R with a normal prior around the item's prior difficulty.
 */
import { allItems } from '../exercises/exercises';
import { guessRate, LessonPlanner, type ItemCalibration, type LearnerProgress } from './lesson-planner';
import type { RecordedAttempt } from './review-history';

/** Standard deviation (logits) of an item's difficulty around its prior: how far the attempts may move it. */
export const ITEM_PRIOR_SD = 0.5;
/** The search range around the prior (logits) and its ternary-search steps (the range shrinks to 6·(2/3)^60). */
const SEARCH_LOGITS = 3;
const SEARCH_STEPS = 60;

export interface ItemRefit {
  itemId: string;
  difficulty: number;
  /** Attempts the estimate rests on. */
  attempts: number;
}

/** What the planner knew when an attempt was made: ability, recall, guessing floor, and the score it got. */
interface Observation {
  theta: number;
  recall: number;
  guess: number;
  score: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Every item's refitted difficulty (items never attempted keep their prior, with 0 attempts). */
export function refitItemDifficulties(attempts: readonly RecordedAttempt[], planner: LessonPlanner, priorSd = ITEM_PRIOR_SD): ItemRefit[] {
  const items = new Map(allItems().map((i) => [i.itemId, i]));
  const observations = new Map<string, Observation[]>();
  const progressOf = new Map<string, LearnerProgress>();
  let calibration: ItemCalibration = {};
  for (const attempt of [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const item = items.get(attempt.itemId);
    if (!item) continue; // an item retired from the course
    let progress = progressOf.get(attempt.learnerId) ?? LessonPlanner.newLearner();
    const theta = planner.ability(progress, item.skillId);
    const guess = guessRate(item.itemId);
    // The recall factor of the planner's prediction, read at b = θ (where σ(θ − b) = ½).
    const atTheta = planner.predict(progress, { ...calibration, [item.itemId]: { difficulty: theta, attempts: 0 } }, item.itemId, attempt.at);
    const recall = guess < 1 ? (atTheta - guess) / ((1 - guess) * 0.5) : 1;
    const list = observations.get(item.itemId) ?? [];
    list.push({ theta, recall, guess, score: attempt.score });
    observations.set(item.itemId, list);
    ({ progress, calibration } = planner.record(progress, calibration, item.itemId, attempt.score, attempt.at));
    progressOf.set(attempt.learnerId, progress);
  }
  return [...items.values()].map((item) => {
    const seen = observations.get(item.itemId) ?? [];
    return { itemId: item.itemId, difficulty: mapDifficulty(seen, item.priorDifficulty, priorSd), attempts: seen.length };
  });
}

/** The difficulty that maximises the attempts' likelihood times the prior (ternary search: the cost is unimodal in b). */
function mapDifficulty(seen: readonly Observation[], prior: number, priorSd: number): number {
  if (!seen.length) return prior;
  const cost = (b: number) => {
    let total = (b - prior) ** 2 / (2 * priorSd * priorSd);
    for (const o of seen) {
      const p = Math.min(1 - 1e-6, Math.max(1e-6, o.guess + (1 - o.guess) * sigmoid(o.theta - b) * o.recall));
      total -= o.score * Math.log(p) + (1 - o.score) * Math.log(1 - p);
    }
    return total;
  };
  let lo = prior - SEARCH_LOGITS;
  let hi = prior + SEARCH_LOGITS;
  for (let step = 0; step < SEARCH_STEPS; step++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (cost(a) < cost(b)) hi = b;
    else lo = a;
  }
  return Math.round(((lo + hi) / 2) * 1e4) / 1e4;
}
