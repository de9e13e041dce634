/**
 * Item difficulties refitted in one pass over every stored attempt. The planner calibrates an item online from
 * learners' first attempts only (an Elo step), which in the learner simulation ends further from the true
 * difficulties than the priors it starts from. Here every attempt counts: the attempts are replayed in time order
 * through the planner, so each one has the learner's estimated ability and the item's FSRS recall at that moment,
 * and each item's difficulty is the maximum a posteriori estimate under the planner's own model
 * g + (1 − g)·σ(θ − b)·R with a normal prior around the item's prior difficulty. `refitItems` takes the refit only when
 * difficulties fitted without one learner in five predict those learners' attempts better than the ones in use.
 */
import { allItems } from '../exercises/exercises';
import { guessRate, LessonPlanner, type ItemCalibration, type LearnerProgress } from './lesson-planner';
import { MIN_JUDGE_Z, pairedZ } from './paired-z';
import type { RecordedAttempt } from './review-history';

/** Standard deviation (logits) of an item's difficulty around its prior: how far the attempts may move it. */
export const ITEM_PRIOR_SD = 0.5;
/** Attempts replayed (or items fitted) between two yields to the event loop: a refit of a large log runs for seconds. */
const YIELD_EVERY = 2000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The search range around the prior (logits) and its ternary-search steps (the range shrinks to 6·(2/3)^60). */
const SEARCH_LOGITS = 3;
const SEARCH_STEPS = 60;

export interface ItemRefit {
  itemId: string;
  difficulty: number;
  /** Attempts the estimate rests on. */
  attempts: number;
}

export interface ItemRefitReport {
  accepted: boolean;
  /** Why the refit was taken or not, in words. */
  reason: string;
  /** The refitted difficulties when accepted (items with attempts only), else none. */
  difficulties: ItemRefit[];
  /** Learners held out (one in HELD_OUT_EVERY, by a hash of their id), their attempts, the mean log loss of those
   * attempts with the difficulties in use and with those fitted without them, and the paired comparison over them. */
  heldOut: { learners: number; attempts: number; current?: number; refitted?: number; z?: number };
}

const HELD_OUT_EVERY = 5;
/** Held-out learners needed before a refit is judged at all. */
const MIN_HELD_OUT_LEARNERS = 5;

/** What the planner knew when an attempt was made: ability, recall, guessing floor, and the score it got. */
interface Observation {
  learnerId: string;
  theta: number;
  recall: number;
  guess: number;
  score: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Every item's refitted difficulty (items never attempted keep their prior, with 0 attempts). */
export async function refitItemDifficulties(attempts: readonly RecordedAttempt[], planner: LessonPlanner, priorSd = ITEM_PRIOR_SD): Promise<ItemRefit[]> {
  return fitAll(await replay(attempts, planner), priorSd);
}

/**
 * Refits the difficulties and judges them: fitted without the held-out learners, they must predict those learners'
 * attempts better than `current` (the calibration in use), overall and learner by learner beyond chance; then they are
 * fitted again on everyone.
 */
export async function refitItems(
  attempts: readonly RecordedAttempt[],
  planner: LessonPlanner,
  current: ItemCalibration,
  priorSd = ITEM_PRIOR_SD,
): Promise<ItemRefitReport> {
  const observations = await replay(attempts, planner);
  const heldOut = new Map<string, Observation[]>();
  const kept = new Map<string, Observation[]>();
  for (const [itemId, list] of observations) for (const o of list) pushTo(isHeldOut(o.learnerId) ? heldOut : kept, itemId, o);
  const byLearner = new Map<string, { itemId: string; o: Observation }[]>();
  for (const [itemId, list] of heldOut) for (const o of list) pushTo(byLearner, o.learnerId, { itemId, o });
  const attemptsHeldOut = [...byLearner.values()].reduce((n, l) => n + l.length, 0);
  const summary = { learners: byLearner.size, attempts: attemptsHeldOut };
  if (byLearner.size < MIN_HELD_OUT_LEARNERS)
    return {
      accepted: false,
      reason: `${byLearner.size} learners held out; judging a refit of the item difficulties needs ${MIN_HELD_OUT_LEARNERS}. The difficulties in use stay.`,
      difficulties: [],
      heldOut: summary,
    };
  const fitted = new Map((await fitAll(kept, priorSd)).map((r) => [r.itemId, r.difficulty]));
  const losses = (difficulty: (itemId: string) => number) =>
    [...byLearner.values()].map((list) => list.reduce((sum, { itemId, o }) => sum + loss(o, difficulty(itemId)), 0));
  const before = losses((itemId) => planner.difficulty(current, itemId));
  const after = losses((itemId) => fitted.get(itemId)!);
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / attemptsHeldOut) * 1e4) / 1e4;
  const judged = { ...summary, current: mean(before), refitted: mean(after), z: pairedZ(before, after) };
  const words = `log loss ${judged.refitted.toFixed(4)} against ${judged.current.toFixed(4)} on ${attemptsHeldOut} attempts of ${byLearner.size} held-out learners; z ${judged.z.toFixed(2)}`;
  if (!(judged.refitted < judged.current && judged.z >= MIN_JUDGE_Z))
    return {
      accepted: false,
      reason: `Refitted item difficulties predicted held-out learners no better beyond chance (${words}). The difficulties in use stay.`,
      difficulties: [],
      heldOut: judged,
    };
  return {
    accepted: true,
    reason: `Refitted item difficulties predicted held-out learners better (${words}).`,
    difficulties: (await fitAll(observations, priorSd)).filter((r) => r.attempts > 0),
    heldOut: judged,
  };
}

