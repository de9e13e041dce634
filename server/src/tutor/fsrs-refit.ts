/**
 * Refits the planner's FSRS-6 weights from the tutor's own review logs with fsrs-rs's optimiser
 * (`@open-spaced-repetition/binding`, native; loaded only when a refit runs), and takes them only when they predict
 * cards it did not fit on better than the weights in use: every fifth card (by a hash of learner and item) is held
 * out, the optimiser fits the rest, and both sets of weights are scored on the held-out reviews (log loss, and RMSE
 * over FSRS's bins); the fitted ones must do better overall and card by card beyond chance (MIN_JUDGE_Z). Accepted
 * weights are then fitted once more on every card. The same refit runs for the whole log (the shared weights) and
 * for each learner with enough reviews of their own (`refitLearners`).
 */
import { createHash } from 'node:crypto';
import type { FSRSBindingItem } from '@open-spaced-repetition/binding';
import { longTermReviews, MIN_JUDGE_Z, pairedZ, type CardHistory } from './engine';

/** Long-term reviews (a day or more after the previous one) a refit needs before it fits anything. */
export const MIN_REFIT_REVIEWS = 400;
/** One card in HELD_OUT_EVERY is held out to judge the fit. */
const HELD_OUT_EVERY = 5;

export interface FsrsQuality {
  logLoss: number;
  rmseBins: number;
}

export interface FsrsRefitReport {
  accepted: boolean;
  /** Why the fit was taken or not, in words. */
  reason: string;
  /** The weights to schedule with from now on: the fitted ones when accepted, else those in use. */
  weights: number[];
  learners: number;
  cards: number;
  /** Long-term reviews over all cards. */
  reviews: number;
  /** `z`: the paired comparison over the held-out cards (see MIN_JUDGE_Z), when they could be judged. */
  heldOut: { cards: number; reviews: number; current?: FsrsQuality; fitted?: FsrsQuality; z?: number };
}

export type RefitProgress = (fraction: number, stage: 'fitting' | 'judging' | 'refitting on every card') => void;

type Binding = typeof import('@open-spaced-repetition/binding');

