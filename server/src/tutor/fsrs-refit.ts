/**
 * Refits the planner's FSRS-6 weights from the tutor's own review logs with fsrs-rs's optimiser
 * (`@open-spaced-repetition/binding`, native; loaded only when a refit runs), and takes them only when they predict
 * cards it did not fit on better than the weights in use: every fifth card (by a hash of learner and item) is held
 * out, the optimiser fits the rest, and both sets of weights are scored on the held-out reviews (log loss, and RMSE
 * over FSRS's bins). Accepted weights are then fitted once more on every card.
 */
import { createHash } from 'node:crypto';
import type { FSRSBindingItem } from '@open-spaced-repetition/binding';
import { longTermReviews, type CardHistory } from './engine';

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
  heldOut: { cards: number; reviews: number; current?: FsrsQuality; fitted?: FsrsQuality };
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
    quality: Partial<Pick<FsrsRefitReport['heldOut'], 'current' | 'fitted'>> = {},
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
  const judged = heldOutCards.flatMap((card) => reviewItems(binding, card, 'judging'));
  const quality = (weights: readonly number[]): FsrsQuality => {
    const { logLoss, rmseBins } = new binding.FSRSBinding([...weights]).evaluate(judged);
    return { logLoss: round(logLoss), rmseBins: round(rmseBins) };
  };
  let scores: { current: FsrsQuality; fitted: FsrsQuality };
  try {
    scores = { current: quality(current), fitted: quality(fitted) };
  } catch (error) {
    return report(
      false,
      `The held-out reviews could not be judged (${error instanceof Error ? error.message : String(error)}). The weights in use stay.`,
      current,
    );
  }
  if (!(scores.fitted.logLoss < scores.current.logLoss))
    return report(
      false,
      `The fitted weights predicted the held-out reviews no better (log loss ${scores.fitted.logLoss.toFixed(4)} against ${scores.current.logLoss.toFixed(4)}). The weights in use stay.`,
      current,
      scores,
    );
  const final = await fit(histories, 'refitting on every card');
  if (final.length !== current.length || !final.every(Number.isFinite))
    return report(false, `The optimiser returned ${final.length} weights; ${current.length} finite ones are needed. The weights in use stay.`, current, scores);
  return report(
    true,
    `The fitted weights predicted the held-out reviews better (log loss ${scores.fitted.logLoss.toFixed(4)} against ${scores.current.logLoss.toFixed(4)}).`,
    final,
    scores,
  );
}

/**
 * Each review after a card's first, with the reviews before it: what FSRS predicts from. fsrs-rs aborts the whole
 * process on an item without a review a day or more after the previous one, so items before a card's first
 * long-term review are left out (they carry nothing about forgetting); its evaluation refuses some items that end
 * with a same-day review, so the held-out cards are judged on their long-term reviews only.
 */
function reviewItems(binding: Binding, card: CardHistory, use: 'fitting' | 'judging'): FSRSBindingItem[] {
  const reviews = card.reviews.map((r) => new binding.FSRSBindingReview(r.rating, r.days));
  const items: FSRSBindingItem[] = [];
  let longTermSeen = false;
  for (let n = 2; n <= reviews.length; n++) {
    const longTerm = card.reviews[n - 1].days > 0;
    longTermSeen ||= longTerm;
    if (longTermSeen && (longTerm || use === 'fitting')) items.push(new binding.FSRSBindingItem(reviews.slice(0, n)));
  }
  return items;
}

function isHeldOut(card: CardHistory): boolean {
  return createHash('sha256').update(`${card.learnerId}/${card.itemId}`).digest()[0] % HELD_OUT_EVERY === 0;
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;