/** The attempts replayed in time order through the planner: what it knew at each one, by item. */
async function replay(attempts: readonly RecordedAttempt[], planner: LessonPlanner): Promise<Map<string, Observation[]>> {
  const items = new Map(allItems().map((i) => [i.itemId, i]));
  const observations = new Map<string, Observation[]>();
  const progressOf = new Map<string, LearnerProgress>();
  let calibration: ItemCalibration = {};
  for (const [n, attempt] of [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime()).entries()) {
    if (n > 0 && n % YIELD_EVERY === 0) await yieldToEventLoop();
    const item = items.get(attempt.itemId);
    if (!item) continue; // an item retired from the course
    let progress = progressOf.get(attempt.learnerId) ?? LessonPlanner.newLearner();
    const theta = planner.ability(progress, item.skillId);
    const guess = guessRate(item.itemId);
    // The recall factor R of the planner's prediction g + (1 − g)·σ(θ − b)·R.
    const predicted = planner.predict(progress, calibration, item.itemId, attempt.at);
    const recall = (predicted - guess) / ((1 - guess) * sigmoid(theta - planner.difficulty(calibration, item.itemId)));
    pushTo(observations, item.itemId, { learnerId: attempt.learnerId, theta, recall, guess, score: attempt.score });
    ({ progress, calibration } = planner.record(progress, calibration, item.itemId, attempt.score, attempt.at));
    progressOf.set(attempt.learnerId, progress);
  }
  return observations;
}

async function fitAll(observations: ReadonlyMap<string, readonly Observation[]>, priorSd: number): Promise<ItemRefit[]> {
  const refits: ItemRefit[] = [];
  let fittedSinceYield = 0;
  for (const item of allItems()) {
    const seen = observations.get(item.itemId) ?? [];
    refits.push({ itemId: item.itemId, difficulty: mapDifficulty(seen, item.priorDifficulty, priorSd), attempts: seen.length });
    fittedSinceYield += seen.length;
    if (fittedSinceYield >= YIELD_EVERY) {
      fittedSinceYield = 0;
      await yieldToEventLoop();
    }
  }
  return refits;
}

/** The attempt's log loss under the planner's model at difficulty b. */
function loss(o: Observation, b: number): number {
  const p = Math.min(1 - 1e-6, Math.max(1e-6, o.guess + (1 - o.guess) * sigmoid(o.theta - b) * o.recall));
  return -(o.score * Math.log(p) + (1 - o.score) * Math.log(1 - p));
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One learner in HELD_OUT_EVERY, by an FNV-1a hash of their id (stable across runs). */
function isHeldOut(learnerId: string): boolean {
  let hash = 2166136261;
  for (let i = 0; i < learnerId.length; i++) hash = Math.imul(hash ^ learnerId.charCodeAt(i), 16777619) >>> 0;
  return hash % HELD_OUT_EVERY === 0;
}

/** The difficulty that maximises the attempts' likelihood times the prior (ternary search: the cost is unimodal in b). */
function mapDifficulty(seen: readonly Observation[], prior: number, priorSd: number): number {
  if (!seen.length) return prior;
  const cost = (b: number) => seen.reduce((total, o) => total + loss(o, b), (b - prior) ** 2 / (2 * priorSd * priorSd));
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