async function loadBinding(): Promise<Binding> {
  try {
    return await import('@open-spaced-repetition/binding');
  } catch (error) {
    throw new Error(`The FSRS optimiser (@open-spaced-repetition/binding) cannot load here: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function refitFsrs(histories: readonly CardHistory[], current: readonly number[], progress: RefitProgress = () => {}): Promise<FsrsRefitReport> {
  const heldOutCards = histories.filter(isHeldOut);
  const fitCards = histories.filter((h) => !isHeldOut(h));
  const reviews = longTermReviews(histories);
  const report = (
    accepted: boolean,
    reason: string,
    weights: readonly number[],
    quality: Partial<Pick<FsrsRefitReport['heldOut'], 'current' | 'fitted' | 'z'>> = {},
  ) => ({
    accepted,
    reason,
    weights: [...weights],
    learners: new Set(histories.map((h) => h.learnerId)).size,
    cards: histories.length,
    reviews,
    heldOut: { cards: heldOutCards.length, reviews: longTermReviews(heldOutCards), ...quality },
  });
  if (reviews < MIN_REFIT_REVIEWS)
    return report(false, `Only ${reviews} long-term reviews so far; a refit needs at least ${MIN_REFIT_REVIEWS}. The weights in use stay.`, current);
  if (!longTermReviews(heldOutCards) || !longTermReviews(fitCards))
    return report(false, 'The held-out or the fitting cards have no long-term review to judge by. The weights in use stay.', current);

  const binding = await loadBinding();
  const fit = (cards: readonly CardHistory[], stage: Parameters<RefitProgress>[1]) => {
    progress(0, stage);
    return binding.computeParameters(
      cards.flatMap((card) => reviewItems(binding, card, 'fitting')),
      // The optimiser reports its epochs now and then (not at all on a small log).
      { enableShortTerm: true, progress: (done, total) => void (total > 0 && progress(done / total, stage)) },
    );
  };
  const fitted = await fit(fitCards, 'fitting');
  progress(0, 'judging');
  const judgedCards = heldOutCards.map((card) => reviewItems(binding, card, 'judging')).filter((items) => items.length > 0);
  const judged = judgedCards.flat();
  // Log loss review by review: fsrs-rs's evaluation of a set weighs each item by its place in the list (its recency
  // weighting), which for held-out cards in hash order means nothing, so each item is evaluated alone and averaged.
  const quality = (weights: readonly number[]) => {
    const model = new binding.FSRSBinding([...weights]);
    const perCard = judgedCards.map((items) => items.reduce((sum, item) => sum + model.evaluate([item]).logLoss, 0));
    const logLoss = perCard.reduce((a, b) => a + b, 0) / judged.length;
    return { quality: { logLoss: round(logLoss), rmseBins: round(model.evaluate(judged).rmseBins) }, perCard };
  };
  let scores: { current: FsrsQuality; fitted: FsrsQuality; z: number };
  try {
    const [before, after] = [quality(current), quality(fitted)];
    scores = { current: before.quality, fitted: after.quality, z: pairedZ(before.perCard, after.perCard) };
  } catch (error) {
    return report(
      false,
      `The held-out reviews could not be judged (${error instanceof Error ? error.message : String(error)}). The weights in use stay.`,
      current,
    );
  }
  const losses = `log loss ${scores.fitted.logLoss.toFixed(4)} against ${scores.current.logLoss.toFixed(4)}`;
  if (!(scores.fitted.logLoss < scores.current.logLoss))
    return report(false, `The fitted weights predicted the held-out reviews no better (${losses}). The weights in use stay.`, current, scores);
  if (!(scores.z >= MIN_JUDGE_Z))
    return report(
      false,
      `The fitted weights predicted the held-out reviews better on average (${losses}), but not surely: z ${scores.z.toFixed(2)} over ${judgedCards.length} cards, ${MIN_JUDGE_Z} needed. The weights in use stay.`,
      current,
      scores,
    );
  const final = await fit(histories, 'refitting on every card');
  if (final.length !== current.length || !final.every(Number.isFinite))
    return report(false, `The optimiser returned ${final.length} weights; ${current.length} finite ones are needed. The weights in use stay.`, current, scores);
  return report(
    true,
    `The fitted weights predicted the held-out reviews better (${losses}; z ${scores.z.toFixed(2)} over ${judgedCards.length} cards).`,
    final,
    scores,
  );
}

/** One learner's refit on their own cards (see refitLearners). */
export interface LearnerRefit {
  learnerId: string;
  report: FsrsRefitReport;
}

/**
 * Refits each learner with at least MIN_REFIT_REVIEWS long-term reviews of their own on their cards alone, judged as
 * the shared refit is, on their held-out cards, against the weights they are scheduled with (`weightsOf`). A learner
 * whose refit fails is reported as not accepted, with why; the others still run.
 */
export async function refitLearners(
  histories: readonly CardHistory[],
  weightsOf: (learnerId: string) => readonly number[],
  progress: (done: number, of: number) => void = () => {},
): Promise<LearnerRefit[]> {
  const byLearner = new Map<string, CardHistory[]>();
  for (const card of histories) {
    const cards = byLearner.get(card.learnerId);
    if (cards) cards.push(card);
    else byLearner.set(card.learnerId, [card]);
  }
  const eligible = [...byLearner].filter(([, cards]) => longTermReviews(cards) >= MIN_REFIT_REVIEWS);
  const refits: LearnerRefit[] = [];
  for (const [i, [learnerId, cards]] of eligible.entries()) {
    progress(i, eligible.length);
    const current = weightsOf(learnerId);
    try {
      refits.push({ learnerId, report: await refitFsrs(cards, current) });
    } catch (error) {
      const reason = `The refit failed (${error instanceof Error ? error.message : String(error)}). The weights in use stay.`;
      refits.push({
        learnerId,
        report: {
          accepted: false,
          reason,
          weights: [...current],
          learners: 1,
          cards: cards.length,
          reviews: longTermReviews(cards),
          heldOut: { cards: 0, reviews: 0 },
        },
      });
    }
  }
  return refits;
}

/**
 * Each review after a card's first, with the reviews before it: what FSRS predicts from. fsrs-rs aborts the whole
 * process on an item without a review a day or more after the previous one, so items before a card's first
 * long-term review are left out (they carry nothing about forgetting). Its evaluation refuses some items that end
 * with a same-day review, and a card's first long-term review on its own (NotEnoughData), so the held-out cards are
 * judged on their later long-term reviews.
 */
function reviewItems(binding: Binding, card: CardHistory, use: 'fitting' | 'judging'): FSRSBindingItem[] {
  const reviews = card.reviews.map((r) => new binding.FSRSBindingReview(r.rating, r.days));
  const items: FSRSBindingItem[] = [];
  let longTermBefore = 0;
  for (let n = 2; n <= reviews.length; n++) {
    const longTerm = card.reviews[n - 1].days > 0;
    const wanted = use === 'fitting' ? longTerm || longTermBefore > 0 : longTerm && longTermBefore > 0;
    if (wanted) items.push(new binding.FSRSBindingItem(reviews.slice(0, n)));
    if (longTerm) longTermBefore++;
  }
  return items;
}

function isHeldOut(card: CardHistory): boolean {
  return createHash('sha256').update(`${card.learnerId}/${card.itemId}`).digest()[0] % HELD_OUT_EVERY === 0;
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;
